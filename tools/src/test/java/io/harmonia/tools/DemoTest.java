package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.Harmonia;

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
}
