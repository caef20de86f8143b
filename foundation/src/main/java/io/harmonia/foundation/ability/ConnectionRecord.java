package io.harmonia.foundation.ability;

import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.ability.Want;
import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IRemoteObject;

/**
 * One client's connection to a service extension (OpenHarmony's connection record), keyed by the client's callback
 * object. Fields other than the final ones are guarded by the extension manager's lock.
 *
 * <p><b>States</b> (OpenHarmony's): INIT (accepted, its connect step queued), CONNECTING (onConnect scheduled for
 * it), CONNECTED (the client was handed the remote object), DISCONNECTING (the client disconnected or died; its
 * disconnect step queued), DISCONNECTED (out of the tables).
 */
final class ConnectionRecord
{
    /** Where a connection is in its life. */
    enum State
    {
        INIT,
        CONNECTING,
        CONNECTED,
        DISCONNECTING,
        DISCONNECTED
    }

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    final long id = NEXT_ID.getAndIncrement();
    final ExtensionRecord service;
    final IRemoteObject callback;
    final int clientUid;
    final int clientPid;
    final Want want;
    final DeathRecipient clientDied;
    State state = State.INIT;
    /** The state it had when it left the tables (DISCONNECTED): what its client is told depends on it. */
    State previous = State.INIT;
    /** The client's process died: it is not told anything any more. */
    boolean callerDied;

    ConnectionRecord(final ExtensionRecord service, final IRemoteObject callback, final int clientUid,
        final int clientPid, final Want want, final java.util.function.Consumer<ConnectionRecord> onClientDeath)
    {
        this.service = service;
        this.callback = callback;
        this.clientUid = clientUid;
        this.clientPid = clientPid;
        this.want = want;
        this.clientDied = () -> onClientDeath.accept(this);
    }

    @Override
    public String toString()
    {
        return "connection " + id + " of pid " + clientPid + " to " + service.key();
    }
}
