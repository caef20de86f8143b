package example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import io.harmonia.ability.ConnectOptions;
import io.harmonia.ability.ElementName;
import io.harmonia.ability.UIAbility;
import io.harmonia.ability.Want;
import io.harmonia.rpc.IRemoteObject;
import ohos.IdlServiceExtProxy;

/**
 * The seed's client in another bundle (com.example.connectextapp), a third-party app: when it is created (it has
 * the focus) it connects to the service, and in onConnect calls it through the proxy the IDL plugin generated, as
 * the seed's "Using the IDL interface" sample does; each line the seed logs goes to files/client.log.
 */
public class ClientAbility extends UIAbility
{
    public ClientAbility()
    {
    }

    private void log(final String line)
    {
        try
        {
            Files.writeString(getContext().getFilesDir().resolve("client.log"), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onCreate(final Want launch)
    {
        final Want want = Want.builder().deviceId("").bundleName("com.example.myapplication")
            .abilityName("ServiceExtAbility").build();
        final long connectionId = getContext().connectServiceExtensionAbility(want, new ConnectOptions()
        {
            @Override
            public void onConnect(final ElementName elementName, final IRemoteObject remote)
            {
                log("onConnect callback");
                if (null == remote)
                {
                    log("onConnect remote is null");
                    return;
                }
                final IdlServiceExtProxy serviceExtProxy = new IdlServiceExtProxy(remote);
                // Communication is carried out by interface calling, without exposing RPC details.
                serviceExtProxy.processData(1, (errorCode, retVal) ->
                    log("processData, errorCode: " + errorCode + ", retVal: " + retVal));
                serviceExtProxy.insertDataToMap("theKey", 1, errorCode ->
                    log("insertDataToMap, errorCode: " + errorCode));
            }

            @Override
            public void onDisconnect(final ElementName elementName)
            {
                log("onDisconnect callback");
            }

            @Override
            public void onFailed(final int code)
            {
                log("onFailed callback " + code);
            }
        });
        log("connectionId " + connectionId);
    }
}
