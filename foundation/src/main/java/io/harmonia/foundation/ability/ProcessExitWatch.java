package io.harmonia.foundation.ability;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells, at once, when a process that is not our child ends: a pidfd ({@code pidfd_open}, Linux 5.3) becomes
 * readable when its process exits, whoever reaps it (appspawn, here). One daemon thread per watched process polls
 * its pidfd (in slices of {@value #POLL_SLICE_MS} ms, so {@link Watch#cancel()} takes effect within one) and runs the
 * callback once, on that thread, when the process has exited. This is how the ability manager learns of an app
 * process's death before the process ever attached (a JVM that fails to start); after attach the RPC death
 * recipient tells it too, whichever comes first.
 *
 * <p>A process that no longer exists when watched is reported at once. errno is captured with each call.
 */
final class ProcessExitWatch
{
    private static final int POLL_SLICE_MS = 250;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final StructLayout POLLFD = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("fd"),
        ValueLayout.JAVA_SHORT.withName("events"), ValueLayout.JAVA_SHORT.withName("revents"));
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
        LINKER.defaultLookup().find("syscall").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle POLL = LINKER.downcallHandle(LINKER.defaultLookup().find("poll").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
        Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private ProcessExitWatch()
    {
    }

    /** A running watch. */
    static final class Watch
    {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        /** The pidfd while the watch thread holds it open; -1 before and after. */
        private volatile int fd = -1;
        /** Set by the watch thread once it saw the exit (or gave up), before it closes the pidfd. */
        private volatile boolean ended;

        /**
         * Whether the process has exited, asked now rather than waiting for the watch thread's callback: a peer
         * that saw the process's channels hang up can ask us something before that thread has run (the kernel
         * closes a dying process's files before it makes its pidfd readable, and both come before the reap).
         *
         * @return true when it has exited (or the watch ended); false while it runs.
         */
        boolean exited()
        {
            final int open = fd;
            if (ended || open < 0)
            {
                return ended;
            }
            // A pidfd closed meanwhile answers POLLNVAL (ready): it is closed only after the exit was seen.
            return poll(open, 0);
        }

        /** Stops watching; the callback will not run (unless it is running already). */
        void cancel()
        {
            cancelled.set(true);
        }
    }

    /**
     * Watches a process.
     *
     * @param pid    the process.
     * @param onExit run once when it has exited (on the watch's thread), or at once when it does not exist.
     * @return the watch.
     */
    static Watch watch(final int pid, final Runnable onExit)
    {
        final Watch watch = new Watch();
        final int fd = pidfdOpen(pid);
        if (fd < 0)
        {
            onExit.run();
            return watch;
        }
        watch.fd = fd;
        Thread.ofPlatform().daemon().name("pidfd-" + pid).start(() ->
        {
            try
            {
                while (!watch.cancelled.get() && !poll(fd, POLL_SLICE_MS))
                {
                    // the process runs: poll again, so that a cancel takes effect within a slice
                }
            }
            finally
            {
                watch.ended = true;
                watch.fd = -1;
                close(fd);
            }
            if (!watch.cancelled.get())
            {
                onExit.run();
            }
        });
        return watch;
    }

    /** Polls a pidfd: true when it is readable (the process exited) or the poll failed for good. */
    private static boolean poll(final int fd, final int timeoutMillis)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment pollfd = arena.allocate(POLLFD);
            final MemorySegment captured = arena.allocate(CAPTURED);
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            final int ready = (int)POLL.invokeExact(captured, pollfd, 1L, timeoutMillis);
            return ready > 0 || (ready < 0 && EINTR != (int)ERRNO.get(captured, 0L));
        }
        catch (final Throwable impossible)
        {
            throw new AssertionError("poll downcall failed", impossible);
        }
    }

    private static int pidfdOpen(final int pid)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment captured = arena.allocate(CAPTURED);
            return (int)(long)SYSCALL.invokeExact(captured, SYS_PIDFD_OPEN, pid, 0);
        }
        catch (final Throwable impossible)
        {
            throw new AssertionError("pidfd_open downcall failed", impossible);
        }
    }

    private static void close(final int fd)
    {
        try
        {
            final int ignored = (int)CLOSE.invokeExact(fd);
        }
        catch (final Throwable impossible)
        {
            throw new AssertionError("close downcall failed", impossible);
        }
    }
}
