package io.harmonia.samgr;

import java.lang.System.Logger.Level;

/**
 * samgr's messages ({@code message.c} and the task loop's dispatch): queues requests, shared requests and direct
 * requests to their receivers' tasks, answers them (explicitly or automatically), and runs each message on the
 * task thread that took it. Nothing here takes samgr's lock: targets are checked against the registry's lock-free
 * slots, and a message whose receiver left while it was queued is answered {@link ErrorCode#EC_NOSERVICE}.
 */
final class MessageRouter
{
    private static final System.Logger LOG = System.getLogger(Samgr.class.getName());

    private final Samgr samgr;

    MessageRouter(final Samgr samgr)
    {
        this.samgr = samgr;
    }

    // ---- sending ----

    ErrorCode sendRequest(final Identity identity, final Request request, final Handler handler)
    {
        final ErrorCode check = checkTarget(identity, request);
        if (ErrorCode.EC_SUCCESS != check)
        {
            return check;
        }
        final TaskQueue origin = null == handler ? null : TaskPool.currentQueue();
        return identity.queue().offer(Exchange.request(identity, request, handler, origin, null));
    }

    ErrorCode sendSharedRequest(final Identity identity, final Request request, final SharedRef sharedRef,
        final Handler handler)
    {
        final ErrorCode check = checkTarget(identity, request);
        if (ErrorCode.EC_SUCCESS != check)
        {
            return check;
        }
        if (null == sharedRef || !sharedRef.retain())
        {
            return ErrorCode.EC_INVALID;
        }
        final TaskQueue origin = null == handler ? null : TaskPool.currentQueue();
        final ErrorCode result = identity.queue().offer(Exchange.request(identity, request, handler, origin,
            sharedRef));
        if (ErrorCode.EC_SUCCESS != result)
        {
            sharedRef.release();
        }
        return result;
    }

    ErrorCode sendSharedDirectRequest(final Identity identity, final Request request, final Response response,
        final SharedRef sharedRef, final Handler handler)
    {
        if (null == handler || null == sharedRef)
        {
            return ErrorCode.EC_INVALID;
        }
        final Request actual = null == request ? new Request(0, 0) : request;
        final ErrorCode check = checkTarget(identity, actual);
        if (ErrorCode.EC_SUCCESS != check)
        {
            return check;
        }
        if (!sharedRef.retain())
        {
            return ErrorCode.EC_INVALID;
        }
        final ErrorCode result = identity.queue().offer(Exchange.direct(identity, actual,
            null == response ? Response.EMPTY : response, handler, sharedRef));
        if (ErrorCode.EC_SUCCESS != result)
        {
            sharedRef.release();
        }
        return result;
    }

    // ---- answering ----

    ErrorCode sendResponse(final Request request, final Response response)
    {
        final Exchange exchange = answerable(request);
        if (null == exchange)
        {
            return ErrorCode.EC_INVALID;
        }
        exchange.responded = true;
        respond(exchange, null == response ? Response.EMPTY : response);
        return ErrorCode.EC_SUCCESS;
    }

    ErrorCode sendResponseByIdentity(final Identity identity, final Request request, final Response response)
    {
        if (null == identity || identity.owner() != samgr)
        {
            return ErrorCode.EC_INVALID;
        }
        final Exchange exchange = answerable(request);
        if (null == exchange)
        {
            return ErrorCode.EC_INVALID;
        }
        if (!samgr.registry.isLive(identity))
        {
            return ErrorCode.EC_NOSERVICE;
        }
        exchange.origin = identity.queue();
        exchange.responded = true;
        respond(exchange, null == response ? Response.EMPTY : response);
        return ErrorCode.EC_SUCCESS;
    }

    private Exchange answerable(final Request request)
    {
        final Exchange exchange = null == request ? null : request.exchange;
        if (null == exchange || Exchange.CON != exchange.type || exchange.target.owner() != samgr)
        {
            return null;
        }
        return exchange;
    }

    private void respond(final Exchange exchange, final Response response)
    {
        final TaskQueue origin = exchange.origin;
        if (null != origin)
        {
            final SharedRef ref = exchange.sharedRef;
            final SharedRef retained = null != ref && ref.retain() ? ref : null;
            if (origin.offerUnbounded(Exchange.ack(exchange, response, retained)))
            {
                return;
            }
            if (null != retained)
            {
                retained.release();
            }
            LOG.log(Level.DEBUG, "sender's task " + origin.name() + " has stopped; running its handler inline");
        }
        try
        {
            exchange.handler.handle(exchange.request, response);
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "response handler failed", ex);
        }
    }

    private ErrorCode checkTarget(final Identity identity, final Request request)
    {
        if (null == identity || null == request || identity.owner() != samgr || !identity.hasQueue())
        {
            return ErrorCode.EC_INVALID;
        }
        return samgr.registry.isLive(identity) ? ErrorCode.EC_SUCCESS : ErrorCode.EC_NOSERVICE;
    }

    // ---- processing on the task thread ----

    /** Runs one message on the current task thread ({@code TaskEntry}'s body). */
    void process(final Exchange exchange)
    {
        try
        {
            switch (exchange.type)
            {
                case Exchange.ACK, Exchange.DIRECT -> exchange.handler.handle(exchange.request, exchange.response);
                case Exchange.LIFECYCLE -> exchange.action.run();
                case Exchange.NON, Exchange.CON -> dispatch(exchange);
                default -> LOG.log(Level.WARNING, "unexpected message type " + exchange.type);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "handler on " + Thread.currentThread().getName() + " failed", ex);
        }
        finally
        {
            final SharedRef ref = exchange.sharedRef;
            if (null != ref)
            {
                ref.release();
            }
        }
    }

    private void dispatch(final Exchange exchange)
    {
        final Identity target = exchange.target;
        final ServiceImpl impl = samgr.registry.slot(target.serviceId());
        if (null == impl || impl.generation != target.generation())
        {
            undeliverable(exchange, "service " + target.serviceId() + " (generation " + target.generation()
                + ") has left");
            return;
        }
        ErrorCode status = ErrorCode.EC_SUCCESS;
        try
        {
            if (target.featureId() < 0)
            {
                impl.service.messageHandle(exchange.request);
            }
            else
            {
                final FeatureImpl featureImpl = impl.features.get(target.featureId());
                if (null == featureImpl)
                {
                    undeliverable(exchange, "feature " + target.featureId() + " of service \"" + impl.name
                        + "\" has left");
                    return;
                }
                featureImpl.feature.onMessage(exchange.request);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "service \"" + impl.name + "\" failed on " + exchange.request, ex);
            status = ErrorCode.EC_FAILURE;
        }
        if (Exchange.CON == exchange.type && !exchange.responded)
        {
            // The handler did not answer: send the automatic response so the sender is never left waiting.
            exchange.responded = true;
            respond(exchange, ErrorCode.EC_SUCCESS == status ? Response.EMPTY : new Response(status, null));
        }
    }

    private void undeliverable(final Exchange exchange, final String why)
    {
        if (Exchange.CON == exchange.type && !exchange.responded)
        {
            exchange.responded = true;
            respond(exchange, new Response(ErrorCode.EC_NOSERVICE, null));
        }
        else
        {
            LOG.log(Level.WARNING, "request " + exchange.request + " not delivered: " + why);
        }
    }
}
