package io.harmonia.rpc;

/**
 * An interface object that can hand out the remote object behind it (OpenHarmony's {@code IRemoteBroker}): what
 * {@link RemoteObject#modifyLocalInterface} registers and {@link IRemoteObject#getLocalInterface} returns, so code in
 * the owner's process can call the implementation directly instead of marshalling.
 */
public interface IRemoteBroker
{
    /**
     * The remote object this interface stands for.
     *
     * @return the object.
     */
    IRemoteObject asObject();
}
