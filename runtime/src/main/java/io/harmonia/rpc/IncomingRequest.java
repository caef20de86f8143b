package io.harmonia.rpc;

/**
 * A request from another process, copied out of the ring and ready to run: which connection it came on (the
 * caller's identity and where the reply goes), the target object (null when the caller holds no reference to the
 * id it named), the code, the option flags, the request message, and the call chain for call-backs.
 */
final class IncomingRequest implements Runnable
{
    final IncomingConnection connection;
    final boolean oneWay;
    final long callId;
    final ExportedObject target;
    final long objectId;
    final int code;
    final int flags;
    final MessageSequence data;
    /** (pid, context) pairs of the threads waiting in this call chain, the caller's first. */
    final long[] chain;

    @Override
    public void run()
    {
        connection.runtime.incoming().execute(this);
    }

    IncomingRequest(final IncomingConnection connection, final boolean oneWay, final long callId,
        final ExportedObject target, final long objectId, final int code, final int flags,
        final MessageSequence data, final long[] chain)
    {
        this.connection = connection;
        this.oneWay = oneWay;
        this.callId = callId;
        this.target = target;
        this.objectId = objectId;
        this.code = code;
        this.flags = flags;
        this.data = data;
        this.chain = chain;
    }
}
