package io.harmonia.foundation.ability;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.rpc.CallFailure;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;

/**
 * Why one lifecycle step of an extension, called synchronously in its app process, did not complete: it
 * {@link Kind#TIMED_OUT} (the deadline passed, or the step was forced to time out), the process {@link Kind#DIED},
 * or the app {@link Kind#FAILED} it with a code (the callback threw: 16000050; the srcEntry class could not be
 * loaded: 16000001; it is not of the extension's type: 16000002). {@link #call} is the one way the extension
 * manager runs a step.
 */
final class StepFailure extends Exception
{
    private static final long serialVersionUID = 1L;

    /** The three ways a step fails. */
    enum Kind
    {
        TIMED_OUT,
        DIED,
        FAILED
    }

    private final Kind kind;
    private final int code;
    private final transient java.util.concurrent.CompletableFuture<?> inFlight;

    private StepFailure(final Kind kind, final int code, final String message)
    {
        this(kind, code, message, java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    private StepFailure(final Kind kind, final int code, final String message,
        final java.util.concurrent.CompletableFuture<?> inFlight)
    {
        super(message);
        this.kind = kind;
        this.code = code;
        this.inFlight = inFlight;
    }

    /** The forced step's request, still running in the app (completed for any other failure). */
    java.util.concurrent.CompletableFuture<?> inFlight()
    {
        return inFlight;
    }

    Kind kind()
    {
        return kind;
    }

    /** The error the waiting caller gets: the app's code, 16000050 for a timeout or a death. */
    AbilityException toAbilityException()
    {
        return new AbilityException(Kind.FAILED == kind ? code : AbilityErrors.INNER, getMessage());
    }

    /** What reads a step's reply after its 0 code. */
    @FunctionalInterface
    interface ReplyReader<T>
    {
        T read(MessageSequence reply);
    }

    /**
     * Runs one step: sends the request to the app thread and waits at most the deadline for the reply. A forced
     * step is sent without waiting (its answer is dropped) and fails at once as timed out.
     *
     * @param thread   the app thread.
     * @param code     the request code.
     * @param millis   the deadline.
     * @param forced   whether the step is forced to time out.
     * @param what     the step, for messages ("onCreate of com.example/ServiceExtAbility").
     * @param write    writes the request.
     * @param read     reads the results.
     * @param <T>      the result type.
     * @return what read returned.
     * @throws StepFailure when the step did not complete.
     */
    static <T> T call(final IRemoteObject thread, final int code, final long millis, final boolean forced,
        final String what, final java.util.function.Consumer<MessageSequence> write, final ReplyReader<T> read)
        throws StepFailure
    {
        if (null == thread)
        {
            throw new StepFailure(Kind.DIED, AbilityErrors.INNER, what + ": the process has no app thread");
        }
        final MessageSequence data = MessageSequence.create();
        final MessageSequence reply = MessageSequence.create();
        if (forced)
        {
            java.util.concurrent.CompletableFuture<?> sent = java.util.concurrent.CompletableFuture.completedFuture(null);
            try
            {
                write.accept(data);
                final MessageOption option = new MessageOption();
                option.setWaitTimeMillis(millis);
                sent = thread.sendMessageRequest(code, data, reply, option).whenComplete((result, failure) ->
                {
                    data.close();
                    reply.close();
                });
            }
            catch (final RuntimeException unsent)
            {
                data.close();
                reply.close();
            }
            throw new StepFailure(Kind.TIMED_OUT, AbilityErrors.INNER, what + " timed out (forced by the test hook)",
                sent);
        }
        try
        {
            write.accept(data);
            ServiceReply.call(thread, code, data, reply, millis, what);
            return read.read(reply);
        }
        catch (final ServiceException failed)
        {
            if (failed.getCause() instanceof RemoteCallException call)
            {
                throw CallFailure.TIMED_OUT == call.failure()
                    ? new StepFailure(Kind.TIMED_OUT, AbilityErrors.INNER, what + " did not return within " + millis
                        + " ms")
                    : new StepFailure(Kind.DIED, AbilityErrors.INNER, what + ": the process is gone ("
                        + call.failure() + ")");
            }
            throw new StepFailure(Kind.FAILED, failed.code(), what + ": " + failed.getMessage());
        }
        catch (final RuntimeException unreadable)
        {
            throw new StepFailure(Kind.FAILED, AbilityErrors.INNER, what + ": " + unreadable);
        }
        finally
        {
            data.close();
            reply.close();
        }
    }
}
