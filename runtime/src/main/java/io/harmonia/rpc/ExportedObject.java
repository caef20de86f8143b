package io.harmonia.rpc;

/**
 * What the RPC runtime keeps for a {@link RemoteObject} once it has been sent to another process: its object id and
 * secret, and who holds references to it. Filled in by the runtime; see {@code ObjectTable}.
 */
final class ExportedObject
{
    final RemoteObject object;

    ExportedObject(final RemoteObject object)
    {
        this.object = object;
    }
}
