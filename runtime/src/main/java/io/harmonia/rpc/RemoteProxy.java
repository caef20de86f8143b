package io.harmonia.rpc;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RemoteObject} of another process, as this process sees it (OpenHarmony's {@code rpc.RemoteProxy}):
 * calls go straight to the owner over a shared-memory channel, whichever process the reference came through.
 * Proxies are made by reading an object from a {@link MessageSequence} (or by {@link IPCSkeleton#connect}); a
 * process has at most one live proxy per remote object, and holds one reference to it at the owner, released when
 * the proxy becomes unreachable (or this process ends).
 *
 * <p>When the owner's process dies (or its connection is lost), the proxy is dead for good: calls fail at once with
 * {@link CallFailure#DEAD_OBJECT}, and the death recipients run once each. OpenHarmony's semantics: nothing
 * reconnects by itself; get a new reference to talk to a restarted owner.
 */
public final class RemoteProxy implements IRemoteObject
{
    private static final Cleaner CLEANER = Cleaner.create();

    final OutgoingConnection connection;
    final long objectId;
    final long secretLow;
    final long secretHigh;
    final int ownerPid;
    final String ownerAddress;
    private final String descriptor;
    private final List<DeathRecipient> recipients = new ArrayList<>();
    private boolean notified;
    private final Cleaner.Cleanable cleanable;

    RemoteProxy(final OutgoingConnection connection, final ReferenceEntry entry, final RpcRuntime runtime)
    {
        this.connection = connection;
        this.objectId = entry.objectId();
        this.secretLow = entry.secretLow();
        this.secretHigh = entry.secretHigh();
        this.ownerPid = entry.ownerPid();
        this.ownerAddress = entry.ownerAddress();
        this.descriptor = entry.descriptor();
        this.cleanable = CLEANER.register(this, new Release(runtime, connection, ownerAddress, objectId));
    }

    /** Sends RELEASE for the reference a collected proxy held; must not refer to the proxy. */
    private record Release(RpcRuntime runtime, OutgoingConnection connection, String address, long objectId)
        implements Runnable
    {
        @Override
        public void run()
        {
            runtime.proxyCollected(connection, address, objectId);
        }
    }

    @Override
    public CompletableFuture<RequestResult> sendMessageRequest(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        StubDispatch.checkArguments(data, reply, option);
        if (option.isAsync())
        {
            try
            {
                return CompletableFuture.completedFuture(sendMessageRequestSync(code, data, reply, option));
            }
            catch (final RemoteCallException failed)
            {
                return CompletableFuture.failedFuture(failed);
            }
        }
        return CompletableFuture.supplyAsync(() -> sendMessageRequestSync(code, data, reply, option),
            connection.runtime.asyncCalls());
    }

    @Override
    public RequestResult sendMessageRequestSync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        StubDispatch.checkArguments(data, reply, option);
        if (!StubDispatch.validCode(code))
        {
            throw StubDispatch.failure(CallFailure.INVALID_CODE, code, data, reply, "code " + code + " (0x" +
                Integer.toHexString(code) + "), must be 1..0x00ffffff");
        }
        if (connection.isClosed())
        {
            throw StubDispatch.failure(CallFailure.DEAD_OBJECT, code, data, reply, describe() + ": " +
                connection.closedBecause());
        }
        reply.clearForReply();
        if (option.isAsync())
        {
            try
            {
                connection.oneWay(objectId, code, data, option);
            }
            catch (final RemoteCallException failed)
            {
                throw StubDispatch.failure(failed.failure(), code, data, reply, describe() + ": " + failed.getMessage());
            }
            return new RequestResult(0, code, data, reply);
        }
        final PendingCall call = connection.call(objectId, code, data, reply, option);
        final int status = call.status();
        if (0 != status)
        {
            throw StubDispatch.failure(CallFailure.ofStatus(status), code, data, reply, describe() + ", code " + code +
                ": " + call.detail());
        }
        return new RequestResult(0, code, data, reply);
    }

    /**
     * The pid of the process that owns the object. The kernel vouched for it: the connection to the owner's endpoint
     * was refused unless its SO_PEERCRED pid was this one. A service can check with it that an object it was handed
     * belongs to its caller ({@code proxy.getOwnerPid() == IPCSkeleton.getCallingPid()}).
     *
     * @return the owner's pid.
     */
    public int getOwnerPid()
    {
        return connection.peerPid();
    }

    @Override
    public String getDescriptor()
    {
        return descriptor;
    }

    /** A proxy has no local interface. */
    @Override
    public IRemoteBroker getLocalInterface(final String descriptor)
    {
        return null;
    }

    @Override
    public boolean isObjectDead()
    {
        return connection.isClosed();
    }

    @Override
    public void registerDeathRecipient(final DeathRecipient recipient, final int flags)
    {
        if (null == recipient)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'recipient' is null");
        }
        synchronized (this)
        {
            if (!notified && !connection.isClosed())
            {
                if (!recipients.contains(recipient))
                {
                    recipients.add(recipient);
                }
                return;
            }
        }
        throw new RpcException(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR, describe() + " is already dead");
    }

    @Override
    public void unregisterDeathRecipient(final DeathRecipient recipient, final int flags)
    {
        synchronized (this)
        {
            recipients.remove(recipient);
        }
    }

    /** Takes the recipients to tell of the owner's death; a second call returns none. */
    synchronized List<DeathRecipient> takeRecipients()
    {
        notified = true;
        final List<DeathRecipient> taken = List.copyOf(recipients);
        recipients.clear();
        return taken;
    }

    /** Drops this proxy's reference at the owner now (the registry found a duplicate). */
    void releaseNow()
    {
        cleanable.clean();
    }

    String describe()
    {
        return "object " + objectId + " ('" + descriptor + "') of pid " + ownerPid;
    }

    @Override
    public String toString()
    {
        return "RemoteProxy{" + describe() + (isObjectDead() ? ", dead" : "") + "}";
    }
}
