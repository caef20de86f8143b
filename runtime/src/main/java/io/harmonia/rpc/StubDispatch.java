package io.harmonia.rpc;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link RemoteObject}'s handler and turns its outcome into a call status: the one place that decides
 * what "handled", "refused", "threw" and "no handler" mean, for calls from this process and from others alike.
 */
final class StubDispatch
{
    /** Which handler a RemoteObject class overrides: decided once per class. */
    enum HandlerKind
    {
        /** Neither: every request is answered {@link CallFailure#NO_HANDLER}. */
        NONE,
        /** {@code onRemoteMessageRequest}: the answer is ready when it returns. */
        SYNC,
        /** {@code onRemoteMessageRequestAsync}: the answer comes when its stage completes. */
        ASYNC
    }

    private static final System.Logger LOG = System.getLogger(RemoteObject.class.getName());
    private static final Class<?>[] HANDLER_PARAMETERS =
        {int.class, MessageSequence.class, MessageSequence.class, MessageOption.class};
    private static final ClassValue<HandlerKind> KINDS = new ClassValue<>()
    {
        @Override
        protected HandlerKind computeValue(final Class<?> type)
        {
            boolean sync = false;
            for (Class<?> c = type; null != c && RemoteObject.class != c; c = c.getSuperclass())
            {
                if (declares(c, "onRemoteMessageRequestAsync"))
                {
                    return HandlerKind.ASYNC;
                }
                sync |= declares(c, "onRemoteMessageRequest");
            }
            return sync ? HandlerKind.SYNC : HandlerKind.NONE;
        }
    };
    private static final CompletableFuture<Integer> SUCCESS = CompletableFuture.completedFuture(0);

    private StubDispatch()
    {
    }

    static HandlerKind handlerKindOf(final Class<? extends RemoteObject> type)
    {
        return KINDS.get(type);
    }

    private static boolean declares(final Class<?> type, final String name)
    {
        try
        {
            final Method method = type.getDeclaredMethod(name, HANDLER_PARAMETERS);
            return !method.isBridge();
        }
        catch (final NoSuchMethodException absent)
        {
            return false;
        }
    }

    /**
     * Runs a handler of kind SYNC on this thread.
     *
     * @return 0, or the status of the failure.
     */
    static int invokeSync(final RemoteObject stub, final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        try
        {
            return stub.onRemoteMessageRequest(code, data, reply, option) ? 0 : CallFailure.NOT_HANDLED.status();
        }
        catch (final RequestRefusedException refused)
        {
            return refused.failure().status();
        }
        catch (final RuntimeException | Error failure)
        {
            logFailure(stub, code, failure);
            return CallFailure.HANDLER_FAILED.status();
        }
    }

    /**
     * Runs the handler, whatever its kind; an asynchronous one may complete later on another thread.
     *
     * @return the status: 0, or the status of the failure.
     */
    static CompletableFuture<Integer> invoke(final RemoteObject stub, final int code, final MessageSequence data,
        final MessageSequence reply, final MessageOption option)
    {
        switch (stub.handlerKind())
        {
            case NONE:
                return CompletableFuture.completedFuture(CallFailure.NO_HANDLER.status());
            case SYNC:
                final int status = invokeSync(stub, code, data, reply, option);
                return 0 == status ? SUCCESS : CompletableFuture.completedFuture(status);
            default:
                final CompletionStage<Boolean> stage;
                try
                {
                    stage = stub.onRemoteMessageRequestAsync(code, data, reply, option);
                }
                catch (final RequestRefusedException refused)
                {
                    return CompletableFuture.completedFuture(refused.failure().status());
                }
                catch (final RuntimeException | Error failure)
                {
                    logFailure(stub, code, failure);
                    return CompletableFuture.completedFuture(CallFailure.HANDLER_FAILED.status());
                }
                if (null == stage)
                {
                    LOG.log(System.Logger.Level.WARNING, () -> stub + ": onRemoteMessageRequestAsync returned null for code " +
                        code + "; answered as a failed handler");
                    return CompletableFuture.completedFuture(CallFailure.HANDLER_FAILED.status());
                }
                return stage.handle((handled, failure) ->
                {
                    final RequestRefusedException refused = refusal(failure);
                    if (null != refused)
                    {
                        return refused.failure().status();
                    }
                    if (null != failure)
                    {
                        logFailure(stub, code, failure);
                        return CallFailure.HANDLER_FAILED.status();
                    }
                    return Boolean.TRUE.equals(handled) ? 0 : CallFailure.NOT_HANDLED.status();
                }).toCompletableFuture();
        }
    }

    /** The refusal a stage completed with (possibly wrapped in a CompletionException), or null. */
    private static RequestRefusedException refusal(final Throwable failure)
    {
        if (failure instanceof RequestRefusedException refused)
        {
            return refused;
        }
        return null != failure && failure.getCause() instanceof RequestRefusedException refused ? refused : null;
    }

    private static void logFailure(final RemoteObject stub, final int code, final Throwable failure)
    {
        LOG.log(System.Logger.Level.WARNING, stub + ": the handler of code " + code + " threw", failure);
    }

    /** Checks the arguments every call takes; a failure is a 401 thrown at once. */
    static void checkArguments(final MessageSequence data, final MessageSequence reply, final MessageOption option)
    {
        if (null == data || null == reply || null == option)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field '" +
                (null == data ? "data" : null == reply ? "reply" : "option") + "' is null");
        }
    }

    /** Whether a code is a user request code. */
    static boolean validCode(final int code)
    {
        return code >= IRemoteObject.MIN_TRANSACTION_ID && code <= IRemoteObject.MAX_TRANSACTION_ID;
    }

    static RemoteCallException failure(final CallFailure failure, final int code, final MessageSequence data,
        final MessageSequence reply, final String detail)
    {
        return new RemoteCallException(failure, new RequestResult(failure.status(), code, data, reply), detail);
    }

    /**
     * A call on an object of this process: the handler runs on the calling thread, with the thread's calling
     * identity unchanged (as binder's local calls), reading {@code data} from its start.
     */
    static CompletableFuture<RequestResult> callLocal(final RemoteObject stub, final int code,
        final MessageSequence data, final MessageSequence reply, final MessageOption option)
    {
        checkArguments(data, reply, option);
        if (!validCode(code))
        {
            return CompletableFuture.failedFuture(failure(CallFailure.INVALID_CODE, code, data, reply,
                "code " + code + " (0x" + Integer.toHexString(code) + "), must be 1..0x00ffffff"));
        }
        data.rewindRead(0);
        reply.clearForReply();
        final boolean oneWay = option.isAsync();
        final CompletableFuture<Integer> status = invoke(stub, code, data, reply, option);
        if (oneWay)
        {
            return CompletableFuture.completedFuture(new RequestResult(0, code, data, reply));
        }
        return status.thenApply(result ->
        {
            if (0 != result)
            {
                reply.clearForReply();
                throw failure(CallFailure.ofStatus(result), code, data, reply, "local object '" +
                    stub.getDescriptor() + "', code " + code);
            }
            return new RequestResult(0, code, data, reply);
        });
    }

    /** Waits for a call's future at most the option's wait time; failures are thrown as they completed. */
    static RequestResult await(final CompletableFuture<RequestResult> call, final MessageOption option,
        final int code, final MessageSequence data, final MessageSequence reply, final String target)
    {
        try
        {
            return call.get(option.getWaitTimeMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException failed)
        {
            if (failed.getCause() instanceof RuntimeException cause)
            {
                throw cause;
            }
            throw new RpcException(RpcException.COMMUNICATION_ERROR, target + ", code " + code, failed.getCause());
        }
        catch (final TimeoutException late)
        {
            throw failure(CallFailure.TIMED_OUT, code, data, reply, target + ", code " + code + ": no answer within " +
                option.getWaitTimeMillis() + " ms");
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
            throw failure(CallFailure.INTERRUPTED, code, data, reply, target + ", code " + code +
                ": the waiting thread was interrupted");
        }
    }
}
