package io.harmonia.tools.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one error format of every command, on stderr:
 * <pre>
 * harmonia appspawn start: error: Missing required option: '--uid=UID'
 * Try 'harmonia appspawn start --help' for more information.
 * </pre>
 * The second line only follows usage errors. Failures the user can act on ({@link CommandFailure}) print their
 * message alone; anything else is a bug and prints its stack trace too.
 */
public final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler
{
    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        return usageError(ex);
    }

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine command, final ParseResult parseResult)
    {
        if (ex instanceof ParameterException usage)
        {
            return usageError(usage);
        }
        final PrintWriter err = command.getErr();
        if (ex instanceof CommandFailure failure)
        {
            err.println(prefix(command) + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        err.println(prefix(command) + "internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCode.INTERNAL;
    }

    private static int usageError(final ParameterException ex)
    {
        final CommandLine command = ex.getCommandLine();
        final PrintWriter err = command.getErr();
        err.println(prefix(command) + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    private static String prefix(final CommandLine command)
    {
        return command.getCommandSpec().qualifiedName() + ": error: ";
    }
}
