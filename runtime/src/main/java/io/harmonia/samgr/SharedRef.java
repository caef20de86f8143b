package io.harmonia.samgr;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference count of a request sent to several queues ({@code sharedRef} of {@code SAMGR_SendSharedRequest} and
 * {@code SAMGR_SendSharedDirectRequest}). Each queued copy holds a reference until its task has processed it (a
 * response travelling back holds one more), and the creator holds one from construction until {@link #release()}.
 * When the count reaches 0 the release action runs once, on the thread that dropped the last reference: that is
 * where a broadcast frees the published data.
 *
 * <p>OpenHarmony's count starts at 0 and is freed as soon as the first copy is processed, so a fan-out that is
 * still sending can touch a freed counter; the creator's reference closes that gap.
 *
 * <pre>{@code
 * try (SharedRef ref = new SharedRef(() -> pool.recycle(buffer))) {
 *     for (Identity target : targets) samgr.sendSharedRequest(target, request, ref, null);
 * }
 * }</pre>
 */
public final class SharedRef implements AutoCloseable
{
    private final AtomicInteger count = new AtomicInteger(1);
    private final Runnable onLastRelease;

    /**
     * A count held once by its creator.
     *
     * @param onLastRelease runs when the last reference is dropped; {@code null} for nothing.
     */
    public SharedRef(final Runnable onLastRelease)
    {
        this.onLastRelease = onLastRelease;
    }

    /**
     * The references held now: the creator's (until released) plus one per copy not yet processed.
     *
     * @return the count; 0 once released for good.
     */
    public int count()
    {
        return count.get();
    }

    /**
     * Whether the last reference is gone and the release action ran (or is running).
     *
     * @return true once the count reached 0.
     */
    public boolean isReleased()
    {
        return 0 == count.get();
    }

    /** Drops the creator's reference. */
    @Override
    public void close()
    {
        release();
    }

    /**
     * Drops a reference; the creator calls this once when it has sent every copy.
     *
     * @throws IllegalStateException if the count is already 0.
     */
    public void release()
    {
        int current;
        do
        {
            current = count.get();
            if (current <= 0)
            {
                throw new IllegalStateException("SharedRef released more often than it was referenced");
            }
        }
        while (!count.compareAndSet(current, current - 1));
        if (1 == current && null != onLastRelease)
        {
            onLastRelease.run();
        }
    }

    /**
     * Adds a reference for a copy about to be queued.
     *
     * @return false if the count already reached 0 (the creator released it; no new copy may be sent).
     */
    boolean retain()
    {
        int current;
        do
        {
            current = count.get();
            if (current <= 0)
            {
                return false;
            }
        }
        while (!count.compareAndSet(current, current + 1));
        return true;
    }
}
