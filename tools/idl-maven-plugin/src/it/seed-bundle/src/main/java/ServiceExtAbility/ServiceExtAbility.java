package ServiceExtAbility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import example.ServiceExtImpl;
import io.harmonia.ability.ServiceExtensionAbility;
import io.harmonia.ability.Want;
import io.harmonia.rpc.RemoteObject;

/**
 * The seed's ServiceExtAbility.ts in Java, at the class its module.json5's srcEntry
 * "./ets/ServiceExtAbility/ServiceExtAbility.ts" names (package ServiceExtAbility, class ServiceExtAbility), so the
 * seed's manifest installs unchanged: every callback is logged (the seed's console.info, here files/events.log),
 * and onConnect returns the one ServiceExtImpl every client talks to.
 */
public class ServiceExtAbility extends ServiceExtensionAbility
{
    private static final String TAG = "[ServiceExtAbility]";

    private final ServiceExtImpl serviceExtImpl = new ServiceExtImpl("ExtImpl");

    public ServiceExtAbility()
    {
    }

    private void info(final String line)
    {
        try
        {
            Files.writeString(getContext().getFilesDir().resolve("events.log"), TAG + " " + line + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onCreate(final Want want)
    {
        info("onCreate, want: " + want.abilityName());
    }

    @Override
    public void onRequest(final Want want, final int startId)
    {
        info("onRequest, want: " + want.abilityName());
    }

    @Override
    public RemoteObject onConnect(final Want want)
    {
        info("onConnect, want: " + want.abilityName());
        return serviceExtImpl;
    }

    @Override
    public void onDisconnect(final Want want)
    {
        info("onDisconnect, want: " + want.abilityName());
    }

    @Override
    public void onDestroy()
    {
        info("onDestroy");
    }
}
