package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static io.harmonia.bindings.queue.RegionLayout.HEAD_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.PADDING_TYPE;
import static io.harmonia.bindings.queue.RegionLayout.PRODUCERS_PARKED_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.PRODUCER_PID_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.RECORD_HEADER_LENGTH;
import static io.harmonia.bindings.queue.RegionLayout.TAIL_OFFSET;
import static io.harmonia.bindings.queue.RingAccess.LONG;

/**
 * The producer side of a ring, working on the shared bytes directly (the same protocol as the C
 * {@code hm_ring_*} functions): {@link #tryClaim}, write the message into {@link #buffer()} at the returned offset,
 * then {@link #commit} or {@link #abort}; or {@link #offer} to copy a message in one call.
 *
 * <p>Thread safety: a producer of a {@link RingKind#MANY_TO_ONE} ring may be used by many threads at once (each
 * claim is independent; a claim belongs to the thread that made it). A {@link RingKind#ONE_TO_ONE} producer is for
 * one thread at a time, and only one live process may hold it.
 *
 * <p>Trust: the consumer (and, many-to-one, other producers) are other processes that can write any word of the
 * ring. The head only ever enters a free-space computation ({@link RingEnd#freeBytes}); a tail loaded from the ring
 * (many-to-one, at every claim; one-to-one, once at open) must be a position; a claimed header read back at commit
 * or abort must still be a claim that fits. Otherwise a {@link RegionException} with
 * {@link RegionException#PROTOCOL_VIOLATION} (EPROTO) says which word broke the rules; nothing is written.
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
    /** Room a claim needs beyond its record: the next header word, which a one-to-one producer zeroes (Z0). */
    private final int reserve;
    private long tail;
    @SuppressWarnings("unused") // through HEAD_CACHE: release/acquire (R5/A5), as threads of a many-to-one producer share it
    private long headCache;
    private boolean closed;

    RingProducer(final SharedRegion shared, final int ring)
    {
        super(shared, ring);
        this.maxMessageLength = RegionLayout.maxMessageLength(capacity);
        this.reserve = manyToOne ? 0 : RECORD_HEADER_LENGTH;
        if (!manyToOne)
        {
            Owners.take(region, control + PRODUCER_PID_OFFSET, pid, "producer of ring " + ring);
        }
        final long sharedTail = (long)LONG.getAcquire(region, control + TAIL_OFFSET);
        final long head = (long)LONG.getAcquire(region, control + HEAD_OFFSET);
        // The one-to-one tail is kept privately from here on, so it is checked once, here.
        if (!manyToOne && (!RegionLayout.isPosition(sharedTail) || !RegionLayout.isPosition(head)))
        {
            Owners.release(region, control + PRODUCER_PID_OFFSET, pid);
            throw notAPosition(ring, RegionLayout.isPosition(sharedTail) ? "head" : "tail",
                RegionLayout.isPosition(sharedTail) ? head : sharedTail);
        }
        // A one-to-one owner that died after publishing a wrap's padding but before its tail store (R2 before R4)
        // leaves the consumer past the shared tail: a successor starts where the consumer is, not behind it.
        this.tail = manyToOne ? sharedTail : Math.max(sharedTail, head);
        HEAD_CACHE.setRelease(this, head); // R5, partner A5
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
     * @throws RegionException EPROTO when a many-to-one ring's shared tail is not a position (nothing written).
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
            final long next = currentTail + padding + required;
            // Z0: one-to-one consumers do not zero what they read, so before anything is published the producer
            // zeroes each header word the consumer may step onto next: the one after this record (free: padding()
            // reserved it) and, when the record wraps, the one at index 0, where the consumer lands right after
            // the padding record. Plain stores: R2 and R0 below publish them, and the consumer reads those words
            // only after acquiring the record before (the padding, or this record's commit), so it finds zero or a
            // newer header there, never an old lap's record.
            if (0 != padding)
            {
                LONG.set(region, data, 0L);
            }
            LONG.set(region, data + ((int)next & mask), 0L);
            final long offset = writeClaim(currentTail, padding, required);
            tail = next;
            // R4: release store of the tail after the claimed header; partner A4 (the consumer's stuck check).
            LONG.setRelease(region, control + TAIL_OFFSET, tail);
            return offset;
        }
        long currentTail = (long)LONG.getAcquire(region, control + TAIL_OFFSET);
        while (true)
        {
            // Every producer's word, a hostile one's too: a misaligned tail would put our header stores off their
            // 8-byte words (which the aligned access refuses). One test per claim.
            if (!RegionLayout.isPosition(currentTail))
            {
                throw notAPosition(ring, "tail", currentTail);
            }
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
        final int toEnd = capacity - ((int)currentTail & mask);
        final int padding = required > toEnd ? toEnd : 0;
        final long needed = (long)required + padding + reserve;
        long head = (long)HEAD_CACHE.getAcquire(this); // A5: partner R5, maybe from another thread after its A3
        if (needed > freeBytes(capacity, currentTail, head))
        {
            // A3: acquire load of the head; partner R3 in RingConsumer.read (its reads, and zeroing, come first).
            head = (long)LONG.getAcquire(region, control + HEAD_OFFSET);
            HEAD_CACHE.setRelease(this, head); // R5, partner A5
            if (needed > freeBytes(capacity, currentTail, head))
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
            // R2: the padding record, length and type in one release store; partner A1 in RingConsumer.read.
            LONG.setRelease(region, data + index, RegionLayout.header(padding, PADDING_TYPE));
            index = 0;
        }
        // R0: the claimed header {-required, our pid} in one release store (the pid tells the consumer whether a
        // stuck claim's owner died); partner A1 and the stuck check.
        LONG.setRelease(region, data + index, RegionLayout.header(-required, pid));
        return data + index + RECORD_HEADER_LENGTH;
    }

    /**
     * The claimed record length at a claim's offset, from its header read once: still a claim (negative), and one
     * that fits the ring from there (the header is in shared memory: the consumer can rewrite it).
     */
    private int claimedLength(final long offset)
    {
        final long record = offset - RECORD_HEADER_LENGTH;
        if (record < data || record > data + capacity - RECORD_HEADER_LENGTH || 0 != ((record - data) & 7))
        {
            throw new IllegalArgumentException("offset=" + offset + " is not a claim of this ring");
        }
        final int length = RegionLayout.lengthOf((long)LONG.get(region, record));
        if (length >= 0)
        {
            throw new IllegalStateException("offset=" + offset + " is not claimed (already committed or aborted)");
        }
        final int claimed = -length;
        if (claimed < RECORD_HEADER_LENGTH || claimed > data + capacity - record ||
            0 != (claimed & (RegionLayout.RECORD_ALIGNMENT - 1)))
        {
            throw new RegionException(RegionException.PROTOCOL_VIOLATION, "ring " + ring + ": the claimed header at " +
                "offset " + offset + " was overwritten: length=" + length + " must be a multiple of 8 in -" +
                (data + capacity - record) + "..-8");
        }
        return claimed;
    }

    /**
     * Publishes a claimed message and wakes a parked consumer.
     *
     * @param offset what {@link #tryClaim} returned.
     * @param type   the message type, &gt;= 1.
     * @param length the message length actually written (at most the length claimed); a shorter message leaves
     *               the rest of the claim as padding, which the consumer skips.
     * @throws RegionException EPROTO when the claimed header was overwritten with a length no claim can have.
     * @throws IllegalArgumentException when the length exceeds the claim as its header reads now (a caller's
     *                                  mistake, or another process that shrank the claim: the producer keeps no
     *                                  private record of its claims, so it cannot tell the two apart).
     * @throws IllegalStateException when the offset is no longer claimed (committed or aborted already, or
     *                               rewritten by another process).
     */
    public void commit(final long offset, final int type, final int length)
    {
        final int claimed = claimedLength(offset);
        final long record = offset - RECORD_HEADER_LENGTH;
        if (type < 1)
        {
            throw new IllegalArgumentException("type=" + type + " must be >= 1");
        }
        if (length < 0 || length + RECORD_HEADER_LENGTH > claimed)
        {
            throw new IllegalArgumentException("length=" + length + " exceeds the claim of " +
                (claimed - RECORD_HEADER_LENGTH) + " bytes");
        }
        final int used = RegionLayout.align(length + RECORD_HEADER_LENGTH);
        if (used < claimed)
        {
            // The rest of the claim becomes a padding record, written before the release below publishes the
            // message, so the consumer steps from the message onto the padding and on to the next record.
            LONG.set(region, record + used, RegionLayout.header(claimed - used, PADDING_TYPE));
        }
        publish(record, type, length);
    }

    /** Publishes a record this producer just claimed (no checks: the callers validated or made the claim). */
    private void publish(final long record, final int type, final int length)
    {
        // R1: the committed header {length, type} in one release store: the message bytes become visible with it;
        // partner A1 in RingConsumer.read.
        LONG.setRelease(region, record, RegionLayout.header(length + RECORD_HEADER_LENGTH, type));
        RingAccess.wake(region, control + RegionLayout.CONSUMER_PARKED_OFFSET, light);
    }

    /**
     * Gives a claim up: the consumer skips it.
     *
     * @param offset what {@link #tryClaim} returned.
     */
    public void abort(final long offset)
    {
        final int claimed = claimedLength(offset);
        final long record = offset - RECORD_HEADER_LENGTH;
        // R1 (as padding): partner A1.
        LONG.setRelease(region, record, RegionLayout.header(claimed, PADDING_TYPE));
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
        final long needed = (long)required + (required > toEnd ? toEnd : 0) + reserve;
        return needed <= freeBytes(capacity, currentTail, head);
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
