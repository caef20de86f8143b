package io.harmonia.tools;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.harmonia.spawn.Capabilities;
import io.harmonia.spawn.ChildInfo;
import io.harmonia.spawn.SpawnClient;
import io.harmonia.spawn.SpawnException;
import io.harmonia.spawn.SpawnRequest;
import io.harmonia.tools.cli.ActionGroup;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.DataCommand;
import io.harmonia.tools.cli.ExitCode;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code harmonia appspawn}: asks the appspawn daemon directly to start, terminate or list processes (a tool for
 * the daemon itself; apps of installed bundles are started with {@code harmonia aa start}, through the ability
 * manager). A refused request exits {@link ExitCode#FAILED} with the daemon's reason, a daemon that cannot be
 * reached {@link ExitCode#UNAVAILABLE}.
 */
@Command(name = "appspawn",
    description = "Start, list and terminate processes directly through the appspawn daemon.",
    subcommands = {AppSpawnCommand.Start.class, AppSpawnCommand.Terminate.class, AppSpawnCommand.Dump.class})
final class AppSpawnCommand extends ActionGroup
{
    @Option(names = "--socket", scope = ScopeType.INHERIT, paramLabel = "PATH",
        description = "The appspawn daemon's socket (default: ${DEFAULT-VALUE}).")
    private Path socket = SpawnClient.DEFAULT_SOCKET;

    private SpawnClient connect()
    {
        try
        {
            return SpawnClient.connect(socket);
        }
        catch (final UncheckedIOException ex)
        {
            throw CommandFailure.unavailable("cannot connect to appspawn at " + socket, ex);
        }
    }

    /** What every action shares: the daemon's socket (from {@code appspawn}), stdout and {@code --json}. */
    abstract static class Action extends DataCommand
    {
        @ParentCommand
        private AppSpawnCommand appspawn;

        final SpawnClient connect()
        {
            return appspawn.connect();
        }
    }

    /** {@code appspawn start}: one app process, printing its pid once it has reported ready. */
    @Command(name = "start", description = {"Start an app process and print its pid once it has reported ready.",
        "As root, or as the uid given to harmonia-appspawn with --foundation-uid."})
    static final class Start extends Action
    {
        @Option(names = {"-n", "--process-name"}, required = true, paramLabel = "NAME",
            description = "The process name (also the thread name the kernel shows, first 15 bytes).")
        private String processName;

        @Option(names = {"-s", "--so-path"}, required = true, paramLabel = "PATH",
            description = "Absolute path of the app library; it must export int HmAppMain(const hm_spawn_request *).")
        private String soPath;

        @Option(names = {"-u", "--uid"}, required = true, paramLabel = "UID",
            description = "The app's uid (not 0).")
        private int uid;

        @Option(names = {"-g", "--gid"}, required = true, paramLabel = "GID", description = "The app's gid.")
        private int gid;

        @Option(names = {"-b", "--bundle-name"}, paramLabel = "NAME",
            description = "The bundle the process belongs to (default: none).")
        private String bundleName;

        @Option(names = {"-G", "--gids"}, split = ",", paramLabel = "GID",
            description = "Supplementary groups, comma-separated.")
        private int[] gids = new int[0];

        @Option(names = {"-c", "--capabilities"}, split = ",", paramLabel = "CAP",
            converter = CapabilityConverter.class,
            description = "Capabilities to keep, by name or number, comma-separated (e.g. CAP_NET_BIND_SERVICE,kill,12).")
        private int[] capabilities = new int[0];

        @Option(names = {"-t", "--access-token-id"}, paramLabel = "ID", converter = TokenIdConverter.class,
            description = "The access token id, 0..4294967295 (default: 0).")
        private Integer accessTokenId;

        @Option(names = {"-a", "--apl"}, paramLabel = "APL",
            description = "The ability privilege level, which selects the SELinux domain (default: normal).")
        private String apl;

        @Option(names = {"-C", "--cold"},
            description = "Cold start: the daemon executes its launcher instead of loading the library in a fork of itself.")
        private boolean cold;

        @Override
        public Integer call()
        {
            final SpawnRequest request = request();
            try (SpawnClient client = connect())
            {
                final int pid = client.spawn(request);
                return print(Map.of("pid", pid), pid + System.lineSeparator());
            }
            catch (final SpawnException ex)
            {
                throw CommandFailure.failed(ex.getMessage());
            }
        }

        /** The request, checked as the daemon would check it (a bad field is a usage error: nothing is sent). */
        private SpawnRequest request()
        {
            final SpawnRequest.Builder builder = SpawnRequest.builder().processName(processName).soPath(soPath)
                .ids(uid, gid).gids(gids).capabilities(capabilities).coldStart(cold);
            if (null != bundleName)
            {
                builder.bundleName(bundleName);
            }
            if (null != accessTokenId)
            {
                builder.accessTokenId(accessTokenId);
            }
            if (null != apl)
            {
                builder.apl(apl);
            }
            try
            {
                return builder.build();
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec().commandLine(), ex.getMessage(), ex);
            }
        }
    }

    /** {@code appspawn terminate}: kills one child of the daemon. */
    @Command(name = "terminate", description = "Terminate an app process the daemon started (SIGKILL).")
    static final class Terminate extends Action
    {
        @Parameters(index = "0", paramLabel = "PID", description = "The process to terminate.")
        private int pid;

        @Override
        public Integer call()
        {
            try (SpawnClient client = connect())
            {
                if (!client.terminate(pid))
                {
                    throw CommandFailure.failed("pid " + pid + " is not a child of appspawn");
                }
            }
            return print(Map.of("terminated", pid), "terminated " + pid + System.lineSeparator());
        }
    }

    /** {@code appspawn dump}: the daemon's children. */
    @Command(name = "dump", description = "List the app processes the daemon started and has not reaped yet.")
    static final class Dump extends Action
    {
        @Override
        public Integer call()
        {
            final List<ChildInfo> children;
            try (SpawnClient client = connect())
            {
                children = client.dump();
            }
            final StringBuilder table = new StringBuilder(String.format("%-8s %-10s %-5s %-8s %s%n", "PID", "UID",
                "START", "STATE", "NAME"));
            for (final ChildInfo child : children)
            {
                table.append(String.format("%-8d %-10d %-5s %-8s %s%n", child.pid(), child.uid(),
                    child.coldStart() ? "cold" : "warm", child.ready() ? "ready" : "starting", child.name()));
            }
            return print(Map.of("children", children), table.toString());
        }
    }

    /** A capability by name ({@code CAP_KILL}, {@code kill}) or number. */
    static final class CapabilityConverter implements ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            try
            {
                return Capabilities.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }

    /** An unsigned 32-bit token id, carried in an int. */
    static final class TokenIdConverter implements ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            try
            {
                final long token = Long.parseLong(value);
                if (token >= 0 && token <= 0xFFFF_FFFFL)
                {
                    return (int)token;
                }
            }
            catch (final NumberFormatException ignored)
            {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' must be a number in 0..4294967295");
        }
    }
}
