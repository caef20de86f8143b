package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Atomic access to the shared bytes, the parking protocol and the wait loops shared by producers and consumers.
 * Every barrier names its partner; the labels match the C code (native/src/queue/ring.c) and docs/architecture.md.
 */
final class RingAccess
{
    /** int access with coordinates (segment, base offset, offset). */
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** long access with coordinates (segment, base offset, offset). */
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Busy polls before a waiter parks (HM_RING_DEFAULT_SPINS on the C side). */
    static final int DEFAULT_SPINS = 2000;
    /** Longest single park, so waits notice closure, deadlines and dead peers. */
    static final long PARK_SLICE_NS = 2_000_000L;

    private RingAccess()
    {
    }

    static int checkSpins(final int spins)
    {
        if (spins < 0)
        {
            throw new IllegalArgumentException("spins=" + spins + " must be >= 0");
        }
        return spins;
    }

    static boolean closed(final MemorySegment region)
    {
        return 0 != ((int)INT.getAcquire(region, (long)RegionLayout.STATE_OFFSET) & RegionLayout.STATE_CLOSED);
    }

    /**
     * Wakes the waiters of a parked flag (F1 in commit, partner F3; F2 in read, partner F4). A light caller (its
     * process registered for the global membarrier) skips the full fence: a waiter about to park runs the
     * membarrier, which executes that fence on this CPU. The flag read stays after the publication in program
     * order because both are raw-memory accesses to the same segment, which the JIT keeps in order. An
     * uncontended exchange reads the flag as 0 and makes no system call.
     */
    static void wake(final MemorySegment region, final long flagOffset, final boolean light)
    {
        if (!light)
        {
            VarHandle.fullFence();
        }
        if (0 != (int)INT.get(region, flagOffset) && 0 != (int)INT.getAndSet(region, flagOffset, 0))
        {
            LibHarmoniaQueue.hm_futex_unpark(region.asSlice(flagOffset, 4));
        }
    }

    /** What a waiter waits for. */
    interface Condition
    {
        boolean holds(boolean parking);
    }

    /** Outcome of {@link #await}. */
    static final int READY = 0;
    /** Outcome of {@link #await}: the deadline passed. */
    static final int TIMED_OUT = 1;
    /** Outcome of {@link #await}: the region was marked closed. */
    static final int CLOSED = 2;

    /**
     * Spins, then parks on the flag until the condition holds, the deadline passes or the region closes.
     * F3/F4: the full fence between raising the flag and re-checking the condition; partner F1/F2 in {@link #wake}.
     */
    static int await(
        final MemorySegment region, final long flagOffset, final Condition condition, final long timeoutNs,
        final int spins)
    {
        for (int spin = 0; spin < spins; spin++)
        {
            if (condition.holds(false))
            {
                return READY;
            }
            Thread.onSpinWait();
        }
        final long deadline = timeoutNs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        final MemorySegment word = region.asSlice(flagOffset, 4);
        while (true)
        {
            if (closed(region))
            {
                return CLOSED;
            }
            final long now = System.nanoTime();
            if (now - deadline >= 0)
            {
                return TIMED_OUT;
            }
            INT.setOpaque(region, flagOffset, 1);
            VarHandle.fullFence();
            // F3/F4 heavy side: the global membarrier stands in for the fence light wakers skip.
            LibHarmoniaQueue.hm_membarrier_heavy();
            if (condition.holds(true))
            {
                INT.setOpaque(region, flagOffset, 0);
                return READY;
            }
            LibHarmoniaQueue.hm_futex_park(word, 1, Math.min(PARK_SLICE_NS, deadline - now));
        }
    }
}
