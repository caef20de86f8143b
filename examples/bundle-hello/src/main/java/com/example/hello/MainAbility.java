package com.example.hello;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import io.harmonia.ability.UIAbility;
import io.harmonia.ability.Want;

/**
 * The bundle's UIAbility (module.json5 names it as srcEntry). It runs in the bundle's own process, under the uid
 * the bundle manager gave the bundle; it prints each lifecycle step and records it in files/hello.log, in the
 * bundle's data folder, which only that uid may enter.
 */
public class MainAbility extends UIAbility
{
    /** The ability manager creates it. */
    public MainAbility()
    {
    }

    private void say(final String what)
    {
        final String line = "Hello from " + getContext().getApplicationInfo().bundleName() + "/"
            + getContext().getAbilityName() + ": " + what + " (pid " + ProcessHandle.current().pid() + ", uid "
            + getContext().getApplicationInfo().uid() + ")";
        System.out.println(line);
        try
        {
            Files.writeString(getContext().getFilesDir().resolve("hello.log"), line + "\n", StandardCharsets.UTF_8,
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
        say("onCreate, greeting " + want.parameters().getOrDefault("greeting", "(none)"));
    }

    @Override
    public void onForeground()
    {
        say("onForeground");
    }

    @Override
    public void onBackground()
    {
        say("onBackground");
    }

    @Override
    public void onDestroy()
    {
        say("onDestroy");
    }
}
