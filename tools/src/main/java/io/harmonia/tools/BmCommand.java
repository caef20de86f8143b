package io.harmonia.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.harmonia.bundle.BundleManagerClient;

import io.harmonia.tools.cli.ActionGroup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code harmonia bm}: the bundle manager's tool (OpenHarmony's {@code bm}): install, uninstall, dump and list
 * bundles of a running foundation. Install and uninstall need root.
 */
@Command(name = "bm",
    description = "Install, uninstall and inspect bundles through the bundle manager of a running foundation.",
    subcommands = {BmCommand.Install.class, BmCommand.Uninstall.class, BmCommand.Dump.class, BmCommand.ListBundles.class})
final class BmCommand extends ActionGroup
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);


    static JsonNode parse(final String json)
    {
        try
        {
            return JSON.readTree(json);
        }
        catch (final JsonProcessingException malformed)
        {
            throw new IllegalStateException("the bundle manager answered malformed JSON", malformed);
        }
    }

    /** {@code bm install -p PATH}. */
    @Command(name = "install", description = {"Install a bundle (a folder or a .hap/.zip archive), or update the "
        + "installed bundle of that name.", "As root. Prints the bundle's name and uid."})
    static final class Install extends FoundationClient
    {
        @Option(names = {"-p", "--path"}, required = true, paramLabel = "PATH",
            description = "The bundle folder or archive.")
        private Path path;

        @Override
        public Integer call()
        {
            final String absolute = path.toAbsolutePath().normalize().toString();
            final BundleManagerClient.Installed installed = call(() -> BundleManagerClient.connect(instance())
                .install(absolute));
            return print(installed, (installed.updated() ? "updated " : "installed ") + installed.bundleName()
                + " version " + installed.versionCode() + " uid " + installed.uid() + System.lineSeparator());
        }
    }

    /** {@code bm uninstall -n NAME}. */
    @Command(name = "uninstall", description = {"Uninstall a bundle: its process is stopped, its code and data are "
        + "removed.", "As root."})
    static final class Uninstall extends FoundationClient
    {
        @Option(names = {"-n", "--bundle-name"}, required = true, paramLabel = "NAME", description = "The bundle.")
        private String bundleName;

        @Override
        public Integer call()
        {
            call(() ->
            {
                BundleManagerClient.connect(instance()).uninstall(bundleName);
                return null;
            });
            return print(Map.of("uninstalled", bundleName), "uninstalled " + bundleName + System.lineSeparator());
        }
    }

    /** {@code bm dump -n NAME | -a}. */
    @Command(name = "dump", description = "Show one bundle's record (-n) or the names of every bundle (-a).")
    static final class Dump extends FoundationClient
    {
        @Option(names = {"-n", "--bundle-name"}, paramLabel = "NAME", description = "The bundle.")
        private String bundleName;

        @Option(names = {"-a", "--all"}, description = "Every bundle's name.")
        private boolean all;

        @Override
        public Integer call()
        {
            if (all == (null != bundleName))
            {
                throw new ParameterException(spec().commandLine(), "give exactly one of -n NAME and -a");
            }
            if (all)
            {
                final List<String> names = new ArrayList<>();
                parse(call(() -> BundleManagerClient.connect(instance()).list()))
                    .forEach(bundle -> names.add(bundle.get("bundleName").asText()));
                return print(Map.of("bundles", names), names.isEmpty() ? ""
                    : String.join(System.lineSeparator(), names) + System.lineSeparator());
            }
            final JsonNode record = parse(call(() -> BundleManagerClient.connect(instance())
                .getBundleInfo(bundleName)));
            return print(record, record.toPrettyString() + System.lineSeparator());
        }
    }

    /** {@code bm list}. */
    @Command(name = "list", description = "List the installed bundles: name, version, uid, privilege level, cache.")
    static final class ListBundles extends FoundationClient
    {
        @Override
        public Integer call()
        {
            final JsonNode bundles = parse(call(() -> BundleManagerClient.connect(instance()).list()));
            final List<Map<String, Object>> rows = new ArrayList<>();
            final StringBuilder table = new StringBuilder(String.format("%-40s %-10s %-10s %-13s %s%n", "BUNDLE",
                "VERSION", "UID", "APL", "AOT CACHE"));
            for (final JsonNode bundle : bundles)
            {
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("bundleName", bundle.get("bundleName").asText());
                row.put("versionCode", bundle.get("versionCode").asInt());
                row.put("versionName", bundle.get("versionName").asText());
                row.put("uid", bundle.get("uid").asInt());
                row.put("apl", bundle.get("apl").asText());
                row.put("systemApp", bundle.get("systemApp").asBoolean());
                row.put("aotCache", !bundle.get("aotCache").asText().isEmpty());
                rows.add(row);
                table.append(String.format("%-40s %-10s %-10d %-13s %s%n", row.get("bundleName"),
                    row.get("versionName"), row.get("uid"), row.get("apl"), (boolean)row.get("aotCache") ? "yes"
                    : "no"));
            }
            return print(Map.of("bundles", rows), table.toString());
        }
    }
}
