package io.harmonia.bindings.posix;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;
import jnr.posix.util.DefaultPOSIXHandler;

/**
 * Plain POSIX calls the JDK lacks, through JNR-POSIX (the project's layer for these; FFM is for
 * libharmonia). Failures throw {@link PosixException} with the call and its errno; JNR saves errno in
 * the same native stub that made the call, so the value belongs to that call. The identity calls ({@link #uid()},
 * {@link #euid()}, {@link #gid()}, {@link #pid()}), which every RPC process makes at start and which cannot fail,
 * are FFM downcalls into libc instead: JNR's first call generates its bindings at run time (about a second of CPU on
 * a small machine), which every app process would pay before it attaches.
 *
 * <p>Never fork from Java (the JVM is multithreaded): {@link #spawn(List)} uses posix_spawnp.
 */
public final class Posix
{
    private static final int WNOHANG = 1;

    private Posix()
    {
    }

    /** Loaded on first use; a JVM without native access gets JNR's own error at that point. */
    private static final class Native
    {
        // getNativePOSIX fails loudly when native access is unavailable instead of falling back
        // to JNR's pure-Java emulation, whose answers (uid, kill) would be wrong.
        static final POSIX POSIX = POSIXFactory.getNativePOSIX(new DefaultPOSIXHandler());
    }

    /** libc's identity calls: no argument, an int result, never an error (so no errno to capture). */
    private static final class Identity
    {
        static final MethodHandle GETUID = downcall("getuid");
        static final MethodHandle GETEUID = downcall("geteuid");
        static final MethodHandle GETGID = downcall("getgid");
        static final MethodHandle GETPID = downcall("getpid");

        private static MethodHandle downcall(final String name)
        {
            final Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        }

        static int call(final MethodHandle handle)
        {
            try
            {
                return (int)handle.invokeExact();
            }
            catch (final Throwable impossible)
            {
                throw new AssertionError("libc identity call failed", impossible);
            }
        }
    }

    /**
     * The real user id of this process.
     *
     * @return getuid().
     */
    public static int uid()
    {
        return Identity.call(Identity.GETUID);
    }

    /**
     * The effective user id of this process.
     *
     * @return geteuid().
     */
    public static int euid()
    {
        return Identity.call(Identity.GETEUID);
    }

    /**
     * The real group id of this process.
     *
     * @return getgid().
     */
    public static int gid()
    {
        return Identity.call(Identity.GETGID);
    }

    /**
     * This process's id.
     *
     * @return getpid().
     */
    public static int pid()
    {
        return Identity.call(Identity.GETPID);
    }

    /**
     * Sends a signal.
     *
     * @param pid    the target process.
     * @param signal the signal number (0 only checks that the process exists and may be signalled).
     */
    public static void kill(final long pid, final int signal)
    {
        if (0 != Native.POSIX.kill(pid, signal))
        {
            throw new PosixException("kill(pid=" + pid + ", signal=" + signal + ")", Native.POSIX.errno());
        }
    }

    /**
     * Starts a program with posix_spawnp, searching PATH, with this process's environment.
     * The caller owns the child and must {@link #waitpid} it.
     *
     * @param argv the program and its arguments; not empty.
     * @return the child's pid.
     */
    public static long spawn(final List<String> argv)
    {
        if (argv.isEmpty())
        {
            throw new IllegalArgumentException("argv must name a program: argv.size()=0");
        }
        final String[] environment = System.getenv().entrySet().stream()
            .map(entry -> entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
        final long pid = Native.POSIX.posix_spawnp(argv.getFirst(), List.of(), argv, List.of(environment));
        if (pid <= 0)
        {
            throw new PosixException("posix_spawnp(" + argv.getFirst() + ")", Native.POSIX.errno());
        }
        return pid;
    }

    /**
     * Waits for a child to end and reaps it.
     *
     * @param pid the child.
     * @return how it ended.
     */
    public static ExitStatus waitpid(final long pid)
    {
        return waitpid(pid, 0).orElseThrow();
    }

    /**
     * Reaps a child if it has already ended, without blocking.
     *
     * @param pid the child.
     * @return how it ended, or empty while it still runs.
     */
    public static Optional<ExitStatus> tryWaitpid(final long pid)
    {
        return waitpid(pid, WNOHANG);
    }

    private static Optional<ExitStatus> waitpid(final long pid, final int options)
    {
        final int[] status = new int[1];
        final long reaped = Native.POSIX.waitpid(pid, status, options);
        if (reaped < 0)
        {
            throw new PosixException("waitpid(pid=" + pid + ")", Native.POSIX.errno());
        }
        return 0 == reaped ? Optional.empty() : Optional.of(ExitStatus.decode(reaped, status[0]));
    }

    /**
     * The name of a user.
     *
     * @param uid the user id.
     * @return the login name, or empty when the user database has no such uid.
     */
    public static Optional<String> userName(final int uid)
    {
        final Passwd entry = Native.POSIX.getpwuid(uid);
        return null == entry ? Optional.empty() : Optional.of(entry.getLoginName());
    }

    /**
     * The id of a user.
     *
     * @param name the login name.
     * @return the uid, or empty when there is no such user.
     */
    public static OptionalInt uidOf(final String name)
    {
        final Passwd entry = Native.POSIX.getpwnam(name);
        return null == entry ? OptionalInt.empty() : OptionalInt.of((int)entry.getUID());
    }

    /**
     * The name of a group.
     *
     * @param gid the group id.
     * @return the group name, or empty when the group database has no such gid.
     */
    public static Optional<String> groupName(final int gid)
    {
        final Group entry = Native.POSIX.getgrgid(gid);
        return null == entry ? Optional.empty() : Optional.of(entry.getName());
    }

    /**
     * The id of a group.
     *
     * @param name the group name.
     * @return the gid, or empty when there is no such group.
     */
    public static OptionalInt gidOf(final String name)
    {
        final Group entry = Native.POSIX.getgrnam(name);
        return null == entry ? OptionalInt.empty() : OptionalInt.of((int)entry.getGID());
    }
}
