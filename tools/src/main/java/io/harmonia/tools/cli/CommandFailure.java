package io.harmonia.tools.cli;

/**
 * A command that could not do what it was asked, for a reason the user can act on: the message is printed in the
 * one error format ({@link ErrorReporter}) and the process exits with {@link #exitCode()}; no stack trace.
 */
public final class CommandFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CommandFailure(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * The service answered with an error, or a step of the command failed.
     *
     * @param message what failed, naming the thing it failed on.
     * @return the failure ({@link ExitCode#FAILED}).
     */
    public static CommandFailure failed(final String message)
    {
        return new CommandFailure(ExitCode.FAILED, message, null);
    }

    /**
     * The service could not be reached. The cause's message is appended, as it says why (e.g. "No such file").
     *
     * @param message what could not be reached.
     * @param cause   the connection error.
     * @return the failure ({@link ExitCode#UNAVAILABLE}).
     */
    public static CommandFailure unavailable(final String message, final Throwable cause)
    {
        final Throwable reason = null != cause && null != cause.getCause() ? cause.getCause() : cause;
        final String detail = null == reason || null == reason.getMessage() ? "" : ": " + reason.getMessage();
        return new CommandFailure(ExitCode.UNAVAILABLE, message + detail, cause);
    }

    /**
     * The exit status this failure ends the process with.
     *
     * @return one of {@link ExitCode}'s values.
     */
    public int exitCode()
    {
        return exitCode;
    }
}
