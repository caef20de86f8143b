package io.harmonia.samgr;

/**
 * One queued message (OpenHarmony's {@code Exchange}), and at the same time the node of the queue it travels in:
 * {@link TaskQueue} links exchanges through {@link #next}, so queuing allocates nothing beyond the exchange itself.
 */
final class Exchange
{
    /** A request without a handler ({@code MSG_NON}). */
    static final int NON = 0;
    /** A request whose sender waits for a response ({@code MSG_CON}). */
    static final int CON = 1;
    /** A response on its way to the sender's task ({@code MSG_ACK}). */
    static final int ACK = 2;
    /** A handler to run on the target task, without any service dispatch ({@code MSG_DIRECT}). */
    static final int DIRECT = 4;
    /** samgr's own work on a service's task: initialise, stop a feature. */
    static final int LIFECYCLE = 5;
    /** Ends the task ({@code MSG_EXIT}). */
    static final int EXIT = -1;
    /** The queue's placeholder node. */
    static final int STUB = -2;

    final int type;
    /** The addressed service or feature (NON, CON); the target identity (DIRECT). */
    final Identity target;
    /** samgr's copy of the request, bound to this exchange so that a handler can respond to it. */
    final Request request;
    final Response response;
    final Handler handler;
    final SharedRef sharedRef;
    final Runnable action;
    /** Where the response goes (CON): the sender's queue, or null to run the handler on the responder's thread. */
    volatile TaskQueue origin;
    /** Set once someone responded (CON); the automatic response is sent only if nobody did. */
    volatile boolean responded;
    /** The next node in the queue; written by producers, read by the consumer. */
    volatile Exchange next;

    private Exchange(final int type, final Identity target, final Request request, final boolean bindRequest,
        final Response response, final Handler handler, final TaskQueue origin, final SharedRef sharedRef,
        final Runnable action)
    {
        this.type = type;
        this.target = target;
        this.request = null == request || !bindRequest ? request : request.bindTo(this);
        this.response = response;
        this.handler = handler;
        this.origin = origin;
        this.sharedRef = sharedRef;
        this.action = action;
    }

    static Exchange request(final Identity target, final Request request, final Handler handler,
        final TaskQueue origin, final SharedRef sharedRef)
    {
        return new Exchange(null == handler ? NON : CON, target, request, true, null, handler, origin, sharedRef,
            null);
    }

    static Exchange direct(final Identity target, final Request request, final Response response,
        final Handler handler, final SharedRef sharedRef)
    {
        return new Exchange(DIRECT, target, request, true, response, handler, null, sharedRef, null);
    }

    /**
     * A response to {@code origin}'s request. It carries the original bound request, so the handler sees the very
     * object the service saw, and its own reference on the shared count (if any).
     */
    static Exchange ack(final Exchange origin, final Response response, final SharedRef retainedRef)
    {
        return new Exchange(ACK, origin.target, origin.request, false, response, origin.handler, null, retainedRef,
            null);
    }

    static Exchange lifecycle(final Runnable action)
    {
        return new Exchange(LIFECYCLE, null, null, false, null, null, null, null, action);
    }

    static Exchange exit()
    {
        return new Exchange(EXIT, null, null, false, null, null, null, null, null);
    }

    static Exchange stub()
    {
        return new Exchange(STUB, null, null, false, null, null, null, null, null);
    }
}
