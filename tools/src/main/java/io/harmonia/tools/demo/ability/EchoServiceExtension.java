package io.harmonia.tools.demo.ability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.harmonia.ability.ServiceExtensionAbility;
import io.harmonia.ability.Want;
import io.harmonia.bundle.BundleManager;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The demo's ServiceExtensionAbility: logs its lifecycle to {@code files/service.log} of its bundle's data folder
 * and hands every client one object, which answers {@link #ECHO} (the int plus one, the seeds' raw round trip) and
 * {@link #WHO}: the caller's uid from the kernel and the bundle the bundle manager says it belongs to (the seeds'
 * getCallingUid then getBundleNameByUid, answered when the lookup finished: the Promise form of the handler).
 */
public final class EchoServiceExtension extends ServiceExtensionAbility
{
    /** The int plus one. */
    public static final int ECHO = 1;
    /** The caller: reply int uid, string bundle ("-" for none). */
    public static final int WHO = 2;
    /** The log's name. */
    public static final String LOG = "service.log";

    private final RemoteObject echo = new EchoStub();

    /** For the host. */
    public EchoServiceExtension()
    {
    }

    private void log(final String event)
    {
        try
        {
            Files.writeString(getContext().getFilesDir().resolve(LOG), event + "\n", StandardCharsets.UTF_8,
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
        log("onCreate in pid " + ProcessHandle.current().pid());
    }

    @Override
    public void onRequest(final Want want, final int startId)
    {
        log("onRequest " + startId);
    }

    @Override
    public RemoteObject onConnect(final Want want)
    {
        log("onConnect");
        return echo;
    }

    @Override
    public void onDisconnect(final Want want)
    {
        log("onDisconnect");
    }

    @Override
    public void onDestroy()
    {
        log("onDestroy");
    }

    /** The object every client gets. */
    private static final class EchoStub extends RemoteObject
    {
        EchoStub()
        {
            super("harmonia.demo.Echo");
        }

        @Override
        protected CompletionStage<Boolean> onRemoteMessageRequestAsync(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case ECHO ->
                {
                    reply.writeInt(data.readInt() + 1);
                    return CompletableFuture.completedFuture(true);
                }
                case WHO ->
                {
                    final int callerUid = IPCSkeleton.getCallingUid();
                    return BundleManager.getBundleNameByUid(callerUid).handle((bundleName, failure) ->
                    {
                        reply.writeInt(callerUid);
                        reply.writeString(null == failure ? bundleName : "-");
                        return true;
                    });
                }
                default ->
                {
                    return CompletableFuture.completedFuture(false);
                }
            }
        }
    }
}
