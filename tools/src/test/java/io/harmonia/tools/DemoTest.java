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
}
