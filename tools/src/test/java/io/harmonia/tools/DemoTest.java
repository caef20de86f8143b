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
