package io.harmonia.tools.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of a command whose output is data: it takes {@code --json} ({@link JsonOption}) and prints either the
 * data as one JSON document or its text form, on the command's stdout.
 */
public abstract class DataCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    /**
     * The command's picocli model (for usage errors and its streams).
     *
     * @return the spec.
     */
    protected final CommandSpec spec()
    {
        return spec;
    }

    /**
     * Prints the result: {@code data} as JSON with {@code --json}, else the text.
     *
     * @param data what JSON shows (a record, map or list).
     * @param text the text form, with its line ends.
     * @return {@link ExitCode#OK}.
     */
    protected final int print(final Object data, final String text)
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (json.enabled())
        {
            JsonOption.print(out, data);
        }
        else
        {
            out.print(text);
            out.flush();
        }
        return ExitCode.OK;
    }
}
