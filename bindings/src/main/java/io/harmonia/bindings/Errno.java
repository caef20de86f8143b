package io.harmonia.bindings;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * errno handling for downcalls.
 *
 * <p>libharmonia's own functions return {@code 0} or a negative errno, so their callers need only
 * {@link #describe(int)}. A downcall straight into libc that reports through errno must be linked with
 * {@link #CAPTURE} and read the value from the capture segment of that same call ({@link #read}); reading
 * errno through a second downcall is wrong, because the JVM may run code in between.
 */
public final class Errno
{
    /** Linker option that saves errno right after the call. */
    public static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    /** Layout of the capture segment to pass as the first argument of a {@link #CAPTURE}-linked call. */
    public static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO =
        CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Errno()
    {
    }

    /**
     * The errno a {@link #CAPTURE}-linked call saved.
     *
     * @param captureState the segment passed to that call, of {@link #CAPTURE_LAYOUT}.
     * @return the errno value.
     */
    public static int read(final MemorySegment captureState)
    {
        return (int)ERRNO.get(captureState, 0L);
    }

    /**
     * A readable form of an errno value for error messages.
     *
     * @param errno a positive errno, or a negative one as libharmonia returns it.
     * @return e.g. {@code "ENOENT (No such file or directory)"}, or {@code "errno 4711"} when unknown.
     */
    public static String describe(final int errno)
    {
        final int positive = Math.abs(errno);
        final jnr.constants.platform.Errno known = jnr.constants.platform.Errno.valueOf(positive);
        return jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__ == known
            ? "errno " + positive
            : known.name() + " (" + known.description() + ")";
    }
}
