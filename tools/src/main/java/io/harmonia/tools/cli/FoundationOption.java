package io.harmonia.tools.cli;

import io.harmonia.ability.FoundationServices;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --foundation NAME}: which foundation instance a command talks to or starts. */
public final class FoundationOption
{
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--foundation", paramLabel = "NAME",
        description = "The foundation instance (default: $HARMONIA_FOUNDATION, else 'foundation').")
    private String instance;

    /**
     * The instance: the option, else the configured one; a malformed name is a usage error.
     *
     * @return the name.
     */
    public String instance()
    {
        final String chosen = null == instance ? FoundationServices.instance() : instance;
        try
        {
            FoundationServices.address(chosen, FoundationServices.ABILITY_MANAGER);
        }
        catch (final IllegalArgumentException malformed)
        {
            throw new ParameterException(spec.commandLine(), malformed.getMessage());
        }
        return chosen;
    }
}
