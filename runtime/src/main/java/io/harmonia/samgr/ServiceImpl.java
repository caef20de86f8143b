package io.harmonia.samgr;

import java.util.concurrent.ConcurrentHashMap;

/** samgr's record of a registered service ({@code ServiceImpl}). Mutable fields change under samgr's lock. */
final class ServiceImpl
{
    /** {@code SVC_INIT}: registered, not yet picked up by a bootstrap. */
    static final int STATE_INIT = 0;
    /** A bootstrap queued its initialisation; features can no longer be added. */
    static final int STATE_INITIALIZING = 1;
    /** {@code SVC_IDLE}: initialised. */
    static final int STATE_IDLE = 2;

    final Service service;
    final String name;
    final TaskConfig config;
    final int serviceId;
    final int generation;
    /** samgr's own services (Bootstrap, Broadcast) cannot be unregistered or changed by users. */
    final boolean reserved;
    final SlotVector<FeatureImpl> features = new SlotVector<>();
    final ConcurrentHashMap<String, FeatureImpl> featuresByName = new ConcurrentHashMap<>();

    volatile int state = STATE_INIT;
    volatile boolean registered = true;
    volatile TaskPool pool;
    /** The service's identity; set when a bootstrap picks the service up. */
    volatile Identity identity;
    volatile IUnknown defaultApi;

    ServiceImpl(final Service service, final String name, final TaskConfig config, final int serviceId,
        final int generation, final boolean reserved)
    {
        this.service = service;
        this.name = name;
        this.config = config;
        this.serviceId = serviceId;
        this.generation = generation;
        this.reserved = reserved;
    }

    boolean isUninitialised()
    {
        return STATE_IDLE != state;
    }
}
