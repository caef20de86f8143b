package io.harmonia.bindings.posix;

/**
 * How a child process ended, decoded from a waitpid status word.
 *
 * @param pid      the child.
 * @param exitCode its exit code when it exited normally, else -1.
 * @param signal   the signal that killed it, else 0.
 */
public record ExitStatus(long pid, int exitCode, int signal)
{
    static ExitStatus decode(final long pid, final int status)
    {
        // Linux encoding (bits/waitstatus.h): low 7 bits are the terminating signal, 0 means a normal exit
        // with the code in bits 8-15.
        final int terminatingSignal = status & 0x7f;
        return 0 == terminatingSignal
            ? new ExitStatus(pid, (status >> 8) & 0xff, 0)
            : new ExitStatus(pid, -1, terminatingSignal);
    }

    /**
     * Whether the child called exit (rather than being killed).
     *
     * @return true for a normal exit.
     */
    public boolean exited()
    {
        return 0 == signal;
    }
}
