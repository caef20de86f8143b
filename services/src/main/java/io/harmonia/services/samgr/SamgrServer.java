package io.harmonia.services.samgr;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.wire.SamgrDecoder;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrProtocolException;
import io.harmonia.samgr.wire.SamgrRequest;
import io.harmonia.samgr.wire.SamgrWriter;

/**
 * The samgr server ({@code harmonia-samgr}): one RPC object, published at a well-known address, that every process
 * calls to register and find system abilities and samgr_lite features (protocol: {@code docs/protocols.md},
 * "samgr"). Each request is decoded by {@link SamgrDecoder} (a malformed one is answered {@code EC_INVALID} with the
 * field and the limit, and changes nothing), judged by the caller's kernel identity, and handled by the
 * {@link Registry}. Every request gets an answer: refusals are explicit replies, never silence.
 *
 * <p>Requests run on the RPC layer's incoming-call threads; a GET that waits for its key holds no thread.
 */
public final class SamgrServer extends RemoteObject implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(SamgrServer.class.getName());

    private final Registry registry;
    private final AtomicLong malformed = new AtomicLong();
    private volatile Publication publication;

    /**
     * A server with a configuration; {@link #publish} makes it reachable.
     *
     * @param config what it enforces.
     */
    public SamgrServer(final ServerConfig config)
    {
        super(SamgrProtocol.SERVER_DESCRIPTOR);
        this.registry = new Registry(config);
    }

    /**
     * Publishes the server at an address.
     *
     * @param address a path, or {@code @name} for an abstract address.
     * @return the publication.
     */
    public Publication publish(final String address)
    {
        final Publication published = IPCSkeleton.publish(address, this);
        publication = published;
        return published;
    }

    @Override
    protected CompletionStage<Boolean> onRemoteMessageRequestAsync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        final CallingIdentity caller = IPCSkeleton.getCallingIdentity();
        final SamgrRequest request;
        try
        {
            request = SamgrDecoder.decodeRequest(code, data);
        }
        catch (final SamgrProtocolException bad)
        {
            malformed.incrementAndGet();
            LOG.log(Level.INFO, () -> "malformed request (code " + code + ") from pid " + caller.pid() + ": "
                + bad.getMessage());
            SamgrWriter.failure(reply, bad.status(), bad.getMessage());
            return CompletableFuture.completedFuture(true);
        }
        return registry.handle(request, caller).handle((outcome, failure) ->
        {
            if (null != failure)
            {
                LOG.log(Level.ERROR, "request " + request + " failed", failure);
                SamgrWriter.failure(reply, ErrorCode.EC_FAILURE, "the samgr server failed: " + failure);
                return true;
            }
            write(outcome, reply);
            return true;
        });
    }

    private static void write(final Outcome outcome, final MessageSequence reply)
    {
        if (ErrorCode.EC_SUCCESS != outcome.status())
        {
            SamgrWriter.failure(reply, outcome.status(), outcome.detail());
            return;
        }
        SamgrWriter.success(reply);
        if (null != outcome.object())
        {
            reply.writeRemoteObject(outcome.object());
        }
        else if (null != outcome.policies())
        {
            SamgrWriter.policies(reply, outcome.policies());
        }
        else if (null != outcome.entries())
        {
            SamgrWriter.entries(reply, outcome.entries());
        }
    }

    /**
     * Sizes that must fall back when clients go: entries, subscriptions, waiting lookups, unsent notifications,
     * and the malformed requests seen.
     *
     * @return the five counts.
     */
    public long[] sizes()
    {
        final int[] registrySizes = registry.sizes();
        return new long[] {registrySizes[0], registrySizes[1], registrySizes[2], registrySizes[3], malformed.get()};
    }

    /** Stops accepting clients and stops the server's threads. */
    @Override
    public void close()
    {
        final Publication published = publication;
        if (null != published)
        {
            published.close();
        }
        registry.stop();
    }
}
