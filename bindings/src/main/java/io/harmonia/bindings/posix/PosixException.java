package io.harmonia.bindings.posix;

import io.harmonia.bindings.Errno;

/** A POSIX call failed; carries the call name and the errno it set. */
public final class PosixException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    PosixException(final String call, final int errno)
    {
        super(call + " failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /**
     * The failed call, with its arguments.
     *
     * @return e.g. {@code kill(pid=12, signal=9)}.
     */
    public String call()
    {
        return call;
    }

    /**
     * The errno value the call set.
     *
     * @return a positive errno.
     */
    public int errno()
    {
        return errno;
    }
}
