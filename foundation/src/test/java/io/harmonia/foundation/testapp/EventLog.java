package io.harmonia.foundation.testapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import io.harmonia.ability.AbilityContext;

/**
 * Appends lines to {@code files/events.log} in the bundle's data folder (written by the app process under the
 * bundle's uid), so tests see what ran, in which order; {@code files/times.log} gets the same line after the
 * {@code System.nanoTime()} it was written at (CLOCK_MONOTONIC, the same clock in every process), so a test can
 * order it against what another process saw. One line per append (O_APPEND).
 */
final class EventLog
{
    private EventLog()
    {
    }

    static void append(final AbilityContext context, final String event)
    {
        try
        {
            final long now = System.nanoTime();
            final String line = context.getAbilityName() + " " + event + "\n";
            Files.writeString(context.getFilesDir().resolve("events.log"), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(context.getFilesDir().resolve("times.log"), now + " " + line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
