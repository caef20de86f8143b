package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;

import static io.harmonia.bindings.queue.RegionLayout.RING_CONTROL_LENGTH;

/** What both ends of a ring know about it: where its bytes are, its shape, and how its waits behave. */
abstract class RingEnd
{
    /** The whole region. */
    final MemorySegment region;
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
        this.control = shared.ringOffset(ring);
        this.data = control + RING_CONTROL_LENGTH;
        this.capacity = shared.ringCapacity(ring);
        this.mask = capacity - 1;
        this.manyToOne = RingKind.MANY_TO_ONE == shared.ringKind(ring);
        this.pid = (int)ProcessHandle.current().pid();
        this.light = 0 == LibHarmoniaQueue.hm_membarrier_register();
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
