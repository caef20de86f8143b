package io.harmonia.tools;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.harmonia.spawn.Capabilities;
import io.harmonia.spawn.ChildInfo;
import io.harmonia.spawn.SpawnClient;
import io.harmonia.spawn.SpawnException;
import io.harmonia.spawn.SpawnRequest;

/**
 * {@code aa}: asks the appspawn daemon to start, terminate or list app processes (named after OpenHarmony's
 * ability assistant). Exit status 0 on success, 1 when the daemon refused or a step failed, 2 for bad usage.
 */
final class AaCommand
{
    static final String USAGE = String.join("\n",
        "usage: aa start -n <processName> -s <soPath> -u <uid> -g <gid> [-b <bundleName>] [-G <gid,...>]",
        "                [-c <capability,...>] [-t <accessTokenId>] [-a <apl>] [-C] [--socket <path>]",
        "       aa terminate <pid> [--socket <path>]",
        "       aa dump [--socket <path>]",
        "  -C            cold start: the daemon executes its launcher instead of loading soPath in a fork of itself",
        "  -c            capabilities by name or number, e.g. CAP_NET_BIND_SERVICE,kill,12",
        "  --socket      the daemon's socket (default " + SpawnClient.DEFAULT_SOCKET + ")");

    private AaCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        try
        {
            if (0 == args.length)
            {
                throw new IllegalArgumentException("missing the action (start, terminate or dump)");
            }
            final List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
            final Path socket = takeSocket(rest);
            return switch (args[0])
            {
                case "start" -> start(rest, socket, out, err);
                case "terminate" -> terminate(rest, socket, out, err);
                case "dump" -> dump(rest, socket, out);
                default -> throw new IllegalArgumentException("unknown action '" + args[0] + "'");
            };
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("aa: " + ex.getMessage());
            err.println(USAGE);
            return 2;
        }
        catch (final UncheckedIOException ex)
        {
            err.println("aa: " + ex.getMessage() + (null != ex.getCause() ? ": " + ex.getCause().getMessage() : ""));
            return 1;
        }
    }

    private static Path takeSocket(final List<String> args)
    {
        final int at = args.indexOf("--socket");
        if (at < 0)
        {
            return SpawnClient.DEFAULT_SOCKET;
        }
        if (at + 1 >= args.size())
        {
            throw new IllegalArgumentException("--socket needs a path");
        }
        final Path socket = Path.of(args.get(at + 1));
        args.subList(at, at + 2).clear();
        return socket;
    }

    private static int start(final List<String> args, final Path socket, final PrintStream out, final PrintStream err)
    {
        final SpawnRequest.Builder builder = SpawnRequest.builder();
        Integer uid = null;
        Integer gid = null;
        for (int i = 0; i < args.size(); i++)
        {
            final String option = args.get(i);
            if ("-C".equals(option))
            {
                builder.coldStart(true);
                continue;
            }
            if (i + 1 >= args.size())
            {
                throw new IllegalArgumentException(option + " needs a value");
            }
            final String value = args.get(++i);
            switch (option)
            {
                case "-n" -> builder.processName(value);
                case "-b" -> builder.bundleName(value);
                case "-s" -> builder.soPath(value);
                case "-u" -> uid = number("-u", value);
                case "-g" -> gid = number("-g", value);
                case "-G" -> builder.gids(Arrays.stream(value.split(",")).mapToInt(g -> number("-G", g)).toArray());
                case "-c" -> builder.capabilities(
                    Arrays.stream(value.split(",")).mapToInt(Capabilities::parse).toArray());
                case "-t" -> builder.accessTokenId(tokenId(value));
                case "-a" -> builder.apl(value);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (null == uid || null == gid)
        {
            throw new IllegalArgumentException("-u <uid> and -g <gid> are required");
        }
        builder.ids(uid, gid);
        final SpawnRequest request;
        try
        {
            request = builder.build();
        }
        catch (final NullPointerException ex)
        {
            throw new IllegalArgumentException(ex.getMessage() + " is required (-n processName, -s soPath)");
        }
        try (SpawnClient client = SpawnClient.connect(socket))
        {
            out.println(client.spawn(request));
            return 0;
        }
        catch (final SpawnException ex)
        {
            err.println("aa: " + ex.getMessage());
            return 1;
        }
    }

    private static int terminate(final List<String> args, final Path socket, final PrintStream out,
        final PrintStream err)
    {
        if (1 != args.size())
        {
            throw new IllegalArgumentException("terminate takes exactly one pid");
        }
        final int pid = number("pid", args.get(0));
        try (SpawnClient client = SpawnClient.connect(socket))
        {
            if (!client.terminate(pid))
            {
                err.println("aa: pid " + pid + " is not a child of appspawn");
                return 1;
            }
            out.println("terminated " + pid);
            return 0;
        }
    }

    private static int dump(final List<String> args, final Path socket, final PrintStream out)
    {
        if (!args.isEmpty())
        {
            throw new IllegalArgumentException("dump takes no arguments");
        }
        try (SpawnClient client = SpawnClient.connect(socket))
        {
            final List<ChildInfo> children = client.dump();
            out.printf("%-8s %-10s %-5s %-8s %s%n", "PID", "UID", "START", "STATE", "NAME");
            for (final ChildInfo child : children)
            {
                out.printf("%-8d %-10d %-5s %-8s %s%n", child.pid(), child.uid(), child.coldStart() ? "cold" : "warm",
                    child.ready() ? "ready" : "starting", child.name());
            }
            return 0;
        }
    }

    private static int tokenId(final String value)
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
        throw new IllegalArgumentException("-t '" + value + "': must be a number in 0..4294967295");
    }

    private static int number(final String option, final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " '" + value + "': not a number");
        }
    }
}
