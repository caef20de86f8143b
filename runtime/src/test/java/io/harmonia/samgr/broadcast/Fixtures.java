package io.harmonia.samgr.broadcast;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.harmonia.samgr.BootPhase;
import io.harmonia.samgr.Samgr;

/** Waits for the broadcast tests. */
final class Fixtures
{
    private Fixtures()
    {
    }

    /** Bootstraps and waits until the system phase (which includes the Broadcast service) has completed. */
    static Samgr booted(final Samgr samgr)
    {
        final CountDownLatch systemDone = new CountDownLatch(1);
        samgr.addBootListener(phase ->
        {
            if (BootPhase.SYSTEM == phase)
            {
                systemDone.countDown();
            }
        });
        samgr.bootstrap();
        try
        {
            if (!systemDone.await(20, TimeUnit.SECONDS))
            {
                throw new AssertionError("timed out waiting for the system boot phase");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        return samgr;
    }

    static <T> T poll(final BlockingQueue<T> queue)
    {
        try
        {
            final T value = queue.poll(20, TimeUnit.SECONDS);
            if (null == value)
            {
                throw new AssertionError("timed out waiting for a notification");
            }
            return value;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }
}
