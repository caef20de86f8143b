package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;

import static io.harmonia.bindings.queue.RegionLayout.RING_CONTROL_LENGTH;

/** What both ends of a ring know about it: where its bytes are, its shape, and how its waits behave. */
abstract class RingEnd
{
    /** The whole region. */
    final MemorySegment region;
    /** The ring's index in the region (for messages). */
    final int ring;
    /** Offset of the ring's control block in the region. */
    final long control;
    /** Offset of the ring's first data byte. */
    final long data;
    /** Data capacity (a power of two). */
    final int capacity;
    /** capacity - 1. */
    final int mask;
    /** Whether the ring is many-to-one. */
    final boolean manyToOne;
    /** This process's pid (owner slots, claimed headers). */
    final int pid;
    /** This process registered for the global membarrier: wake-ups skip their full fence. */
    final boolean light;
    /** Busy polls before a wait parks. */
    int spins = RingAccess.DEFAULT_SPINS;

    RingEnd(final SharedRegion shared, final int ring)
    {
        this.region = shared.segment();
        this.ring = ring;
        this.control = shared.ringOffset(ring);
        this.data = control + RING_CONTROL_LENGTH;
        this.capacity = shared.ringCapacity(ring);
        this.mask = capacity - 1;
        this.manyToOne = RingKind.MANY_TO_ONE == shared.ringKind(ring);
        this.pid = (int)ProcessHandle.current().pid();
        this.light = 0 == LibHarmoniaQueue.hm_membarrier_register();
    }

    /**
     * Free bytes when the producer is at {@code tail} and the consumer at {@code head} (as {@code ring_free} in C).
     * The head is the consumer's word, from another process: a head that looks ahead of the tail counts as an
     * empty ring. That is what a many-to-one producer sees when other claims moved the tail after it read it (its
     * compare-and-swap then fails and is retried); a consumer that lies about its head only overwrites its own
     * unread records.
     */
    static long freeBytes(final int capacity, final long tail, final long head)
    {
        final long used = tail - head;
        return capacity - (used < 0 ? 0 : used);
    }

    /** A position read from the ring that is not one: the peer broke the ring's rules. */
    static RegionException notAPosition(final int ring, final String field, final long value)
    {
        return new RegionException(RegionException.PROTOCOL_VIOLATION,
            "ring " + ring + ": " + field + "=" + value + " must be an 8-aligned position in 0..2^62");
    }

    /**
     * How many busy polls a wait makes before it parks on the futex.
     *
     * @param spins 0 parks at once; the default is 2000 (tens of microseconds).
     */
    public void spinLimit(final int spins)
    {
        this.spins = RingAccess.checkSpins(spins);
    }
}
