package io.harmonia.tools.cli;

/**
 * The exit status of every {@code harmonia} command, the same for all of them so that scripts can tell a refused
 * request from a typing mistake and from a daemon that is not running. {@code harmonia --help} lists them
 * (the list is in {@code HarmoniaCommand}'s annotation, built from these constants).
 */
public final class ExitCode
{
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The request reached the service and failed there (refused, a step failed, a peer died). */
    public static final int FAILED = 1;
    /** Bad usage: an unknown command or option, a missing or malformed value; nothing was done. */
    public static final int USAGE = 2;
    /** The service could not be reached (not running, or its socket refused this user). */
    public static final int UNAVAILABLE = 3;
    /** A bug in the tool: the message and stack trace belong in a bug report. */
    public static final int INTERNAL = 70;

    private ExitCode()
    {
    }
}
