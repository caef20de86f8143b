package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;

import static io.harmonia.bindings.queue.RegionLayout.CONSUMER_PARKED_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.CONSUMER_PID_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.HEAD_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.PADDING_TYPE;
import static io.harmonia.bindings.queue.RegionLayout.PRODUCERS_PARKED_OFFSET;
import static io.harmonia.bindings.queue.RegionLayout.RECORD_HEADER_LENGTH;
import static io.harmonia.bindings.queue.RegionLayout.TAIL_OFFSET;
import static io.harmonia.bindings.queue.RingAccess.LONG;

/**
 * The one consumer of a ring: reads committed records in place, in batches, with the same protocol as the C
 * {@code hm_ring_read}. A record claimed by a process that died (or a many-to-one claim gap that stays empty past
 * the stall timeout) is skipped and reported once through {@link #PRODUCER_DIED}.
 *
 * <p>Trust: the ring's bytes are shared with other processes, which may write anything into them at any moment.
 * Every header word is loaded once and bounded before use (a committed record holds its header and ends before
 * the end of the ring; its type is a message type or padding; a claimed length is a multiple of 8 that fits), and
 * the head is read from the ring once, at open, then kept privately. A record that breaks these rules ends
 * reading for good with a {@link RegionException} whose errno is {@link RegionException#PROTOCOL_VIOLATION}
 * (EPROTO), naming the record's position, the field, its value and the limit: never a read or a write outside
 * the ring, never an {@link IndexOutOfBoundsException}.
 *
 * <p>Thread safety: one thread at a time; one live process per ring.
 */
public final class RingConsumer extends RingEnd implements AutoCloseable
{
    /** {@link #read} result: a dead producer's claim was skipped (reported once; reading goes on). */
    public static final int PRODUCER_DIED = -1;

    private static final long DEAD_CHECK_INTERVAL_NS = 1_000_000L;
    /** A head that is not ready is examined (tail, clock, claimer) only every this many empty reads. */
    private static final int STUCK_CHECK_POLLS = 1024;

    private long head;
    private long stallTimeoutNs = 1_000_000_000L;
    private long stuckPosition = -1;
    private long stuckSinceNs;
    private long stuckTail;
    private long lastDeadCheckNs;
    private long deadClaims;
    private int emptyPolls;
    /** The header word that stopped the last read: what {@link #stuckHead} examines, without reading it again. */
    private long stopHeader;
    /** Why reading stopped for good (a record broke the ring's rules), or null. */
    private String violation;
    private boolean closed;

    RingConsumer(final SharedRegion shared, final int ring)
    {
        super(shared, ring);
        Owners.take(region, control + CONSUMER_PID_OFFSET, pid, "consumer of ring " + ring);
        // The head is kept privately from here on, so it is checked once, here.
        final long sharedHead = (long)LONG.getAcquire(region, control + HEAD_OFFSET);
        if (!RegionLayout.isPosition(sharedHead))
        {
            Owners.release(region, control + CONSUMER_PID_OFFSET, pid);
            throw notAPosition(ring, "head", sharedHead);
        }
        this.head = sharedHead;
    }

    /**
     * Delivers up to {@code limit} committed records in order; the head is published once per batch.
     *
     * @param handler receives each record in place.
     * @param limit   the most records to deliver.
     * @return the number delivered (0 when none is ready), or {@link #PRODUCER_DIED} once per dead claim skipped.
     * @throws RegionException EPROTO ({@link RegionException#PROTOCOL_VIOLATION}) when the record at the head
     *                         breaks the ring's rules: the records before it were delivered (this call returns
     *                         their count if there were any), and every later read throws again. Close the
     *                         consumer.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        if (null != violation)
        {
            throw new RegionException(RegionException.PROTOCOL_VIOLATION, violation);
        }
        if (limit <= 0)
        {
            return 0;
        }
        final long start = head;
        int delivered = readBlock(handler, limit);
        if (head != start && delivered < limit && null == violation && 0 == ((int)head & mask))
        {
            delivered += readBlock(handler, limit - delivered);
        }
        if (head == start)
        {
            if (null != violation)
            {
                throw new RegionException(RegionException.PROTOCOL_VIOLATION, violation);
            }
            return stuckHead();
        }
        RingAccess.wake(region, control + PRODUCERS_PARKED_OFFSET, light);
        return delivered;
    }

    private int readBlock(final MessageHandler handler, final int limit)
    {
        final MemorySegment region = this.region;
        final int headIndex = (int)head & mask;
        final int contiguous = capacity - headIndex;
        int bytes = 0;
        int delivered = 0;
        try
        {
            while (bytes < contiguous && delivered < limit)
            {
                final long record = data + headIndex + bytes;
                // A1: acquire load of the record header (one 64-bit word: length and type); partners R0
                // (claimed), R1 (commit), R2 (padding).
                final long header = (long)LONG.getAcquire(region, record);
                final int length = RegionLayout.lengthOf(header);
                if (length <= 0)
                {
                    stopHeader = header;
                    break;
                }
                // The header is the peer's word, loaded once: a committed record holds its header and ends before
                // the end of the ring. One unsigned comparison tests both (room is a multiple of 8, at least 8).
                final int room = contiguous - bytes;
                final int type = RegionLayout.typeOf(header);
                if (Integer.compareUnsigned(length - RECORD_HEADER_LENGTH, room - RECORD_HEADER_LENGTH) > 0 ||
                    (PADDING_TYPE != type && type < 1))
                {
                    refuse(head + bytes, header, room);
                    break;
                }
                bytes += RegionLayout.align(length);
                if (PADDING_TYPE != type)
                {
                    delivered++;
                    handler.onMessage(type, region, record + RECORD_HEADER_LENGTH, length - RECORD_HEADER_LENGTH);
                }
            }
        }
        finally
        {
            // A handler that throws still consumes the records delivered before (and including) it.
            if (0 != bytes)
            {
                // Many-to-one: zero what was consumed (a zero header means "not written yet", and no producer can
                // clear the header after its record). A one-to-one producer clears it itself (Z0), so the data
                // lines go from the producer's cache to ours and never back.
                if (manyToOne)
                {
                    region.asSlice(data + headIndex, bytes).fill((byte)0);
                }
                head += bytes;
                stuckPosition = -1;
                // R3: release store of the head after the reads (and the zeroing); partner A3 in RingProducer.
                LONG.setRelease(region, control + HEAD_OFFSET, head);
            }
        }
        return delivered;
    }

    /**
     * After a read that found nothing: examines the header that stopped it (read with A1 there; not read again,
     * because the producer is writing that line while we poll it).
     */
    private int stuckHead()
    {
        final int headIndex = (int)head & mask;
        final long record = data + headIndex;
        final long header = stopHeader;
        final int length = RegionLayout.lengthOf(header);
        // A one-to-one producer writes its claimed header before it moves the tail (R0 before R4): a zero header
        // there means "empty", never a gap. Reading the tail line on every empty poll would bounce it between
        // the caches of the two sides, so a stuck head is examined only every STUCK_CHECK_POLLS empty reads.
        if ((0 == length && !manyToOne) || 0 != ++emptyPolls % STUCK_CHECK_POLLS)
        {
            return 0;
        }
        // A4: partner R4 (one-to-one tail) / C1 (many-to-one claim).
        final long tail = (long)LONG.getAcquire(region, control + TAIL_OFFSET);
        if (tail == head)
        {
            stuckPosition = -1;
            return 0;
        }
        final long now = System.nanoTime();
        if (stuckPosition != head)
        {
            stuckPosition = head;
            stuckSinceNs = now;
            stuckTail = tail;
            lastDeadCheckNs = now;
            return 0;
        }
        final int toEnd = capacity - headIndex;
        if (length < 0)
        {
            if (now - lastDeadCheckNs < DEAD_CHECK_INTERVAL_NS)
            {
                return 0;
            }
            lastDeadCheckNs = now;
            final int claimer = RegionLayout.typeOf(header);
            if (0 != LibHarmoniaQueue.hm_process_alive(claimer))
            {
                return 0;
            }
            // The dead claim is skipped if its length is one a claim can have (a multiple of 8 that fits).
            final int claimed = -length;
            if (claimed < RECORD_HEADER_LENGTH || claimed > toEnd || 0 != (claimed & (RegionLayout.RECORD_ALIGNMENT - 1)))
            {
                refuse(head, header, toEnd);
                throw new RegionException(RegionException.PROTOCOL_VIOLATION, violation);
            }
            padHead(record, claimed);
            return PRODUCER_DIED;
        }
        if (!manyToOne || now - stuckSinceNs < stallTimeoutNs)
        {
            return 0;
        }
        // The tail is the producers' word: any value, taken as unsigned; the gap is bounded by the end of the ring.
        final long pending = tail - head;
        final boolean pendingFits = Long.compareUnsigned(pending, toEnd) <= 0;
        final int limit = pendingFits ? (int)pending : toEnd;
        int gap = RegionLayout.RECORD_ALIGNMENT;
        while (gap < limit && 0 == (long)LONG.get(region, record + gap))
        {
            gap += RegionLayout.RECORD_ALIGNMENT;
        }
        if (gap >= limit && pendingFits && tail != stuckTail)
        {
            return 0;
        }
        padHead(record, gap);
        return PRODUCER_DIED;
    }

    /** The record at {@code position} broke the ring's rules: reading stops for good, with the reason kept. */
    private void refuse(final long position, final long header, final int room)
    {
        final int length = RegionLayout.lengthOf(header);
        final String what;
        if (length < 0)
        {
            what = "claimed record at position " + position + ": length=" + length + " must be a multiple of 8 in -" +
                room + "..-8";
        }
        else if (length < RECORD_HEADER_LENGTH || length > room)
        {
            what = "record at position " + position + ": length=" + length + " must be 8.." + room +
                " (header included, up to the end of the ring)";
        }
        else
        {
            what = "record at position " + position + ": type=" + RegionLayout.typeOf(header) +
                " must be >= 1 (a message) or -1 (padding)";
        }
        violation = "ring " + ring + ": " + what;
    }

    /**
     * Why reading stopped for good.
     *
     * @return the record's position, the field, its value and the limit; null while the ring keeps its rules.
     */
    public String violation()
    {
        return violation;
    }

    private void padHead(final long record, final int length)
    {
        LONG.setRelease(region, record, RegionLayout.header(length, PADDING_TYPE));
        deadClaims++;
        stuckPosition = -1;
    }

    /**
     * Waits until a record may be ready: spins, then parks on the ring's futex.
     *
     * @param timeoutNs the longest wait; negative waits without bound.
     * @return true when the head record is committed (or stuck on a claim that {@link #read} will check).
     * @throws RegionException (EPIPE) when the region was marked closed.
     */
    public boolean await(final long timeoutNs)
    {
        final int outcome =
            RingAccess.await(region, control + CONSUMER_PARKED_OFFSET, this::headReady, timeoutNs, spins);
        if (RingAccess.CLOSED == outcome)
        {
            throw new RegionException(32, "the region was closed while waiting for a message");
        }
        return RingAccess.READY == outcome;
    }

    private boolean headReady(final boolean parking)
    {
        final long record = data + ((int)head & mask);
        final int length = RegionLayout.lengthOf((long)LONG.getAcquire(region, record));
        // Before parking (after the closure and deadline checks) a claimed head or a claim gap also counts, so that
        // read() gets to check it for a dead claimer; not while spinning, where a claim that never commits would
        // end every wait at once. The tail line is only read before parking: spinning on it would bounce it.
        return length > 0 ||
            (parking && (0 != length || (long)LONG.getAcquire(region, control + TAIL_OFFSET) != head));
    }

    /**
     * How long a many-to-one claim gap may stay empty before it is skipped as a dead producer's.
     *
     * @param timeoutNs nanoseconds (default one second).
     */
    public void stallTimeoutNs(final long timeoutNs)
    {
        this.stallTimeoutNs = timeoutNs;
    }

    /**
     * Claims skipped because their producer died.
     *
     * @return the count since this consumer opened.
     */
    public long deadClaims()
    {
        return deadClaims;
    }

    /** Releases the consumer slot. Idempotent. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Owners.release(region, control + CONSUMER_PID_OFFSET, pid);
        }
    }
}
