package io.harmonia.tools;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.harmonia.runtime.RuntimeInfo;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.demo.AbilityDemo;
import io.harmonia.tools.demo.ChannelDemo;
import io.harmonia.tools.demo.IpcIoDemo;
import io.harmonia.tools.demo.RpcDemo;
import io.harmonia.tools.demo.SamgrDemo;
import io.harmonia.tools.demo.SamgrIpcDemo;
import io.harmonia.tools.demo.SpawnDemo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The README's main job: shows the parts of Harmonia working together as a short report. Each step prints its
 * lines under its own tag; each figure comes with a baseline measured in the same run and the ratio, saying which
 * way is better; a step that hits its time limit says so; the last line is the total time. Each capability adds
 * its own step here as it lands.
 */
@Command(name = "demo", description = {
    "Show the parts of Harmonia working together, with figures measured on this machine.",
    "IpcIo marshalling; two processes over a shared-memory channel (throughput and round trip, each against a",
    "Unix socket between the same processes in the same run); a RemoteObject called from another process (and,",
    "as root, from a process running as nobody) with the caller's uid as the callee saw it, and the call's round",
    "trip against a Unix socket; an app process started by appspawn (as root); samgr services in one process, and",
    "across processes (the samgr_lite example: a samgr server, a provider and this process calling it); a",
    "ServiceExtensionAbility in its own process under its own uid with two clients, killed and reconnected (as",
    "root). Takes about a minute; prints one line per result and the total time."})
public final class Demo implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /**
     * Entry point without the command line ({@code mvn -pl tools exec:exec@demo}).
     *
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        run(out);
        out.flush();
    }

    @Override
    public Integer call()
    {
        run(spec.commandLine().getOut());
        return ExitCode.OK;
    }

    static void run(final PrintWriter out)
    {
        final long start = System.nanoTime();
        out.println("== Harmonia demo: each figure with a baseline measured in the same run and the ratio");
        out.println("[runtime] " + RuntimeInfo.current().describe());
        new IpcIoDemo().run(out);
        ChannelDemo.run(out);
        RpcDemo.run(out);
        SpawnDemo.run(out);
        SamgrDemo.run(out);
        SamgrIpcDemo.run(out);
        AbilityDemo.run(out);
        out.printf(Locale.ROOT, "== demo finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        out.flush();
    }
}
