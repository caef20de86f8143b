package io.harmonia.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.AbilityManagerProtocol;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.Want;

import io.harmonia.tools.cli.ActionGroup;
import io.harmonia.tools.cli.WantOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code harmonia aa}: the ability assistant (OpenHarmony's {@code aa}) of a running foundation: start an ability of
 * an installed bundle (a UIAbility or a service extension), stop a service extension, connect to one and send it
 * one request, force-stop a bundle's process, dump the ability manager's records, force a step's timeout.
 */
@Command(name = "aa",
    description = "Start abilities, stop and connect to service extensions, stop bundles' processes and show the "
        + "ability manager's records.",
    subcommands = {AaCommand.Start.class, AaServiceCommands.StopService.class, AaServiceCommands.Connect.class,
        AaCommand.ForceStop.class, AaCommand.Dump.class, AaServiceCommands.ForceTimeout.class})
final class AaCommand extends ActionGroup
{

    /** {@code aa start -b BUNDLE -a ABILITY}. */
    @Command(name = "start", description = {"Start an ability of an installed bundle: a UIAbility (its process "
        + "first, through appspawn, when it has none) comes to the foreground; a service extension (service or "
        + "appService) gets onCreate the first time, then onRequest.", "Prints the pid of the UIAbility's process."})
    static final class Start extends FoundationClient
    {
        @Mixin
        private WantOptions target;

        @Override
        public Integer call()
        {
            final Want want = target.build();
            final ExtensionAbilityType type = extensionType(target.bundleName(), target.abilityName());
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("bundleName", target.bundleName());
            result.put("abilityName", target.abilityName());
            if (null != type)
            {
                await(call(() -> AbilityManagerClient.connect(instance())).connector().start(type, want),
                    AbilityManagerProtocol.EXTENSION_WAIT_MILLIS);
                result.put("type", type.manifestType());
                return print(result, "start ability successfully: " + want.element() + " (" + type.manifestType()
                    + ")" + System.lineSeparator());
            }
            final int pid = call(() -> AbilityManagerClient.connect(instance()).startAbility(want));
            result.put("pid", pid);
            return print(result, "start ability successfully: " + want.element() + " in pid " + pid
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
        + "their states and the focus; each service extension with its state, starts and connections.",
        "Root and system uids only."})
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
            text.append(String.format("%-8s %-11s %-12s %-7s %-8s %s%n", "PID", "TYPE", "STATE", "STARTS", "REMOTE",
                "EXTENSION"));
            for (final JsonNode extension : dump.path("extensions"))
            {
                text.append(String.format("%-8d %-11s %-12s %-7d %-8s %s/%s%n", extension.get("pid").asInt(),
                    extension.get("type").asText(), extension.get("state").asText(), extension.get("startId").asInt(),
                    extension.get("remoteCached").asBoolean() ? "cached" : "-", extension.get("bundleName").asText(),
                    extension.get("abilityName").asText()));
                for (final JsonNode connection : extension.get("connections"))
                {
                    text.append(String.format("           connection %d of pid %d (uid %d): %s%n",
                        connection.get("id").asLong(), connection.get("clientPid").asInt(),
                        connection.get("clientUid").asInt(), connection.get("state").asText()));
                }
            }
            return print(dump, text.toString());
        }
    }
}
