package io.harmonia.samgr.client;

import java.lang.System.Logger.Level;

import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.wire.SamgrDecoder;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrProtocolException;

/**
 * The object a subscription hands the samgr server: it turns the server's one-way {@link SamgrProtocol#ON_ADDED}
 * and {@link SamgrProtocol#ON_REMOVED} calls into {@link SamgrListener} calls. A malformed call is logged and
 * refused; the listener never sees it.
 */
final class ListenerStub extends RemoteObject
{
    private static final System.Logger LOG = System.getLogger(ListenerStub.class.getName());

    final SamgrListener listener;

    ListenerStub(final SamgrListener listener)
    {
        super("harmonia.samgr.listener");
        this.listener = listener;
    }

    @Override
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        try
        {
            final SamgrKey key = SamgrDecoder.readEntryKey(data);
            final int providerPid = data.readInt();
            switch (code)
            {
                case SamgrProtocol.ON_ADDED ->
                {
                    SamgrDecoder.requireEnd(data, "ON_ADDED");
                    listener.onAdded(key, providerPid);
                }
                case SamgrProtocol.ON_REMOVED ->
                {
                    final int reason = data.readInt();
                    SamgrDecoder.requireEnd(data, "ON_REMOVED");
                    listener.onRemoved(key, providerPid, SamgrProtocol.REMOVED_PROVIDER_DIED == reason);
                }
                default ->
                {
                    LOG.log(Level.WARNING, "samgr listener call with unknown code " + code + " refused");
                    return false;
                }
            }
            return true;
        }
        catch (final SamgrProtocolException | io.harmonia.rpc.RpcException malformed)
        {
            LOG.log(Level.WARNING, "malformed samgr listener call (code " + code + ") refused: "
                + malformed.getMessage());
            return false;
        }
    }
}
