package io.harmonia.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.Want;

import io.harmonia.tools.cli.ActionGroup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code harmonia aa}: the ability assistant (OpenHarmony's {@code aa}) of a running foundation: start an ability of
 * an installed bundle, force-stop a bundle's process, dump the ability manager's records.
 */
@Command(name = "aa",
    description = "Start abilities, stop bundles' processes and show the ability manager's records.",
    subcommands = {AaCommand.Start.class, AaCommand.ForceStop.class, AaCommand.Dump.class})
final class AaCommand extends ActionGroup
{

    /** {@code aa start -b BUNDLE -a ABILITY}. */
    @Command(name = "start", description = {"Start a UIAbility of an installed bundle (its process first, through "
        + "appspawn, when it has none) and bring it to the foreground.", "Prints the pid of its process."})
    static final class Start extends FoundationClient
    {
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

        @Override
        public Integer call()
        {
            if (!deviceId.isEmpty())
            {
                throw new ParameterException(spec().commandLine(), "--device " + deviceId
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
                    throw new ParameterException(spec().commandLine(), "--pi " + integers.get(i) + " "
                        + integers.get(i + 1) + ": not an integer");
                }
            }
            for (int i = 0; i < booleans.size(); i += 2)
            {
                final String value = booleans.get(i + 1);
                if (!"true".equals(value) && !"false".equals(value))
                {
                    throw new ParameterException(spec().commandLine(), "--pb " + booleans.get(i) + " " + value
                        + ": must be true or false");
                }
                want.parameter(booleans.get(i), Boolean.parseBoolean(value));
            }
            final Want target = want.build();
            final int pid = call(() -> AbilityManagerClient.connect(instance()).startAbility(target));
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("bundleName", bundleName);
            result.put("abilityName", abilityName);
            result.put("pid", pid);
            return print(result, "start ability successfully: " + target.element() + " in pid " + pid
                + System.lineSeparator());
        }
    }

    /** {@code aa force-stop BUNDLE}. */
    @Command(name = "force-stop", description = {"Kill a bundle's process (its abilities are forgotten).",
        "Root and system uids only."})
    static final class ForceStop extends FoundationClient
    {
        @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle.")
        private String bundleName;

        @Override
        public Integer call()
        {
            final boolean stopped = call(() -> AbilityManagerClient.connect(instance()).forceStop(bundleName));
            return print(Map.of("bundleName", bundleName, "stopped", stopped), (stopped ? "force stop process "
                + "successfully: " : "no process was running: ") + bundleName + System.lineSeparator());
        }
    }

    /** {@code aa dump}. */
    @Command(name = "dump", description = {"The ability manager's records: each app process with its abilities, "
        + "their states and the focus.", "Root and system uids only."})
    static final class Dump extends FoundationClient
    {
        @Override
        public Integer call()
        {
            final JsonNode dump = BmCommand.parse(call(() -> AbilityManagerClient.connect(instance()).dump()));
            final StringBuilder text = new StringBuilder(String.format("%-8s %-10s %-9s %-40s %s%n", "PID", "UID",
                "STATE", "BUNDLE", "ABILITIES"));
            for (final JsonNode process : dump.get("processes"))
            {
                final List<String> abilities = new ArrayList<>();
                for (final JsonNode ability : process.get("abilities"))
                {
                    abilities.add(ability.get("name").asText() + ":" + ability.get("state").asText()
                        + (ability.get("focused").asBoolean() ? "*" : ""));
                }
                text.append(String.format("%-8d %-10d %-9s %-40s %s%n", process.get("pid").asInt(),
                    process.get("uid").asInt(), process.get("state").asText(), process.get("bundleName").asText(),
                    String.join(" ", abilities)));
            }
            text.append("focused: ").append(dump.get("focused").isNull() ? "none" : dump.get("focused").asText())
                .append(System.lineSeparator());
            return print(dump, text.toString());
        }
    }
}
