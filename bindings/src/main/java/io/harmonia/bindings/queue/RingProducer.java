package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static io.harmonia.bindings.queue.RegionLayout.HEAD_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.PADDING_TYPE;
import static io.harmonia.bindings.queue.RegionLayout.PRODUCERS_PARKED_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.PRODUCER_PID_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.RECORD_HEADER_LENGTH;
import static io.harmonia.bindings.queue.RegionLayout.RECORD_LENGTH_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.RECORD_TYPE_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.TAIL_OFFSET;
import static io.harmonia.bindings.queue.RingAccess.INT;
import static io.harmonia.bindings.queue.RingAccess.LONG;

/**
 * The producer side of a ring, working on the shared bytes directly (the same protocol as the C
 * {@code hm_ring_*} functions): {@link #tryClaim}, write the message into {@link #buffer()} at the returned offset,
 * then {@link #commit} or {@link #abort}; or {@link #offer} to copy a message in one call.
 *
 * <p>Thread safety: a producer of a {@link RingKind#MANY_TO_ONE} ring may be used by many threads at once (each
 * claim is independent; a claim belongs to the thread that made it). A {@link RingKind#ONE_TO_ONE} producer is for
 * one thread at a time, and only one live process may hold it.
 */
public final class RingProducer extends RingEnd implements AutoCloseable
{
    /** {@link #tryClaim} result when the ring is full right now (back-pressure; nothing was written). */
    public static final long INSUFFICIENT_CAPACITY = -1;

    private static final VarHandle HEAD_CACHE;

    static
    {
        try
        {
            HEAD_CACHE = MethodHandles.lookup().findVarHandle(RingProducer.class, "headCache", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int maxMessageLength;
    private long tail;
    @SuppressWarnings("unused") // through HEAD_CACHE: release/acquire (R5/A5), as threads of a many-to-one producer share it
    private long headCache;
    private boolean closed;

    RingProducer(final SharedRegion shared, final int ring)
    {
        super(shared, ring);
        this.maxMessageLength = RegionLayout.maxMessageLength(capacity);
        if (!manyToOne)
        {
            Owners.take(region, control + PRODUCER_PID_OFFSET, pid, "producer of ring " + ring);
        }
        this.tail = (long)LONG.getAcquire(region, control + TAIL_OFFSET);
        HEAD_CACHE.setRelease(this, (long)LONG.getAcquire(region, control + HEAD_OFFSET)); // R5, partner A5
    }

    /**
     * The region's bytes; claims return offsets into it.
     *
     * @return the region segment.
     */
    public MemorySegment buffer()
    {
        return region;
    }

    /**
     * The largest message this ring takes.
     *
     * @return capacity / 8 minus the record header.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Claims space for a message without waiting.
     *
     * @param length the message length, 0 to {@link #maxMessageLength()}.
     * @return the offset in {@link #buffer()} where the message bytes go, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException when the length can never fit.
     */
    public long tryClaim(final int length)
    {
        if (length < 0 || length > maxMessageLength)
        {
            throw new IllegalArgumentException("length=" + length + " must be 0.." + maxMessageLength);
        }
        final int required = RegionLayout.align(length + RECORD_HEADER_LENGTH);
        if (!manyToOne)
        {
            final long currentTail = tail;
            final int padding = padding(currentTail, required);
            if (padding < 0)
            {
                return INSUFFICIENT_CAPACITY;
            }
            final long offset = writeClaim(currentTail, padding, required);
            tail = currentTail + padding + required;
            // R4: release store of the tail after the claimed header; partner A4 (the consumer's stuck check).
            LONG.setRelease(region, control + TAIL_OFFSET, tail);
            return offset;
        }
        long currentTail = (long)LONG.getAcquire(region, control + TAIL_OFFSET);
        while (true)
        {
            final int padding = padding(currentTail, required);
            if (padding < 0)
            {
                return INSUFFICIENT_CAPACITY;
            }
            // C1: the claim; producers serialise on the tail.
            final long witness = (long)LONG.compareAndExchange(
                region, control + TAIL_OFFSET, currentTail, currentTail + padding + required);
            if (witness == currentTail)
            {
                return writeClaim(currentTail, padding, required);
            }
            currentTail = witness;
        }
    }

    /** The padding needed at the wrap for a record at this tail, or -1 when the space is not free. */
    private int padding(final long currentTail, final int required)
    {
        final int tailIndex = (int)currentTail & mask;
        final int toEnd = capacity - tailIndex;
        final int padding = required > toEnd ? toEnd : 0;
        final long needed = (long)required + padding;
        long head = (long)HEAD_CACHE.getAcquire(this); // A5: partner R5, maybe from another thread after its A3
        if (needed > capacity - (currentTail - head))
        {
            // A3: acquire load of the head; partner R3 in RingConsumer.read (zeroing happens before we reuse).
            head = (long)LONG.getAcquire(region, control + HEAD_OFFSET);
            HEAD_CACHE.setRelease(this, head); // R5, partner A5
            if (needed > capacity - (currentTail - head))
            {
                return -1;
            }
        }
        return padding;
    }

    private long writeClaim(final long currentTail, final int padding, final int required)
    {
        int index = (int)currentTail & mask;
        if (0 != padding)
        {
            INT.set(region, data + index + RECORD_TYPE_OFFSET, PADDING_TYPE);
            // R2: release store of the padding length; partner A1 in RingConsumer.read.
            INT.setRelease(region, data + index + RECORD_LENGTH_OFFSET, padding);
            index = 0;
        }
        INT.set(region, data + index + RECORD_TYPE_OFFSET, pid);
        // R0: release store of the claimed (negative) length, our pid in the type slot; partner A1.
        INT.setRelease(region, data + index + RECORD_LENGTH_OFFSET, -required);
        return data + index + RECORD_HEADER_LENGTH;
    }

    private long checkClaim(final long offset)
    {
        final long record = offset - RECORD_HEADER_LENGTH;
        if (record < data || record > data + capacity - RECORD_HEADER_LENGTH || 0 != ((record - data) & 7))
        {
            throw new IllegalArgumentException("offset=" + offset + " is not a claim of this ring");
        }
        if ((int)INT.get(region, record + RECORD_LENGTH_OFFSET) >= 0)
        {
            throw new IllegalStateException("offset=" + offset + " is not claimed (already committed or aborted)");
        }
        return record;
    }

    /**
     * Publishes a claimed message and wakes a parked consumer.
     *
     * @param offset what {@link #tryClaim} returned.
     * @param type   the message type, &gt;= 1.
     * @param length the message length actually written (at most the length claimed).
     */
    public void commit(final long offset, final int type, final int length)
    {
        final long record = checkClaim(offset);
        if (type < 1)
        {
            throw new IllegalArgumentException("type=" + type + " must be >= 1");
        }
        final int claimed = -(int)INT.get(region, record + RECORD_LENGTH_OFFSET);
        if (length < 0 || length + RECORD_HEADER_LENGTH > claimed)
        {
            throw new IllegalArgumentException("length=" + length + " exceeds the claim of " +
                (claimed - RECORD_HEADER_LENGTH) + " bytes");
        }
        publish(record, type, length);
    }

    /** Publishes a record this producer just claimed (no checks: the callers validated or made the claim). */
    private void publish(final long record, final int type, final int length)
    {
        INT.set(region, record + RECORD_TYPE_OFFSET, type);
        // R1: release store of the committed length; partner A1 in RingConsumer.read.
        INT.setRelease(region, record + RECORD_LENGTH_OFFSET, length + RECORD_HEADER_LENGTH);
        RingAccess.wake(region, control + RegionLayout.CONSUMER_PARKED_OFFSET, light);
    }

    /**
     * Gives a claim up: the consumer skips it.
     *
     * @param offset what {@link #tryClaim} returned.
     */
    public void abort(final long offset)
    {
        final long record = checkClaim(offset);
        final int claimed = -(int)INT.get(region, record + RECORD_LENGTH_OFFSET);
        INT.set(region, record + RECORD_TYPE_OFFSET, PADDING_TYPE);
        INT.setRelease(region, record + RECORD_LENGTH_OFFSET, claimed);
        RingAccess.wake(region, control + RegionLayout.CONSUMER_PARKED_OFFSET, light);
    }

    /**
     * Copies a message in: claim, copy, commit.
     *
     * @param type   the message type, &gt;= 1.
     * @param source where the bytes are.
     * @param offset the first byte in {@code source}.
     * @param length the message length.
     * @return false when the ring is full (nothing written).
     */
    public boolean offer(final int type, final MemorySegment source, final long offset, final int length)
    {
        if (type < 1)
        {
            throw new IllegalArgumentException("type=" + type + " must be >= 1");
        }
        final long claim = tryClaim(length);
        if (INSUFFICIENT_CAPACITY == claim)
        {
            return false;
        }
        MemorySegment.copy(source, offset, region, claim, length);
        publish(claim - RECORD_HEADER_LENGTH, type, length); // our own fresh claim: nothing to re-check
        return true;
    }

    /**
     * Claims, waiting for space: spins, then parks until the consumer frees space or the timeout passes.
     *
     * @param length    the message length.
     * @param timeoutNs the longest wait; negative waits without bound.
     * @return the claim offset, or {@link #INSUFFICIENT_CAPACITY} when the timeout passed.
     * @throws RegionException (EPIPE) when the region was marked closed.
     */
    public long claim(final int length, final long timeoutNs)
    {
        long claim = tryClaim(length);
        if (INSUFFICIENT_CAPACITY != claim)
        {
            return claim;
        }
        final int required = RegionLayout.align(length + RECORD_HEADER_LENGTH);
        final long deadline = timeoutNs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        while (true)
        {
            final long remaining = timeoutNs < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            final int outcome = RingAccess.await(region, control + PRODUCERS_PARKED_OFFSET,
                parking -> spaceFree(required), remaining, spins);
            if (RingAccess.CLOSED == outcome)
            {
                throw new RegionException(32, "the region was closed while waiting for space");
            }
            claim = tryClaim(length);
            if (INSUFFICIENT_CAPACITY != claim || RingAccess.TIMED_OUT == outcome)
            {
                return claim;
            }
        }
    }

    private boolean spaceFree(final int required)
    {
        final long currentTail = (long)LONG.getAcquire(region, control + TAIL_OFFSET);
        final long head = (long)LONG.getAcquire(region, control + HEAD_OFFSET);
        final int toEnd = capacity - ((int)currentTail & mask);
        final long needed = (long)required + (required > toEnd ? toEnd : 0);
        return needed <= capacity - (currentTail - head);
    }

    /** Releases a one-to-one producer slot. Idempotent. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!manyToOne)
            {
                Owners.release(region, control + PRODUCER_PID_OFFSET, pid);
            }
        }
    }
}
