package io.harmonia.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link RemoteObject} of another process, as this process sees it (OpenHarmony's {@code rpc.RemoteProxy}):
 * calls go straight to the owner over a shared-memory channel. Proxies are made by reading an object from a
 * {@link MessageSequence}; there is at most one live proxy per remote object in a process.
 */
public final class RemoteProxy implements IRemoteObject
{
    private final String descriptor;

    RemoteProxy(final String descriptor)
    {
        this.descriptor = descriptor;
    }

    @Override
    public CompletableFuture<RequestResult> sendMessageRequest(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public RequestResult sendMessageRequestSync(final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        throw new UnsupportedOperationException("not yet");
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
        return false;
    }

    @Override
    public void registerDeathRecipient(final DeathRecipient recipient, final int flags)
    {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void unregisterDeathRecipient(final DeathRecipient recipient, final int flags)
    {
    }
}
