package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import io.harmonia.bindings.Errno;
import io.harmonia.bindings.NativeLibrary;

/**
 * Waits, on one thread, for the peers of many channels to hang up ({@code harmonia/watch.h}); another thread can
 * {@link #wake()} it when the set changes. One downcall per wait, none per channel.
 *
 * <p>Thread safety: {@link #await} from one thread at a time; {@link #wake()} from any; {@link #close()} only when
 * no thread waits.
 */
public final class HangupWatch implements AutoCloseable
{
    /** Most channels one wait watches. */
    public static final int MAX_CHANNELS = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final java.lang.foreign.AddressLayout ADDRESS = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;

    private final MemorySegment handle;
    private boolean closed;

    private HangupWatch(final MemorySegment handle)
    {
        this.handle = handle;
    }

    /**
     * A new watch.
     *
     * @return the watch.
     * @throws ChannelException when the eventfd cannot be made.
     */
    public static HangupWatch create()
    {
        NativeLibrary.ensureLoaded();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment ret = call.allocate(ADDRESS);
            final int rc = invokeInt(Holders.CREATE, ret);
            if (rc < 0)
            {
                throw new ChannelException(rc, "creating a hang-up watch: " + Errno.describe(rc));
            }
            return new HangupWatch(ret.get(ADDRESS, 0));
        }
    }

    /**
     * The control socket of a channel, as this watch takes it.
     *
     * @param channel an open channel.
     * @return its fd.
     */
    public static int controlFd(final Channel channel)
    {
        try
        {
            return (int)Holders.CONTROL_FD.invokeExact(channel.handle());
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    /**
     * Waits until a peer of the given control sockets hangs up, a wake, or the timeout.
     *
     * @param fds       control fds ({@link #controlFd}); at most {@link #MAX_CHANNELS}.
     * @param count     how many of them.
     * @param timeoutNs the longest wait; negative waits without bound.
     * @param hung      set to true for each fd whose peer hung up (length &gt;= count).
     * @return how many hung up; 0 after a wake or the timeout.
     * @throws ChannelException when poll fails.
     */
    public int await(final int[] fds, final int count, final long timeoutNs, final boolean[] hung)
    {
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment nativeFds = call.allocate(4L * Math.max(1, count), 4);
            MemorySegment.copy(fds, 0, nativeFds, ValueLayout.JAVA_INT, 0, count);
            final MemorySegment flags = call.allocate(Math.max(1, count));
            final int rc;
            try
            {
                rc = (int)Holders.WAIT.invokeExact(handle, nativeFds, count, timeoutNs, flags);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("should not reach here", ex);
            }
            if (rc < 0)
            {
                throw new ChannelException(rc, "waiting for hang-ups of " + count + " channels: " + Errno.describe(rc));
            }
            for (int i = 0; i < count; i++)
            {
                hung[i] = 0 != flags.get(ValueLayout.JAVA_BYTE, i);
            }
            return rc;
        }
    }

    /** Ends the current (or next) {@link #await} at once. */
    public void wake()
    {
        invokeInt(Holders.WAKE, handle);
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                Holders.CLOSE.invokeExact(handle);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("should not reach here", ex);
            }
        }
    }

    private static int invokeInt(final MethodHandle handle, final MemorySegment argument)
    {
        try
        {
            return (int)handle.invokeExact(argument);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    /** The downcalls, linked on first use (jextract's shape). */
    private static final class Holders
    {
        static final MethodHandle CREATE = LINKER.downcallHandle(NativeLibrary.symbol("hm_watch_create"),
            FunctionDescriptor.of(C_INT, ADDRESS));
        static final MethodHandle WAKE = LINKER.downcallHandle(NativeLibrary.symbol("hm_watch_wake"),
            FunctionDescriptor.of(C_INT, ADDRESS));
        static final MethodHandle CLOSE = LINKER.downcallHandle(NativeLibrary.symbol("hm_watch_close"),
            FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle WAIT = LINKER.downcallHandle(NativeLibrary.symbol("hm_watch_wait"),
            FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS, C_INT, ValueLayout.JAVA_LONG, ADDRESS));
        static final MethodHandle CONTROL_FD = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_control_fd"),
            FunctionDescriptor.of(C_INT, ADDRESS));
    }
}
