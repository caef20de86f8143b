package io.harmonia.tools.cli;

import java.util.ArrayList;
import java.util.List;

import io.harmonia.ability.Want;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The target of an {@code aa} action, as OpenHarmony's {@code aa} takes it: {@code -b BUNDLE -a ABILITY [-m MODULE]
 * [-d DEVICE] [--ps|--pi|--pb KEY VALUE]...}; a malformed value is a usage error naming the option.
 */
public final class WantOptions
{
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = {"-b", "--bundle"}, required = true, paramLabel = "BUNDLE", description = "The bundle.")
    private String bundleName;

    @Option(names = {"-a", "--ability"}, required = true, paramLabel = "ABILITY", description = "The ability.")
    private String abilityName;

    @Option(names = {"-m", "--module"}, paramLabel = "MODULE", description = "The module (default: any).")
    private String moduleName = "";

    @Option(names = {"-d", "--device"}, paramLabel = "DEVICE", description = "The device: only \"\" (this one).")
    private String deviceId = "";

    @Option(names = "--ps", arity = "2", paramLabel = "KEY VALUE", description = "A string parameter.")
    private List<String> strings = new ArrayList<>();

    @Option(names = "--pi", arity = "2", paramLabel = "KEY VALUE", description = "An integer parameter.")
    private List<String> integers = new ArrayList<>();

    @Option(names = "--pb", arity = "2", paramLabel = "KEY VALUE", description = "A boolean parameter.")
    private List<String> booleans = new ArrayList<>();

    /**
     * The bundle.
     *
     * @return its name.
     */
    public String bundleName()
    {
        return bundleName;
    }

    /**
     * The ability.
     *
     * @return its name.
     */
    public String abilityName()
    {
        return abilityName;
    }

    /**
     * The Want.
     *
     * @return the target with its parameters.
     * @throws ParameterException for a malformed value.
     */
    public Want build()
    {
        if (!deviceId.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "--device " + deviceId
                + ": only this device (\"\") is supported");
        }
        final Want.Builder want = Want.builder().bundleName(bundleName).abilityName(abilityName)
            .moduleName(moduleName);
        for (int i = 0; i < strings.size(); i += 2)
        {
            want.parameter(strings.get(i), strings.get(i + 1));
        }
        for (int i = 0; i < integers.size(); i += 2)
        {
            try
            {
                want.parameter(integers.get(i), Integer.parseInt(integers.get(i + 1)));
            }
            catch (final NumberFormatException malformed)
            {
                throw new ParameterException(spec.commandLine(), "--pi " + integers.get(i) + " "
                    + integers.get(i + 1) + ": not an integer");
            }
        }
        for (int i = 0; i < booleans.size(); i += 2)
        {
            final String value = booleans.get(i + 1);
            if (!"true".equals(value) && !"false".equals(value))
            {
                throw new ParameterException(spec.commandLine(), "--pb " + booleans.get(i) + " " + value
                    + ": must be true or false");
            }
            want.parameter(booleans.get(i), Boolean.parseBoolean(value));
        }
        return want.build();
    }
}
