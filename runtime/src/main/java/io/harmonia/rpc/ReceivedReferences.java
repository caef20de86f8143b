package io.harmonia.rpc;

/**
 * The references a received message carries. Each is resolved the first time its object is read (a proxy, or
 * this process's own object) and its writer is told the transfer is done; those never read are released with the
 * message, which also tells the writer.
 */
final class ReceivedReferences implements RemoteObjectSlots.ReferenceSource
{
    private final RpcRuntime runtime;
    private final ReferenceEntry[] entries;
    private final Connection source;
    private final IRemoteObject[] resolved;
    private boolean released;

    ReceivedReferences(final RpcRuntime runtime, final ReferenceEntry[] entries, final Connection source)
    {
        this.runtime = runtime;
        this.entries = entries;
        this.source = source;
        this.resolved = new IRemoteObject[entries.length];
    }

    @Override
    public IRemoteObject take(final int handle)
    {
        if (handle < 1 || handle > entries.length)
        {
            throw new RpcException(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, "field 'remote object': handle " +
                handle + " names none of the " + entries.length + " references the message carries");
        }
        if (null == resolved[handle - 1])
        {
            if (released)
            {
                throw new RpcException(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR,
                    "field 'remote object': the message was reclaimed");
            }
            final ReferenceEntry entry = entries[handle - 1];
            entries[handle - 1] = null; // its transfer is settled by materialize, whatever happens
            if (null == entry)
            {
                throw new RpcException(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR,
                    "field 'remote object': reference " + handle + " could not be used before");
            }
            resolved[handle - 1] = runtime.materialize(entry, source);
        }
        return resolved[handle - 1];
    }

    @Override
    public void releaseUnread()
    {
        if (released)
        {
            return;
        }
        released = true;
        for (int i = 0; i < entries.length; i++)
        {
            if (null != entries[i])
            {
                runtime.transferDone(entries[i], source);
                entries[i] = null;
            }
        }
    }
}
