package io.harmonia.samgr;

/** How a service gets its thread ({@code TaskType}; the numbers are the C values of {@code taskFlags}). */
public enum TaskType
{
    /** One pool per priority bucket (priority / 8), one thread, shared by up to 15 services. */
    SHARED_TASK(0),
    /** A pool and thread of the service's own. */
    SINGLE_TASK(1),
    /** Shares the pool of a service whose {@link TaskConfig} is identical (up to 15 services), else like single. */
    SPECIFIED_TASK(2),
    /** No pool: initialised inline by {@link Samgr#bootstrap()}; messages cannot be queued to it. */
    NO_TASK(0xFF);

    private final int flags;

    TaskType(final int flags)
    {
        this.flags = flags;
    }

    /**
     * The C value of {@code taskFlags}.
     *
     * @return 0, 1, 2 or 0xFF.
     */
    public int flags()
    {
        return flags;
    }
}
