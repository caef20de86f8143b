package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.Harmonia;
import io.harmonia.tools.demo.SamgrDemo;

class DemoTest
{
    @Test
    void demoPrintsTheLibraryVersionAndFeatures()
    {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
        final String output = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("[runtime] libharmonia " + Harmonia.version() + " (" + Harmonia.arch() + "; memfd"),
            output);
    }

    @Test
    void demoShowsAMessageSequenceRoundTripWithMemfdRawData()
    {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new io.harmonia.tools.demo.IpcIoDemo().run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        final String output = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("[ipcio] MessageSequence wrote 4 fields in 76 bytes"), output);
        assertTrue(output.contains("1 MiB of raw data added only 28 bytes: a sealed memfd"), output);
        assertTrue(output.contains("token=ohos.demo.IEcho, int=42, text=héllo, IpcIo, ints=[1, 2, 3], raw data intact"
            + " (read-only mapping: true)"), output);
    }

    @Test
    void demoSpawnsAChildAsNobodyWithOneCapabilityOrSaysWhyNot()
    {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        io.harmonia.tools.demo.SpawnDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        final String output = buffer.toString(StandardCharsets.UTF_8);
        if (0 != io.harmonia.bindings.posix.Posix.euid())
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
    void demoExchangesMessagesWithASecondProcessAndPrintsThroughputAndLatency()
    {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        io.harmonia.tools.demo.ChannelDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        final String output = buffer.toString(StandardCharsets.UTF_8);
        final java.util.regex.Matcher pids = java.util.regex.Pattern
            .compile("\\[channel\\] pid (\\d+) -> pid (\\d+) over @harmonia-demo-").matcher(output);
        assertTrue(pids.find(), output);
        assertTrue(!pids.group(1).equals(pids.group(2)), "two different processes: " + output);
        assertTrue(output.matches(
            "(?s).*\\[channel\\] one-way: 5,000,000 messages of 64 B in [0-9.]+ s = [0-9.]+ M msgs/s.*"), output);
        assertTrue(output.matches(
            "(?s).*\\[channel\\] round trip \\([0-9,]+ ping-pongs of 64 B, spin mode\\): p50 [0-9.]+ us, p99 .*"), output);
    }

    @Test
    void demoShowsSamgrRequestsWithTheirThreadsAndABroadcastToTwoSubscribers()
    {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SamgrDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        final String output = buffer.toString(StandardCharsets.UTF_8);
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
}
