package io.harmonia.foundation.testapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import io.harmonia.ability.UIAbility;
import io.harmonia.ability.Want;

/**
 * The test bundles' UIAbility: appends each lifecycle callback to {@code files/events.log} in the bundle's data
 * folder (written by the app process under the bundle's uid), so tests see what ran and in which order.
 */
public class EntryAbility extends UIAbility
{
    /** For the host. */
    public EntryAbility()
    {
    }

    private void log(final String event)
    {
        try
        {
            Files.writeString(getContext().getFilesDir().resolve("events.log"),
                getContext().getAbilityName() + " " + event + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onCreate(final Want want)
    {
        log("onCreate " + want.parameters().getOrDefault("note", ""));
    }

    @Override
    public void onNewWant(final Want want)
    {
        log("onNewWant " + want.parameters().getOrDefault("note", ""));
    }

    @Override
    public void onForeground()
    {
        log("onForeground");
    }

    @Override
    public void onBackground()
    {
        log("onBackground");
    }

    @Override
    public void onDestroy()
    {
        log("onDestroy");
    }
}
