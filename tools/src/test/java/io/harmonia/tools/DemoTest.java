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
        new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
        final String output = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("[ipcio] MessageSequence wrote 4 fields in 76 bytes"), output);
        assertTrue(output.contains("1 MiB of raw data added only 28 bytes: a sealed memfd"), output);
        assertTrue(output.contains("token=ohos.demo.IEcho, int=42, text=héllo, IpcIo, ints=[1, 2, 3], raw data intact"
            + " (read-only mapping: true)"), output);
    }
}
