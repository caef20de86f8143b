package io.harmonia.samgr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/** Padding before the producers' fields, so they do not share a cache line with the object header's neighbours. */
abstract class TaskQueueLeftPad
{
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07, p08;
}

/** Fields written by producers: the tail of the list and the count of accepted messages. */
abstract class TaskQueueProducerFields extends TaskQueueLeftPad
{
    /** Messages accepted ever, plus {@link TaskQueue#CLOSED}; producers advance it. */
    volatile long enqueued;
    /** The last node linked; producers swap it. */
    volatile Exchange tail;
    /** The producers' last reading of {@link TaskQueueConsumerFields#dequeued}, refreshed only when it says full. */
    volatile long dequeuedCache;
}

/** Padding between the producers' and the consumer's fields. */
abstract class TaskQueueMiddlePad extends TaskQueueProducerFields
{
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17, p18;
}

/** Fields written by the consumer on every message. */
abstract class TaskQueueConsumerFields extends TaskQueueMiddlePad
{
    /** The consumer's placeholder: the last node taken. */
    Exchange head;
    /** Messages taken ever; only the consumer writes it (release stores, no atomic read-modify-write). */
    volatile long dequeued;
    /** How long the consumer spins before it parks. */
    long spinBudget;
}

/** Padding between the consumer's per-message fields and its parking flag. */
abstract class TaskQueueParkPad extends TaskQueueConsumerFields
{
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27, p28;
}

/** The parking flag: written by the consumer only when it parks, read by every producer after each message. */
abstract class TaskQueueParkFields extends TaskQueueParkPad
{
    volatile boolean parked;
}

/** Padding after the consumer's fields. */
abstract class TaskQueueRightPad extends TaskQueueParkFields
{
    @SuppressWarnings("unused")
    private long p31, p32, p33, p34, p35, p36, p37, p38;
}

/**
 * The bounded FIFO queue of one task: many producers, one consumer (the task's thread).
 *
 * <p>Producers link {@link Exchange} nodes with one atomic exchange on the tail (an intrusive Vyukov MPSC list, so
 * no producer retries under contention, and FIFO order is the order of those exchanges). Two counters bound the
 * queue: producers advance {@code enqueued}, the consumer advances {@code dequeued} with plain release stores, and
 * each sits on its own cache line (as do the tail and the parking flag), so a message costs the consumer no atomic
 * instruction and no line that producers keep writing. A request or direct request is accepted only while fewer than
 * {@code capacity} messages are queued, and is otherwise refused with {@link ErrorCode#EC_BUSBUSY}; nothing is
 * dropped silently. Responses and samgr's own lifecycle messages are always accepted (they count but are not
 * refused): a responder cannot retry a refused response, and running its handler elsewhere would break the rule
 * that a handler runs on its sender's thread. Their number is bounded by the requests that were accepted.
 *
 * <p>The consumer spins for an adaptive while when the queue is empty (see {@link #take()}), then parks. A producer
 * unparks it only when it has announced that it parks, so an exchange between two busy tasks makes no system call.
 * Memory ordering: the producer's volatile store of {@code prev.next} precedes its volatile load of {@code parked};
 * the consumer's volatile store of {@code parked} precedes its volatile load of {@code head.next}. Volatile accesses
 * are sequentially consistent, so at least one side sees the other: no lost wake-up.
 */
final class TaskQueue extends TaskQueueRightPad
{
    /** Set in {@code enqueued} once the consumer stops accepting messages. */
    static final long CLOSED = 1L << 62;
    /**
     * The longest spin of an idle consumer, in ns; {@code -Dharmonia.samgr.maxSpinNanos=0} turns spinning off (for
     * hosts where every core is taken anyway).
     */
    private static final long MAX_SPIN_NANOS = Long.getLong("harmonia.samgr.maxSpinNanos", 20_000);
    /** The shortest spin: a cheap probe that lets a consumer that parks often notice when spinning pays again. */
    private static final long MIN_SPIN_NANOS = Math.min(500, MAX_SPIN_NANOS);

    private static final VarHandle ENQUEUED;
    private static final VarHandle TAIL;
    private static final VarHandle DEQUEUED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENQUEUED = lookup.findVarHandle(TaskQueueProducerFields.class, "enqueued", long.class);
            TAIL = lookup.findVarHandle(TaskQueueProducerFields.class, "tail", Exchange.class);
            DEQUEUED = lookup.findVarHandle(TaskQueueConsumerFields.class, "dequeued", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String name;
    private final int capacity;
    private volatile Thread consumer;

    TaskQueue(final String name, final int capacity)
    {
        this.name = name;
        this.capacity = capacity;
        final Exchange stub = Exchange.stub();
        this.head = stub;
        this.tail = stub;
        this.spinBudget = MIN_SPIN_NANOS;
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
     * Messages queued now (accepted, or being accepted, and not yet taken).
     *
     * @return a snapshot.
     */
    int size()
    {
        return (int)((enqueued & ~CLOSED) - dequeued);
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
        long current;
        do
        {
            current = enqueued;
            if (0 != (current & CLOSED))
            {
                return ErrorCode.EC_NOSERVICE;
            }
            if (current - dequeuedCache >= capacity)
            {
                final long taken = dequeued;
                dequeuedCache = taken;
                if (current - taken >= capacity)
                {
                    return ErrorCode.EC_BUSBUSY;
                }
            }
        }
        while (!ENQUEUED.compareAndSet(this, current, current + 1));
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
        final long before = (long)ENQUEUED.getAndAdd(this, 1L);
        if (0 != (before & CLOSED))
        {
            ENQUEUED.getAndAdd(this, -1L); // the draining consumer waits for this undo, see drainOne()
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
        DEQUEUED.setRelease(this, dequeued + 1);
        return next;
    }

    /**
     * Takes the next message, waiting as long as it takes. Consumer thread only.
     *
     * <p>The wait spins for an adaptive time, then parks. The spin time doubles (up to {@link #MAX_SPIN_NANOS}) each
     * time a spin was rewarded with a message, and halves (down to {@link #MIN_SPIN_NANOS}) each time the consumer
     * had to park: a busy exchange between tasks on free cores stays in user space, while a consumer whose peer
     * rarely answers within the spin soon parks almost at once.
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
     * Refuses every later message. Consumer thread only; it then drains what was accepted before with
     * {@link #drainOne()}.
     */
    void close()
    {
        ENQUEUED.getAndAdd(this, CLOSED);
    }

    boolean isClosed()
    {
        return 0 != (enqueued & CLOSED);
    }

    /**
     * After {@link #close()}: the next message accepted before the close, or null when none is left. A producer
     * can be between counting its message and linking it (or undoing a refused unbounded offer); that window is a
     * few instructions long, so the consumer waits for it without parking on a wake-up that may never come.
     */
    Exchange drainOne()
    {
        while (true)
        {
            final Exchange exchange = poll();
            if (null != exchange)
            {
                return exchange;
            }
            if (0 == size())
            {
                return null;
            }
            Thread.yield();
        }
    }
}
