package io.harmonia.samgr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded FIFO queue of one task: many producers, one consumer (the task's thread).
 *
 * <p>Producers link {@link Exchange} nodes with one atomic exchange on the tail (an intrusive Vyukov MPSC list, so
 * no producer retries under contention and FIFO order is the order of those exchanges). A separate count bounds the
 * queue: a request or direct request is accepted only while fewer than {@code capacity} messages are queued, and is
 * otherwise refused with {@link ErrorCode#EC_BUSBUSY}; nothing is dropped silently. Responses and samgr's own
 * lifecycle messages are always accepted (they count but are not refused): a responder cannot retry a refused
 * response, and running its handler elsewhere would break the rule that a handler runs on its sender's thread.
 * Their number is bounded by the requests that were accepted.
 *
 * <p>The consumer spins for an adaptive while when the queue is empty (see {@link #take()}), then parks. A producer
 * unparks it only when it has announced that it parks, so an exchange between two busy tasks makes no system call.
 * Memory ordering: the producer's volatile store of {@code prev.next} precedes its volatile load of {@code parked};
 * the consumer's volatile store of {@code parked} precedes its volatile load of {@code head.next}. Volatile accesses
 * are sequentially consistent, so at least one side sees the other: no lost wake-up.
 */
final class TaskQueue
{
    /** Set in {@link #count} once the consumer stops accepting messages. */
    private static final int CLOSED = 1 << 30;
    /**
     * The longest spin of an idle consumer, in ns; {@code -Dharmonia.samgr.maxSpinNanos=0} turns spinning off (for
     * hosts where every core is taken anyway).
     */
    private static final long MAX_SPIN_NANOS = Long.getLong("harmonia.samgr.maxSpinNanos", 20_000);
    /** The shortest spin: a cheap probe that lets a consumer that parks often notice when spinning pays again. */
    private static final long MIN_SPIN_NANOS = Math.min(500, MAX_SPIN_NANOS);

    private static final VarHandle COUNT;
    private static final VarHandle TAIL;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(TaskQueue.class, "count", int.class);
            TAIL = lookup.findVarHandle(TaskQueue.class, "tail", Exchange.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String name;
    private final int capacity;
    /** Messages queued (accepted and not yet taken), plus {@link #CLOSED}. */
    @SuppressWarnings("unused") // accessed through COUNT
    private volatile int count;
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Exchange tail;
    /** The consumer's placeholder: the last node taken. Only the consumer touches it. */
    private Exchange head;
    private volatile boolean parked;
    /** How long the consumer spins before it parks; consumer thread only. */
    private long spinBudget = MIN_SPIN_NANOS;
    private volatile Thread consumer;

    TaskQueue(final String name, final int capacity)
    {
        this.name = name;
        this.capacity = capacity;
        final Exchange stub = Exchange.stub();
        this.head = stub;
        this.tail = stub;
    }

    String name()
    {
        return name;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * Messages queued now.
     *
     * @return a snapshot.
     */
    int size()
    {
        return count & ~CLOSED;
    }

    void consumer(final Thread thread)
    {
        consumer = thread;
    }

    /**
     * Queues a request (bounded).
     *
     * @return {@link ErrorCode#EC_SUCCESS}, {@link ErrorCode#EC_BUSBUSY} when full, or
     *     {@link ErrorCode#EC_NOSERVICE} once the task has stopped.
     */
    ErrorCode offer(final Exchange exchange)
    {
        int current;
        do
        {
            current = count;
            if (0 != (current & CLOSED))
            {
                return ErrorCode.EC_NOSERVICE;
            }
            if (current >= capacity)
            {
                return ErrorCode.EC_BUSBUSY;
            }
        }
        while (!COUNT.compareAndSet(this, current, current + 1));
        link(exchange);
        return ErrorCode.EC_SUCCESS;
    }

    /**
     * Queues a response or lifecycle message, whatever the count.
     *
     * @return false only once the task has stopped.
     */
    boolean offerUnbounded(final Exchange exchange)
    {
        final int before = (int)COUNT.getAndAdd(this, 1);
        if (0 != (before & CLOSED))
        {
            COUNT.getAndAdd(this, -1);
            return false;
        }
        link(exchange);
        return true;
    }

    private void link(final Exchange exchange)
    {
        final Exchange previous = (Exchange)TAIL.getAndSet(this, exchange);
        previous.next = exchange; // volatile store: pairs with the consumer's volatile load in poll()
        if (parked) // volatile load after the store above: pairs with the consumer's store of parked in take()
        {
            LockSupport.unpark(consumer);
        }
    }

    /**
     * Takes the next message, or null when none is linked yet. Consumer thread only.
     */
    Exchange poll()
    {
        final Exchange current = head;
        final Exchange next = current.next;
        if (null == next)
        {
            return null;
        }
        head = next;
        current.next = null; // a retained message must not keep the rest of the queue reachable
        COUNT.getAndAdd(this, -1);
        return next;
    }

    /**
     * Takes the next message, waiting as long as it takes. Consumer thread only.
     *
     * <p>The wait spins for an adaptive time, then parks. The spin time doubles (up to
     * {@link #MAX_SPIN_NANOS}) each time a spin was rewarded with a message, and halves (down to
     * {@link #MIN_SPIN_NANOS}) each time the consumer had to park: on a quiet machine a busy exchange stays in user
     * space, while on a loaded one, where a spinning thread only delays the peer it waits for, the consumer soon
     * parks almost at once.
     */
    Exchange take()
    {
        Exchange exchange = poll();
        if (null != exchange)
        {
            return exchange;
        }
        final long spinNanos = spinBudget;
        if (spinNanos > 0)
        {
            final long spinUntil = System.nanoTime() + spinNanos;
            int spins = 0;
            do
            {
                Thread.onSpinWait();
                exchange = poll();
                if (null != exchange)
                {
                    spinBudget = Math.min(MAX_SPIN_NANOS, Math.max(MIN_SPIN_NANOS, spinNanos * 2));
                    return exchange;
                }
            }
            while (0 != (++spins & 63) || System.nanoTime() - spinUntil < 0);
        }
        spinBudget = Math.max(MIN_SPIN_NANOS, spinNanos / 2);
        while (true)
        {
            parked = true; // volatile store before the volatile load in poll(): pairs with link()
            exchange = poll();
            if (null != exchange)
            {
                parked = false;
                return exchange;
            }
            LockSupport.park(this);
            parked = false;
            exchange = poll();
            if (null != exchange)
            {
                return exchange;
            }
        }
    }

    /**
     * Refuses every later message. Consumer thread only; it then drains what was accepted before.
     */
    void close()
    {
        COUNT.getAndAdd(this, CLOSED);
    }

    boolean isClosed()
    {
        return 0 != (count & CLOSED);
    }
}
