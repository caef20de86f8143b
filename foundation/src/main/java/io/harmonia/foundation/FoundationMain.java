package io.harmonia.foundation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.harmonia.ability.FoundationServices;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.spawn.SpawnClient;

/**
 * The foundation process: {@code FoundationMain [--instance NAME] [--state-dir DIR] [--appspawn-socket PATH]
 * [--token-dir DIR] [--install-list FILE] [--device-type TYPE] [--java PATH] [--no-aot-cache]
 * [--samgr ADDRESS | --no-samgr] --app-classpath CP}, where CP is a ':'-separated list of jars or folders, or
 * {@code @FILE} for a file holding it (Maven's build-classpath output).
 *
 * <p>Which samgr server it registers its services in: {@code --samgr ADDRESS} names one; without it the default
 * instance registers in the machine's ({@link SamgrProtocol#configuredAddress()}) and a named instance in none (only
 * one foundation on a machine owns the system ability ids); {@code --no-samgr} registers nowhere. A configured server
 * that does not answer within {@value SamgrRegistration#START_WAIT_MILLIS} ms, or refuses, stops the start.
 *
 * <p>It prints {@code foundation ready <instance>} once its services are published and registered and runs until
 * SIGTERM or SIGINT, which stop every app process. Exit status 2 for bad arguments, 1 when it cannot start.
 */
public final class FoundationMain
{
    private FoundationMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args see the class comment.
     * @throws InterruptedException never in practice (the main thread waits for the shutdown).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final FoundationConfig config;
        try
        {
            config = parse(args);
        }
        catch (final IllegalArgumentException | IOException bad)
        {
            System.err.println("foundation: " + bad.getMessage());
            System.exit(2);
            return;
        }
        final Foundation foundation;
        try
        {
            foundation = Foundation.start(config);
        }
        catch (final IOException | RuntimeException failed)
        {
            System.err.println("foundation: cannot start: " + failed);
            System.exit(1);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            foundation.close();
            stopped.countDown();
        }, "foundation-stop"));
        System.err.println(null == config.samgrAddress() ? "foundation: not registered in samgr (a named instance, or "
            + "--no-samgr); clients find it at @harmonia." + config.instance() + ".*"
            : "foundation: registered ams 180, bms 401, atm 3503 in the samgr server at " + config.samgrAddress());
        System.out.println("foundation ready " + config.instance());
        System.out.flush();
        stopped.await();
    }

    static FoundationConfig parse(final String[] args) throws IOException
    {
        String instance = FoundationServices.instance();
        Path stateDir = FoundationConfig.DEFAULT_STATE_DIR;
        Path socket = SpawnClient.DEFAULT_SOCKET;
        Path installList = FoundationConfig.DEFAULT_INSTALL_LIST;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = null;
        boolean aotCache = true;
        Path tokenDir = io.harmonia.spawn.AccessTokenTable.DEFAULT_DIRECTORY;
        String deviceType = FoundationConfig.DEFAULT_DEVICE_TYPE;
        String samgr = null;
        boolean noSamgr = false;
        for (int i = 0; i < args.length; i += 2)
        {
            if ("--no-aot-cache".equals(args[i]))
            {
                aotCache = false;
                i--;
                continue;
            }
            if ("--no-samgr".equals(args[i]))
            {
                noSamgr = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            final String value = args[i + 1];
            switch (args[i])
            {
                case "--instance" -> instance = value;
                case "--state-dir" -> stateDir = Path.of(value).toAbsolutePath();
                case "--appspawn-socket" -> socket = Path.of(value);
                case "--install-list" -> installList = Path.of(value);
                case "--token-dir" -> tokenDir = Path.of(value).toAbsolutePath();
                case "--device-type" -> deviceType = value;
                case "--samgr" -> samgr = value;
                case "--java" -> java = Path.of(value);
                case "--app-classpath" -> classPath = value.startsWith("@")
                    ? Files.readString(Path.of(value.substring(1))).strip() : value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (null == classPath || classPath.isEmpty())
        {
            throw new IllegalArgumentException("--app-classpath is required (the jars apps link)");
        }
        FoundationServices.address(instance, FoundationServices.ABILITY_MANAGER);
        if (noSamgr && null != samgr)
        {
            throw new IllegalArgumentException("--samgr and --no-samgr exclude each other");
        }
        if (null != samgr && samgr.isBlank())
        {
            throw new IllegalArgumentException("--samgr needs an address (a socket path or @name)");
        }
        if (null == samgr && !noSamgr && FoundationServices.DEFAULT_INSTANCE.equals(instance))
        {
            samgr = SamgrProtocol.configuredAddress();
        }
        final List<Path> entries = new ArrayList<>();
        for (final String entry : classPath.split(":"))
        {
            if (!entry.isEmpty())
            {
                entries.add(Path.of(entry).toAbsolutePath());
            }
        }
        return new FoundationConfig(instance, stateDir, socket, entries, java, installList, aotCache, tokenDir,
            deviceType, samgr);
    }
}
