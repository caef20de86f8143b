package io.harmonia.tools.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups actions ({@code aa}, {@code bm}, {@code appspawn}): run without one, it is a usage
 * error that lists them.
 */
public abstract class ActionGroup implements Runnable
{
    @Spec
    private CommandSpec spec;

    @Override
    public final void run()
    {
        throw new ParameterException(spec.commandLine(), "missing the action: one of "
            + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * This command's spec.
     *
     * @return the spec.
     */
    protected final CommandSpec spec()
    {
        return spec;
    }
}
