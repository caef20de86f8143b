package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MainTest
{
    @Test
    void anUnknownCommandPrintsUsageWithTheKnownCommandsAndExits2()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(new String[] {"no-such-command"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        final String usage = err.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("commands: ") && usage.contains("demo") && usage.contains("aa"), usage);
    }
}
