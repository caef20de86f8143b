package io.harmonia.tools.demo.ability;

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
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;

/**
 * The demo's second client, a third-party app's UIAbility: when it is created (and so has the focus in the
 * foreground) it connects to the service the Want's {@code bundle} and {@code ability} parameters name, asks it
 * {@link EchoServiceExtension#WHO}, and logs each step to {@code files/client.log} with the time
 * ({@code System.nanoTime()}, the same clock in every process).
 */
public final class DemoClientAbility extends UIAbility
{
    /** The log's name. */
    public static final String LOG = "client.log";

    /** For the host. */
    public DemoClientAbility()
    {
    }

    private void log(final String event)
    {
        try
        {
            Files.writeString(getContext().getFilesDir().resolve(LOG), System.nanoTime() + " " + event + "\n",
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
        final Want service = Want.of(String.valueOf(want.parameters().get("bundle")),
            String.valueOf(want.parameters().get("ability")));
        getContext().connectServiceExtensionAbility(service, new ConnectOptions()
        {
            @Override
            public void onConnect(final ElementName elementName, final IRemoteObject remote)
            {
                try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
                {
                    remote.sendMessageRequestSync(EchoServiceExtension.WHO, data, reply, new MessageOption());
                    log("onConnect; the service says: uid " + reply.readInt() + " is " + reply.readString());
                }
            }

            @Override
            public void onDisconnect(final ElementName elementName)
            {
                log("onDisconnect");
            }

            @Override
            public void onFailed(final int code)
            {
                log("onFailed " + code);
            }
        });
    }
}
