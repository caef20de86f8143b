package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;

/** The owner pid slots of a ring (one-to-one producer, consumer), as the C side manages them. */
final class Owners
{
    private Owners()
    {
    }

    static void take(final MemorySegment region, final long slot, final int pid, final String what)
    {
        int current = (int)RingAccess.INT.getAcquire(region, slot);
        while (true)
        {
            if (0 != current && pid != current && 0 != LibHarmoniaQueue.hm_process_alive(current))
            {
                throw new RegionException(16, what + " is held by live process " + current);
            }
            final int witness = (int)RingAccess.INT.compareAndExchange(region, slot, current, pid);
            if (witness == current)
            {
                return;
            }
            current = witness;
        }
    }

    static void release(final MemorySegment region, final long slot, final int pid)
    {
        RingAccess.INT.compareAndSet(region, slot, pid, 0);
    }
}
