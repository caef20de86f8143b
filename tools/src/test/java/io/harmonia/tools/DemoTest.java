package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.Harmonia;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.tools.demo.AbilityDemo;
import io.harmonia.tools.demo.ChannelDemo;
import io.harmonia.tools.demo.IpcIoDemo;
import io.harmonia.tools.demo.RpcDemo;
import io.harmonia.tools.demo.SamgrDemo;
import io.harmonia.tools.demo.SamgrIpcDemo;
import io.harmonia.tools.demo.SpawnDemo;

class DemoTest
{
    private static String output(final Consumer<PrintWriter> step)
    {
        final StringWriter buffer = new StringWriter();
        final PrintWriter out = new PrintWriter(buffer, true);
        step.accept(out);
        out.flush();
        return buffer.toString();
    }

    @Test
    void theDemoCommandPrintsItsStepsAndEndsWithTheTotalTime()
    {
        final CommandRunner harmonia = new CommandRunner();
        assertEquals(0, harmonia.run("demo"), harmonia.err());
        final String output = harmonia.out();
        assertTrue(output.startsWith("== Harmonia demo: each figure with a baseline measured in the same run"),
            output);
        assertTrue(output.contains("[runtime] libharmonia " + Harmonia.version() + " (" + Harmonia.arch()
            + "; memfd"), output);
        for (final String step : new String[] {"[ipcio] ", "[channel] ", "[rpc] ", "[spawn] ", "[samgr] ",
            "[samgr-ipc] ", "[ability] "})
        {
            assertTrue(output.contains(step), step + " missing: " + output);
        }
        final String[] lines = output.split("\n");
        assertTrue(lines[lines.length - 1].matches("== demo finished in [0-9]+\\.[0-9] s"), output);
        for (final String line : lines)
        {
            assertTrue(line.startsWith("[") || line.startsWith("== "), "a line outside the steps: " + line);
        }
    }

    @Test
    void demoShowsAMessageSequenceRoundTripWithMemfdRawData()
    {
        final String output = output(new IpcIoDemo()::run);
        assertTrue(output.contains("[ipcio] MessageSequence wrote 4 fields in 76 bytes"), output);
        assertTrue(output.contains("1 MiB of raw data added only 28 bytes: a sealed memfd"), output);
        assertTrue(output.contains("token=ohos.demo.IEcho, int=42, text=héllo, IpcIo, ints=[1, 2, 3], raw data intact"
            + " (read-only mapping: true)"), output);
    }

    @Test
    void demoRunsAServiceExtensionWithTwoClientsKillsItAndReconnectsOrSaysWhyNot()
    {
        final String output = output(AbilityDemo::run);
        if (0 != Posix.euid())
        {
            assertTrue(output.contains("[ability] skipped: starting a service in its own process under its own uid "
                + "needs root"), output);
            return;
        }
        final Matcher service = Pattern.compile("the service runs in pid (\\d+) as uid (\\d+)").matcher(output);
        assertTrue(service.find(), output);
        assertTrue(Integer.parseInt(service.group(2)) >= 20010000, "the bundle's own uid: " + output);
        assertTrue(output.contains("client 1 calls it: the service says: uid 0 is -"), output);
        assertTrue(Pattern.compile("client 2 \\(com\\.harmonia\\.demo\\.client's UIAbility, pid \\d+, focused\\) "
            + "onConnect; the service says: uid (\\d+) is com\\.harmonia\\.demo\\.client").matcher(output).find(),
            output);
        assertTrue(output.contains(", onConnect]: one onConnect for both clients"), output);
        final Matcher killed = Pattern.compile("client 1 got onDisconnect after ([0-9.]+) ms, client 2 after ([0-9.]+) "
            + "ms").matcher(output);
        assertTrue(killed.find(), output);
        final Matcher fresh = Pattern.compile("a fresh process: pid (\\d+) \\(was (\\d+)\\)").matcher(output);
        assertTrue(fresh.find(), output);
        assertFalse(fresh.group(1).equals(fresh.group(2)), output);
        assertTrue(output.contains("baseline, a call's round trip to the same object"), output);
    }

    @Test
    void demoSpawnsAChildAsNobodyWithOneCapabilityOrSaysWhyNot()
    {
        final String output = output(SpawnDemo::run);
        if (0 != Posix.euid())
        {
            assertTrue(output.contains("[spawn] skipped: spawning a child with another uid and a capability needs root"),
                output);
            return;
        }
        assertTrue(output.contains("[spawn]   Uid: 65534 65534 65534 65534"), output);
        assertTrue(output.contains("[spawn]   CapEff: 0000000000000400"), output);
        assertTrue(output.contains("[spawn]   CapAmb: 0000000000000400"), output);
        assertTrue(output.contains("[spawn]   NoNewPrivs: 1"), output);
        assertTrue(output.contains("[spawn]   Name: demo.example.ap"), output);
    }

    @Test
    void demoComparesTheChannelWithAUnixSocketBetweenTheSameTwoProcesses()
    {
        final String output = output(ChannelDemo::run);
        final Matcher pids = Pattern.compile("\\[channel\\] pid (\\d+) -> pid (\\d+) over @harmonia-demo-")
            .matcher(output);
        assertTrue(pids.find(), output);
        assertFalse(pids.group(1).equals(pids.group(2)), "two different processes: " + output);
        final Matcher oneWay = Pattern.compile("\\[channel\\] one-way, 64 B messages: ([0-9.]+) M msgs/s; Unix socket "
            + "between the same processes ([0-9.]+) M msgs/s; ratio ([0-9.]+)x \\(higher is better\\)").matcher(output);
        assertTrue(oneWay.find(), output);
        assertRatio(Double.parseDouble(oneWay.group(1)) / Double.parseDouble(oneWay.group(2)), oneWay.group(3));
        final Matcher roundTrip = Pattern.compile("\\[channel\\] round trip, 64 B, both channel ends spinning: p50 "
            + "([0-9.]+) us, p99 [0-9.]+ us; Unix socket p50 ([0-9.]+) us, p99 [0-9.]+ us; p50 ratio ([0-9.]+)x "
            + "\\(lower is better\\)").matcher(output);
        assertTrue(roundTrip.find(), output);
        assertRatio(Double.parseDouble(roundTrip.group(1)) / Double.parseDouble(roundTrip.group(2)),
            roundTrip.group(3));
        assertTrue(output.matches("(?s).*\\[channel\\]   \\([0-9,]+ channel messages in [0-9.]+ s, [0-9,]+ socket "
            + "messages in [0-9.]+ s\\).*"), output);
        // a run cut short says so; one that ran in full must not claim it stopped
        final Matcher note = Pattern.compile("note: the (channel|socket)'s .* stopped at the [0-9]+ s limit after "
            + "([0-9,]+) of ([0-9,]+)").matcher(output);
        while (note.find())
        {
            assertTrue(Long.parseLong(note.group(2).replace(",", "")) < Long.parseLong(note.group(3).replace(",", "")),
                output);
        }
    }

    @Test
    void demoCallsARemoteObjectInAnotherProcessAndShowsTheCallersUidAsTheCalleeSawIt()
    {
        final String output = output(RpcDemo::run);
        final Matcher call = Pattern.compile("\\[rpc\\] pid (\\d+) \\(uid (\\d+)\\) called RemoteObject 'demo.greeter' "
            + "of pid (\\d+): \"hello demo\"; the callee saw uid (\\d+), pid (\\d+) \\(kernel, SO_PEERCRED\\)")
            .matcher(output);
        assertTrue(call.find(), output);
        assertEquals(call.group(1), call.group(5), "the callee saw this process's pid");
        assertEquals(call.group(2), call.group(4), "the callee saw this process's uid");
        assertFalse(call.group(1).equals(call.group(3)), "two processes");
        if (0 == Posix.euid())
        {
            final Matcher nobody = Pattern.compile("\\[rpc\\] pid (\\d+) running as uid 65534 called it too: "
                + "\"hello nobody\"; the callee saw uid 65534, pid (\\d+)").matcher(output);
            assertTrue(nobody.find(), output);
            assertEquals(nobody.group(1), nobody.group(2));
        }
        final Matcher roundTrip = Pattern.compile("\\[rpc\\] call round trip, default wait \\(spin 50 us, then park\\): "
            + "p50 ([0-9.]+) us, p99 [0-9.]+ us; Unix socket ping-pong p50 ([0-9.]+) us, p99 [0-9.]+ us; p50 ratio "
            + "([0-9.]+)x \\(lower is better\\)").matcher(output);
        assertTrue(roundTrip.find(), output);
        assertRatio(Double.parseDouble(roundTrip.group(1)) / Double.parseDouble(roundTrip.group(2)),
            roundTrip.group(3));
    }

    /** The printed ratio agrees with the printed figures (to the figures' rounding). */
    private static void assertRatio(final double expected, final String printed)
    {
        final double ratio = Double.parseDouble(printed);
        assertTrue(Math.abs(ratio - expected) <= 0.05 * expected + 0.001, printed + " vs " + expected);
    }

    @Test
    void demoShowsSamgrRequestsWithTheirThreadsAndABroadcastToTwoSubscribers()
    {
        final String output = output(SamgrDemo::run);
        assertFalse(output.contains("ERROR"), output);
        assertTrue(Pattern.compile("request \"world\" to Greeter -> \"Hello, world! "
            + "\\[handled on samgr\\d+-DemoService]\", response handled on samgr\\d+-DemoService")
            .matcher(output).find(), output);
        assertTrue(output.contains("-> \"count=1 [handled on samgr"), output);
        assertTrue(Pattern.compile("DemoClient's request -> \"Hello, DemoClient! "
            + "\\[handled on samgr\\d+-DemoService]\", response handled on samgr\\d+-DemoClient")
            .matcher(output).find(), output);
        assertTrue(output.contains("published topic 7 to 2 subscribers: true"), output);
        assertTrue(Pattern.compile("SubscriberA notified of topic 7 \"system update ready\" on samgr\\d+-SubscriberA")
            .matcher(output).find(), output);
        assertTrue(Pattern.compile("SubscriberB notified of topic 7 \"system update ready\" on samgr\\d+-SubscriberB")
            .matcher(output).find(), output);
    }

    @Test
    void demoRunsTheSamgrLiteExampleAcrossProcesses()
    {
        final String output = output(SamgrIpcDemo::run);
        assertTrue(Pattern.compile("\\[samgr-ipc] samgr server pid \\d+ at @\\S+; provider pid \\d+ registered "
            + "example/exampleFeature").matcher(output).find(), output);
        assertTrue(output.contains("Invoke(ID_ASYNCALL, empty request, no notify): one way, EC_SUCCESS"), output);
        assertTrue(output.contains("DemoClientProxy (from the registered factory): SyncCall true; AsyncCallBack true, "
            + "its handler got \"Yes, you did!\" before the call returned"), output);
        final Matcher figures = Pattern.compile("SyncCall to the provider's process: median ([0-9.]+) us over [0-9]+ "
            + "calls; the same call in process: ([0-9.]+) us; remote / in process: ([0-9.]+)x").matcher(output);
        assertTrue(figures.find(), output);
        assertRatio(Double.parseDouble(figures.group(1)) / Double.parseDouble(figures.group(2)), figures.group(3));
    }
}
