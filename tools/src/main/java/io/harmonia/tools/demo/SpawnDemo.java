package io.harmonia.tools.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.spawn.AppSpawnDaemon;
import io.harmonia.spawn.Capabilities;
import io.harmonia.spawn.SpawnClient;
import io.harmonia.spawn.SpawnRequest;

/**
 * The demo's appspawn step: starts a private appspawn daemon, has it spawn the example app as user nobody
 * (65534) with one capability (CAP_NET_BIND_SERVICE), prints the kernel's view of the child from
 * /proc/PID/status, then terminates it and stops the daemon. It needs root; otherwise it says why it is skipped.
 */
public final class SpawnDemo
{
    /** The /proc/PID/status lines the demo prints. */
    static final List<String> STATUS_FIELDS =
        List.of("Name", "Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs");

    private SpawnDemo()
    {
    }

    /**
     * Runs the step.
     *
     * @param out where the lines go.
     */
    public static void run(final PrintWriter out)
    {
        if (0 != Posix.euid())
        {
            out.println("[spawn] skipped: spawning a child with another uid and a capability needs root, and this "
                + "demo runs as uid " + Posix.euid() + " (run ./harmonia demo as root)");
            return;
        }
        try (AppSpawnDaemon daemon = AppSpawnDaemon.start();
            SpawnClient client = daemon.connect())
        {
            final SpawnRequest request = SpawnRequest.builder()
                .processName("demo.example.app")
                .bundleName("io.harmonia.demo")
                .soPath(NativeExecutables.locate(NativeExecutables.EXAMPLE_APP).toString())
                .ids(65534, 65534)
                .gids(65534)
                .capabilities(Capabilities.NET_BIND_SERVICE)
                .accessTokenId(4242)
                .build();
            final int pid = client.spawn(request);
            out.println("[spawn] appspawn (pid " + daemon.pid() + ") started " + request.processName() + " as pid "
                + pid + ": uid 65534, gid 65534, CAP_NET_BIND_SERVICE, warm start; the kernel says:");
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            {
                if (STATUS_FIELDS.contains(line.substring(0, Math.max(0, line.indexOf(':')))))
                {
                    out.println("[spawn]   " + line.replace('\t', ' '));
                }
            }
            client.terminate(pid);
            out.println("[spawn] terminated pid " + pid + "; stopping appspawn (it reaps every child)");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
