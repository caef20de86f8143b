package io.harmonia.rpc;

/**
 * The outcome of {@link IRemoteObject#sendMessageRequest}: OpenHarmony's {@code rpc.RequestResult}.
 *
 * @param errCode 0 when the call succeeded, else the {@link CallFailure#status()} of why it did not.
 * @param code    the request code that was sent.
 * @param data    the request message the caller passed.
 * @param reply   the reply message the caller passed, now holding the reply (empty for a one-way call).
 */
public record RequestResult(int errCode, int code, MessageSequence data, MessageSequence reply)
{
}
