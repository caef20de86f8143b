package io.harmonia.services.samgr;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia-samgr}: runs the samgr server in this JVM until SIGTERM (or, with {@code --exit-with-stdin}, until
 * stdin closes). It prints {@code ready <address>} on stdout once it answers. Exit status: 0 after a clean stop, 1
 * when another server already answers at the address or the address cannot be bound, 2 for bad usage.
 */
@Command(name = "harmonia-samgr", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"The samgr server: registry of system abilities and samgr_lite features, with access policy.",
        "Registering needs a system uid; looking up needs the entry's policy to let the caller's uid in."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly (SIGTERM, or stdin closed with --exit-with-stdin)",
        "1:another samgr server answers at the address, or the address cannot be bound",
        "2:bad usage (unknown option, malformed value); nothing was started"})
public final class SamgrServerMain implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--address", paramLabel = "ADDRESS",
        description = "Where to listen: a socket path, or @name for an abstract address (default: the "
            + SamgrProtocol.ADDRESS_PROPERTY + " property, else $" + SamgrProtocol.ADDRESS_ENV + ", else "
            + SamgrProtocol.DEFAULT_ADDRESS + ").")
    private String address;

    @Option(names = "--max-system-uid", paramLabel = "UID", defaultValue = "999",
        description = "Uids 0..UID may register (default: ${DEFAULT-VALUE}, Linux's SYS_UID_MAX); -1 for none.")
    private int maxSystemUid;

    @Option(names = "--register-uid", paramLabel = "UID",
        description = "A further uid that may register (repeatable), e.g. a foundation uid.")
    private List<Integer> registerUids = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "KEY=RULE[;RULE...]",
        description = {"Rules for a key that win over the provider's (repeatable). KEY is an ability id, SERVICE or "
            + "SERVICE/FEATURE; RULE is all, range:MIN-MAX or fixed:UID[,UID...] (up to 8 rules of up to 8 uids).",
            "Example: --policy appspawn=fixed:7 --policy 'example/feature=range:0-999;fixed:10001'"})
    private List<String> policies = new ArrayList<>();

    @Option(names = "--socket-mode", paramLabel = "OCTAL", defaultValue = "666",
        description = "File mode of a socket path (default: ${DEFAULT-VALUE}; access control is the policy, by uid).")
    private String socketMode;

    @Option(names = "--exit-with-stdin",
        description = "Stop when stdin closes (for a supervising process, and tests).")
    private boolean exitWithStdin;

    /**
     * Entry point.
     *
     * @param args the options.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new SamgrServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final ServerConfig config = config();
        final String at = null != address ? address : SamgrProtocol.configuredAddress();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!at.startsWith("@") && !prepareSocketPath(Path.of(at), err))
        {
            return 1;
        }
        final Set<PosixFilePermission> mode = permissions(socketMode);
        final SamgrServer server = new SamgrServer(config);
        try
        {
            server.publish(at);
        }
        catch (final RpcException unbound)
        {
            err.println("harmonia-samgr: error: cannot listen at " + at + ": " + unbound.getMessage());
            err.flush();
            return 1;
        }
        if (!at.startsWith("@"))
        {
            Files.setPosixFilePermissions(Path.of(at), mode);
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            stopped.countDown();
        }, "harmonia-samgr-stop"));
        out.println("ready " + at);
        out.flush();
        if (exitWithStdin)
        {
            drain(System.in);
            server.close();
            return 0;
        }
        stopped.await();
        return 0;
    }

    private ServerConfig config()
    {
        final Map<SamgrKey, List<AccessPolicy>> configured = new HashMap<>();
        for (final String option : policies)
        {
            final int equals = option.indexOf('=');
            if (equals <= 0)
            {
                throw new ParameterException(spec.commandLine(), "--policy '" + option + "' must be KEY=RULE[;RULE...]");
            }
            try
            {
                final SamgrKey key = SamgrKey.parse(option.substring(0, equals));
                final List<AccessPolicy> rules = new ArrayList<>();
                for (final String rule : option.substring(equals + 1).split(";"))
                {
                    rules.add(AccessPolicy.parse(rule));
                }
                if (rules.size() > AccessPolicy.MAX_POLICIES)
                {
                    throw new IllegalArgumentException(rules.size() + " rules, at most " + AccessPolicy.MAX_POLICIES);
                }
                configured.put(key, List.copyOf(rules));
            }
            catch (final IllegalArgumentException malformed)
            {
                throw new ParameterException(spec.commandLine(), "--policy '" + option + "': " + malformed.getMessage());
            }
        }
        final Set<Integer> uids = new HashSet<>(registerUids);
        final ServerConfig defaults = ServerConfig.defaults();
        return new ServerConfig(maxSystemUid, uids, configured, defaults.maxEntries(), defaults.maxPending(),
            defaults.maxPendingPerProcess());
    }

    /** Creates the socket's folder, refuses to take over a live server's socket, removes a stale one. */
    private static boolean prepareSocketPath(final Path socket, final PrintWriter err) throws IOException
    {
        final Path parent = socket.toAbsolutePath().getParent();
        if (null != parent && !Files.isDirectory(parent))
        {
            Files.createDirectories(parent);
        }
        if (!Files.exists(socket))
        {
            return true;
        }
        try
        {
            IPCSkeleton.connect(socket.toString(), 500);
            err.println("harmonia-samgr: error: another samgr server answers at " + socket);
            err.flush();
            return false;
        }
        catch (final RpcException stale)
        {
            Files.delete(socket); // nothing answers: a socket left by a server that died
            return true;
        }
    }

    private Set<PosixFilePermission> permissions(final String octal)
    {
        final int mode;
        try
        {
            mode = Integer.parseInt(octal, 8);
        }
        catch (final NumberFormatException malformed)
        {
            throw new ParameterException(spec.commandLine(), "--socket-mode '" + octal + "' is not an octal mode");
        }
        final Set<PosixFilePermission> set = new HashSet<>();
        final PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++)
        {
            if (0 != (mode & (1 << i)))
            {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static void drain(final InputStream in) throws IOException
    {
        final byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0)
        {
            // nothing: the server lives until stdin closes
        }
    }
}
