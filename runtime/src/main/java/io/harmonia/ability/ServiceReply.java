package io.harmonia.ability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RequestResult;

/**
 * The reply convention of foundation's services (ability manager, bundle manager) and of the app thread: every
 * reply starts with an {@code int} code, 0 for success, followed by the results; any other code is followed by one
 * string, the message. Codes are OpenHarmony's (201 permission denied, 401 bad parameter, 16000001..., 17700001...).
 */
public final class ServiceReply
{
    /** Success. */
    public static final int OK = 0;

    private ServiceReply()
    {
    }

    /**
     * Writes a failure reply.
     *
     * @param reply   the reply.
     * @param code    the error code (not 0).
     * @param message what failed, naming the field or thing.
     */
    public static void writeError(final MessageSequence reply, final int code, final String message)
    {
        reply.writeInt(code);
        reply.writeString(message);
    }

    /**
     * Replaces whatever a handler wrote into its reply with a failure.
     *
     * @param reply   the reply.
     * @param code    the error code (not 0).
     * @param message what failed.
     */
    public static void replaceWithError(final MessageSequence reply, final int code, final String message)
    {
        reply.rewindWrite(0);
        writeError(reply, code, message);
    }

    /**
     * One request with messages of its own: writes the data, calls, reads the results.
     *
     * @param service    the service.
     * @param code       the request code.
     * @param waitMillis the longest wait.
     * @param what       the operation, for the exception message.
     * @param write      writes the request's data.
     * @param read       reads the results after the 0 code.
     * @param <T>        the result type.
     * @return what {@code read} returned.
     * @throws ServiceException as {@link #call}.
     */
    public static <T> T request(final IRemoteObject service, final int code, final long waitMillis, final String what,
        final Consumer<MessageSequence> write, final Function<MessageSequence, T> read)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            write.accept(data);
            call(service, code, data, reply, waitMillis, what);
            return read.apply(reply);
        }
    }

    /**
     * {@link #request} without blocking: the future completes on the thread that read the reply (or at once, for an
     * object of this process) with what {@code read} returned, or exceptionally with the {@link ServiceException}
     * that {@link #request} would have thrown.
     *
     * @param service    the service.
     * @param code       the request code.
     * @param waitMillis the longest wait.
     * @param what       the operation, for the exception message.
     * @param write      writes the request's data (on the calling thread; an exception it throws is thrown).
     * @param read       reads the results after the 0 code.
     * @param <T>        the result type.
     * @return the result.
     */
    public static <T> CompletableFuture<T> requestAsync(final IRemoteObject service, final int code,
        final long waitMillis, final String what, final Consumer<MessageSequence> write,
        final Function<MessageSequence, T> read)
    {
        final MessageSequence data = MessageSequence.create();
        final MessageSequence reply = MessageSequence.create();
        final CompletableFuture<RequestResult> call;
        try
        {
            write.accept(data);
            final MessageOption option = new MessageOption();
            option.setWaitTimeMillis(waitMillis);
            call = service.sendMessageRequest(code, data, reply, option);
        }
        catch (final RuntimeException failed)
        {
            data.close();
            reply.close();
            throw failed;
        }
        return call.handle((result, failure) ->
        {
            try
            {
                if (null != failure)
                {
                    final Throwable cause = failure instanceof CompletionException && null != failure.getCause()
                        ? failure.getCause() : failure;
                    throw new ServiceException(ServiceException.UNREACHABLE, what + ": " + cause.getMessage(), cause);
                }
                final int status = reply.readInt();
                if (OK != status)
                {
                    throw new ServiceException(status, reply.readString(), null);
                }
                return read.apply(reply);
            }
            finally
            {
                data.close();
                reply.close();
            }
        });
    }

    /**
     * Calls a service and reads the code: returns with the reply positioned at the results on success.
     *
     * @param service  the service.
     * @param code     the request code.
     * @param data     the request.
     * @param reply    receives the reply.
     * @param waitMillis the longest wait.
     * @param what     the operation, for the exception message.
     * @throws ServiceException with the service's code and message, or {@link ServiceException#UNREACHABLE} when the
     *                          call itself failed (the service died or did not answer in time).
     */
    public static void call(final IRemoteObject service, final int code, final MessageSequence data,
        final MessageSequence reply, final long waitMillis, final String what)
    {
        final MessageOption option = new MessageOption();
        option.setWaitTimeMillis(waitMillis);
        try
        {
            service.sendMessageRequestSync(code, data, reply, option);
        }
        catch (final RemoteCallException failed)
        {
            throw new ServiceException(ServiceException.UNREACHABLE, what + ": " + failed.getMessage(), failed);
        }
        final int result = reply.readInt();
        if (OK != result)
        {
            throw new ServiceException(result, reply.readString(), null);
        }
    }
}
