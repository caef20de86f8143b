package io.harmonia.samgr;

/**
 * Where a service or feature receives messages (OpenHarmony's {@code Identity {serviceId, featureId, queueId}}),
 * plus a generation. samgr hands one to {@link Service#initialize(Identity)} and
 * {@link Feature#onInitialize(Service, Identity)}; senders pass it to {@link Samgr#sendRequest}.
 *
 * <p>Service ids are slot numbers that samgr reuses after an unregister, as OpenHarmony does. OpenHarmony's identity
 * then silently reaches whatever service took the slot (reference 6.3); here every registration gets a new
 * generation, and a message whose identity's generation is not the slot's current one is refused with
 * {@link ErrorCode#EC_NOSERVICE} when sent, and never dispatched if the service left while it was queued.
 */
public final class Identity
{
    /** The feature id of an identity that addresses the service itself rather than one of its features. */
    public static final int SERVICE_ONLY = -1;

    private final Samgr owner;
    private final int serviceId;
    private final int featureId;
    private final int generation;
    private final TaskQueue queue;

    Identity(final Samgr owner, final int serviceId, final int featureId, final int generation, final TaskQueue queue)
    {
        this.owner = owner;
        this.serviceId = serviceId;
        this.featureId = featureId;
        this.generation = generation;
        this.queue = queue;
    }

    /**
     * The service's slot number.
     *
     * @return 0..0x7FEF for a registered service.
     */
    public int serviceId()
    {
        return serviceId;
    }

    /**
     * The feature's slot number within its service.
     *
     * @return {@link #SERVICE_ONLY} for the service itself.
     */
    public int featureId()
    {
        return featureId;
    }

    /**
     * The registration this identity belongs to.
     *
     * @return a number that differs for every registration of this samgr.
     */
    public int generation()
    {
        return generation;
    }

    /**
     * Whether messages can be queued to this identity; false for a {@link TaskType#NO_TASK} service, as in
     * OpenHarmony, where such a service has no queue.
     *
     * @return true when the service has a task queue.
     */
    public boolean hasQueue()
    {
        return null != queue;
    }

    Samgr owner()
    {
        return owner;
    }

    TaskQueue queue()
    {
        return queue;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof final Identity that && owner == that.owner && serviceId == that.serviceId
            && featureId == that.featureId && generation == that.generation;
    }

    @Override
    public int hashCode()
    {
        return (serviceId * 31 + featureId) * 31 + generation;
    }

    @Override
    public String toString()
    {
        return "Identity{serviceId=" + serviceId + ", featureId=" + featureId + ", generation=" + generation
            + (null == queue ? ", no queue}" : ", queue=" + queue.name() + "}");
    }
}
