package io.harmonia.rpc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How this process runs the requests other processes send it: at most {@code maxWorkThreads} at once (work
 * permits), the rest in one FIFO queue; one-way requests one at a time per object, in order; call-backs to a thread
 * that waits for a reply on that thread, without a permit (they would otherwise deadlock a full pool).
 *
 * <p>Where requests run: a connection's reader that finds a request and a free permit runs it itself (the common,
 * hand-off-free path); further requests go to the queue, drained by whichever thread frees a permit, or by a worker
 * thread started for a permit that was free. The housekeeper thread gives a connection whose reader has been
 * inside a handler longer than {@code promoteMicros} a second reader, so a slow handler never blocks the requests
 * behind it (up to the permits).
 *
 * <p>Inside a handler the thread's calling identity is the caller's (kernel uid and pid of the connection, the
 * token id of that pid), and its call chain is the request's, so calls it makes back into a process of the chain are
 * run by the thread waiting there.
 */
final class IncomingCalls
{
    private static final System.Logger LOG = System.getLogger(IncomingCalls.class.getName());
    /** The housekeeper rests once no handler started for this long. */
    private static final long REST_AFTER_NS = 200_000_000L;
    /** One rest of the housekeeper. */
    private static final long REST_NS = 1_000_000_000L;

    private final RpcRuntime runtime;
    private final AtomicInteger permits;
    private volatile int maxPermits;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ThreadPoolExecutor workers;
    private final Thread housekeeper;
    private volatile boolean stopped;
    /** When a reader last started a handler; the housekeeper rests while none started for a while. */
    private volatile long lastHandlerStart;
    /** Set by the housekeeper before it rests; a handler that starts then wakes it (see housekeep()). */
    private volatile boolean housekeeperResting;

    IncomingCalls(final RpcRuntime runtime)
    {
        this.runtime = runtime;
        this.maxPermits = runtime.config().maxWorkThreads();
        this.permits = new AtomicInteger(maxPermits);
        final AtomicInteger workerNumbers = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            work ->
            {
                final Thread thread = new Thread(work, "harmonia-rpc-worker-" + workerNumbers.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        this.housekeeper = new Thread(this::housekeep, "harmonia-rpc-housekeeper");
        housekeeper.setDaemon(true);
        housekeeper.start();
    }

    int maxWorkThreads()
    {
        return maxPermits;
    }

    /** Changes the number of permits; requests already running keep theirs. */
    synchronized void maxWorkThreads(final int threads)
    {
        permits.addAndGet(threads - maxPermits);
        maxPermits = threads;
        pump();
    }

    int runningOrIdlePermits()
    {
        return permits.get();
    }

    int queued()
    {
        return queue.size();
    }

    private boolean tryAcquire()
    {
        while (true)
        {
            final int available = permits.get();
            if (available <= 0)
            {
                return false;
            }
            if (permits.compareAndSet(available, available - 1))
            {
                return true;
            }
        }
    }

    /**
     * Takes a request the reader decoded.
     *
     * @param mayRunHere whether the reader could run it itself.
     * @return work the reader must run now (it holds a permit for it), or null when the request was queued or
     *         will run behind the one-way request of its object that runs now.
     */
    Runnable accept(final IncomingRequest request, final boolean mayRunHere)
    {
        final Runnable work;
        if (request.oneWay && null != request.target)
        {
            final ExportedObject target = request.target;
            final IncomingConnection connection = request.connection;
            // Back-pressure stays on the sender's connection: its reader stops while too many of its one-way
            // requests wait, so its ring fills and its sends fail with ONE_WAY_LIMIT; other connections go on.
            connection.awaitOneWayRoom(runtime.config().oneWayQueue());
            final Runnable run = () ->
            {
                try
                {
                    execute(request);
                }
                finally
                {
                    connection.oneWayDone();
                }
            };
            if (!target.queueOneWay(run))
            {
                return null;
            }
            work = target::drainOneWays;
        }
        else
        {
            work = request;
        }
        if (mayRunHere && tryAcquire())
        {
            return work;
        }
        queue.add(work);
        pump();
        return null;
    }

    /** Runs work whose permit this thread holds, then keeps the permit for queued work until none is left. */
    void runHeld(final Runnable work)
    {
        Runnable next = work;
        while (null != next)
        {
            try
            {
                next.run();
            }
            catch (final RuntimeException | Error failure)
            {
                LOG.log(System.Logger.Level.ERROR, "an incoming request failed outside its handler", failure);
            }
            next = queue.poll();
            if (null == next)
            {
                permits.incrementAndGet();
                // A request queued between the poll and the release would wait for the next release: take it now.
                if (queue.isEmpty() || !tryAcquire())
                {
                    return;
                }
                next = queue.poll();
                if (null == next)
                {
                    permits.incrementAndGet();
                    return;
                }
            }
        }
    }

    /** Starts a worker for every free permit while work is queued. */
    private void pump()
    {
        while (!queue.isEmpty() && tryAcquire())
        {
            final Runnable first = queue.poll();
            if (null == first)
            {
                permits.incrementAndGet();
                continue;
            }
            workers.execute(() -> runHeld(first));
        }
    }

    /**
     * Routes a call-back to the thread of this process that waits in its call chain.
     *
     * @return false when no such thread waits any more (the request then runs as any other).
     */
    boolean routeCallback(final long context, final IncomingRequest request)
    {
        final CallerState waiter = CallerState.byContext(context);
        if (null == waiter || !waiter.isWaiting())
        {
            return false;
        }
        waiter.post(request);
        return true;
    }

    /** Runs the call-backs routed to a waiting thread (on that thread, without a permit). */
    void runCallbacks(final CallerState me)
    {
        for (IncomingRequest request = me.mailbox.poll(); null != request; request = me.mailbox.poll())
        {
            execute(request);
        }
    }

    /** Runs one request's handler with the caller's identity and chain, and sends its reply. */
    void execute(final IncomingRequest request)
    {
        final MessageSequence data = request.data;
        if (null == request.target)
        {
            data.reclaim();
            if (!request.oneWay)
            {
                request.connection.sendReply(request.callId, CallFailure.UNKNOWN_OBJECT.status(), null);
            }
            return;
        }
        final RemoteObject stub = request.target.object;
        if (!StubDispatch.validCode(request.code))
        {
            data.reclaim();
            if (!request.oneWay)
            {
                request.connection.sendReply(request.callId, CallFailure.INVALID_CODE.status(), null);
            }
            return;
        }
        final CallerState me = CallerState.current();
        final boolean sync = StubDispatch.HandlerKind.SYNC == stub.handlerKind();
        // A synchronous handler's reply is sent before it returns: the thread's spare reply serves call after call
        // (a call-back run while the handler waits takes a fresh one).
        final MessageSequence reply = sync ? me.takeSpareReply() : MessageSequence.create();
        final MessageOption option = new MessageOption(request.flags, 0);
        final long[] outerChain = me.chain;
        me.chain = request.chain;
        final CallingIdentity outerIdentity = CallContext.enter(request.connection.caller);
        try
        {
            if (sync)
            {
                try
                {
                    send(request, StubDispatch.invokeSync(stub, request.code, data, reply, option), reply);
                }
                finally
                {
                    data.reclaim();
                    me.returnSpareReply(reply);
                }
                return;
            }
            StubDispatch.invoke(stub, request.code, data, reply, option)
                .whenComplete((status, failure) -> finish(request, null == status ? CallFailure.HANDLER_FAILED.status() :
                    status, reply));
        }
        finally
        {
            CallContext.exit(outerIdentity);
            me.chain = outerChain;
        }
    }

    private static void finish(final IncomingRequest request, final int status, final MessageSequence reply)
    {
        try
        {
            send(request, status, reply);
        }
        finally
        {
            reply.reclaim();
            request.data.reclaim();
        }
    }

    private static void send(final IncomingRequest request, final int status, final MessageSequence reply)
    {
        if (!request.oneWay)
        {
            request.connection.sendReply(request.callId, status, 0 == status ? reply : null);
        }
    }

    /**
     * A reader is about to run a handler in place: the housekeeper must watch it. Costs a volatile store and a
     * volatile load; wakes the housekeeper only when it rests (the first handler after an idle spell).
     */
    void handlerStarted(final long now)
    {
        lastHandlerStart = now;
        if (housekeeperResting)
        {
            housekeeperResting = false;
            LockSupport.unpark(housekeeper);
        }
    }

    /**
     * Promotes readers of connections stuck in a handler; purges the states of threads that are gone. It looks
     * every half promotion interval while handlers start, and rests (a second at a time) once none started for
     * {@link #REST_AFTER_NS}, so an idle process does not wake a thousand times a second. Resting is a Dekker pair
     * with {@link #handlerStarted}: the housekeeper sets the flag, then reads the last start; a handler writes the
     * start, then reads the flag; one of the two sees the other.
     */
    private void housekeep()
    {
        long lastPurge = System.nanoTime();
        while (!stopped)
        {
            final long now = System.nanoTime();
            final long promote = runtime.config().promoteNanos();
            for (final IncomingConnection connection : runtime.incomingConnections())
            {
                final long since = connection.handlerSince.get();
                if (0 != since && now - since > promote && !connection.hasReader() && !connection.isClosed() &&
                    connection.handlerSince.compareAndSet(since, 0))
                {
                    runtime.startReader(connection);
                }
            }
            if (now - lastPurge > 5_000_000_000L)
            {
                CallerState.purge();
                lastPurge = now;
            }
            if (now - lastHandlerStart < REST_AFTER_NS)
            {
                LockSupport.parkNanos(Math.max(promote / 2, 500_000L));
                continue;
            }
            housekeeperResting = true;
            if (System.nanoTime() - lastHandlerStart >= REST_AFTER_NS)
            {
                LockSupport.parkNanos(REST_NS);
            }
            housekeeperResting = false;
        }
    }

    void stop()
    {
        stopped = true;
        LockSupport.unpark(housekeeper);
        workers.shutdown();
    }
}
