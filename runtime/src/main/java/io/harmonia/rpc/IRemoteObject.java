package io.harmonia.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * An object that can be called with a code and a message, in this process or another (OpenHarmony's
 * {@code rpc.IRemoteObject}). A {@link RemoteObject} is the object itself, living in the process that created it;
 * a {@link RemoteProxy} names one that lives in another process. Both are called the same way, and both can be
 * written into a {@link MessageSequence} and passed on: the receiver reaches the owner directly.
 *
 * <p><b>Calls.</b> Codes run from {@link #MIN_TRANSACTION_ID} to {@link #MAX_TRANSACTION_ID}. A synchronous call
 * waits for the reply at most the option's wait time; a one-way call ({@link MessageOption#TF_ASYNC}) returns once
 * the request is queued, and one-way calls through one proxy are handled in the order they were sent. The reply
 * goes into the caller's {@code reply} message. Failures are {@link RemoteCallException}s that say why
 * ({@link CallFailure}) and which leg failed; the future form completes exceptionally with them.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. A synchronous call blocks only its own thread;
 * while it waits, a call back into this process from the callee (directly or through other processes) runs on the
 * waiting thread, so call-backs never deadlock.
 */
public interface IRemoteObject
{
    /** The first user request code ({@code FIRST_CALL_TRANSACTION}). */
    int MIN_TRANSACTION_ID = 0x00000001;
    /** The last user request code ({@code LAST_CALL_TRANSACTION}). */
    int MAX_TRANSACTION_ID = 0x00ffffff;

    /**
     * Sends a request; the future completes with the result once the reply arrived (synchronous) or the request
     * was queued (one way).
     *
     * @param code   the request code, {@link #MIN_TRANSACTION_ID}..{@link #MAX_TRANSACTION_ID}.
     * @param data   the request (not reclaimed by the call).
     * @param reply  where the reply goes (its old content is replaced).
     * @param option sync or one way, and the wait time.
     * @return the result; completes exceptionally with a {@link RemoteCallException} on failure.
     * @throws RpcException 401 at once for a null argument.
     */
    CompletableFuture<RequestResult> sendMessageRequest(int code, MessageSequence data, MessageSequence reply,
        MessageOption option);

    /**
     * Sends a request and blocks until the reply arrived (synchronous) or the request was queued (one way).
     *
     * @param code   the request code.
     * @param data   the request.
     * @param reply  where the reply goes.
     * @param option sync or one way, and the wait time.
     * @return the result, errCode 0.
     * @throws RemoteCallException when the call failed.
     * @throws RpcException        401 for a null argument.
     */
    RequestResult sendMessageRequestSync(int code, MessageSequence data, MessageSequence reply,
        MessageOption option);

    /**
     * The interface descriptor the object was created with.
     *
     * @return the descriptor.
     */
    String getDescriptor();

    /**
     * The local interface registered for a descriptor ({@link RemoteObject#modifyLocalInterface}); always null on a
     * proxy.
     *
     * @param descriptor the interface descriptor.
     * @return the interface, or null.
     */
    IRemoteBroker getLocalInterface(String descriptor);

    /**
     * Whether the object's process has died (a local object is never dead).
     *
     * @return true once dead.
     */
    boolean isObjectDead();

    /**
     * Registers a recipient told once when the object's process dies. A recipient registered twice is told once.
     * A local object accepts and never calls it.
     *
     * @param recipient the recipient.
     * @param flags     reserved, 0.
     * @throws RpcException 1900008 when the proxy is already dead, 401 for a null recipient.
     */
    void registerDeathRecipient(DeathRecipient recipient, int flags);

    /**
     * Removes a recipient; removing one that is not registered (or from a dead proxy) does nothing.
     *
     * @param recipient the recipient.
     * @param flags     reserved, 0.
     */
    void unregisterDeathRecipient(DeathRecipient recipient, int flags);
}
