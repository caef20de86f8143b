package io.harmonia.samgr;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * samgr's boot sequence ({@code SAMGR_Bootstrap} and {@code InitCompleted}): the status, the count of services not
 * yet initialised, the initialisation of each service on its own task, and the boot messages to the
 * {@value Samgr#BOOTSTRAP_SERVICE} service whose answers start the next phase. Counters change under samgr's lock.
 */
final class BootSequence
{
    private static final System.Logger LOG = System.getLogger(Samgr.class.getName());

    private final Samgr samgr;
    private final CopyOnWriteArrayList<BootListener> bootListeners = new CopyOnWriteArrayList<>();
    /** Services not yet initialised (INIT or INITIALIZING); guarded by samgr's lock. */
    private int uninitialised;
    /** A dynamic bootstrap initialised services and has not reported it yet; guarded by samgr's lock. */
    private boolean dynamicRoundPending;
    private volatile BootStatus status = BootStatus.BOOT_SYS;
    /** samgr's own Bootstrap service, registered first. */
    private ServiceImpl bootstrapService;

    BootSequence(final Samgr samgr)
    {
        this.samgr = samgr;
    }

    void bootstrapService(final ServiceImpl service)
    {
        this.bootstrapService = service;
    }

    BootStatus status()
    {
        return status;
    }

    /** A service was registered; caller holds the lock. */
    void serviceAddedLocked()
    {
        uninitialised++;
    }

    /** An uninitialised service was unregistered; caller holds the lock. */
    void serviceRemovedLocked()
    {
        uninitialised--;
    }

    // ---- listeners ----

    void addBootListener(final BootListener listener)
    {
        bootListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    boolean removeBootListener(final BootListener listener)
    {
        return bootListeners.remove(listener);
    }

    void notifyBootListeners(final BootPhase phase)
    {
        for (final BootListener listener : bootListeners)
        {
            try
            {
                listener.onBootCompleted(phase);
            }
            catch (final Throwable ex)
            {
                LOG.log(Level.ERROR, "boot listener failed on " + phase, ex);
            }
        }
    }

    // ---- bootstrap ----

    /**
     * One {@code SAMGR_Bootstrap}: moves to the phase's wait state, builds the tasks of every uninitialised service
     * and queues their initialisation (inline for {@code NO_TASK}).
     *
     * @return false when samgr is closed.
     */
    boolean bootstrapIfOpen()
    {
        final List<ServiceImpl> toInitialise = new ArrayList<>();
        samgr.lock.lock();
        try
        {
            if (samgr.isClosed())
            {
                return false;
            }
            status = status.next();
            for (int i = 0; i < samgr.registry.slotCount(); i++)
            {
                final ServiceImpl impl = samgr.registry.slot(i);
                if (null == impl || ServiceImpl.STATE_INIT != impl.state)
                {
                    continue;
                }
                impl.state = ServiceImpl.STATE_INITIALIZING;
                final TaskPool pool = samgr.pools.assignPoolLocked(impl);
                impl.pool = pool;
                impl.identity = new Identity(samgr, impl.serviceId, Identity.SERVICE_ONLY, impl.generation,
                    null == pool ? null : pool.queue);
                toInitialise.add(impl);
            }
            if (BootStatus.BOOT_DYNAMIC_WAIT == status && !toInitialise.isEmpty())
            {
                dynamicRoundPending = true;
            }
            for (final ServiceImpl impl : toInitialise)
            {
                final TaskPool pool = impl.pool;
                if (null != pool)
                {
                    pool.queue.offerUnbounded(Exchange.lifecycle(() -> initialiseService(impl)));
                    samgr.pools.startLocked(pool);
                }
            }
        }
        finally
        {
            samgr.lock.unlock();
        }
        for (final ServiceImpl impl : toInitialise)
        {
            if (null == impl.pool)
            {
                initialiseService(impl);
            }
        }
        checkInitCompleted();
        return true;
    }

    private void initialiseService(final ServiceImpl impl)
    {
        if (impl.registered)
        {
            try
            {
                impl.service.initialize(impl.identity);
            }
            catch (final Throwable ex)
            {
                LOG.log(Level.ERROR, "initialize() of service \"" + impl.name + "\" failed", ex);
            }
            final TaskQueue queue = impl.identity.queue();
            for (int i = 0; i < impl.features.size(); i++)
            {
                final FeatureImpl featureImpl = impl.features.get(i);
                if (null == featureImpl)
                {
                    continue;
                }
                final Identity featureIdentity = new Identity(samgr, impl.serviceId, i, impl.generation, queue);
                featureImpl.identity = featureIdentity;
                try
                {
                    featureImpl.feature.onInitialize(impl.service, featureIdentity);
                }
                catch (final Throwable ex)
                {
                    LOG.log(Level.ERROR, "onInitialize() of feature \"" + featureImpl.name + "\" of service \""
                        + impl.name + "\" failed", ex);
                }
            }
            final List<Runnable> exports = new ArrayList<>();
            samgr.lock.lock();
            try
            {
                if (impl.registered && ServiceImpl.STATE_IDLE != impl.state)
                {
                    impl.state = ServiceImpl.STATE_IDLE;
                    uninitialised--;
                    samgr.remote.collectExports(impl, exports);
                }
            }
            finally
            {
                samgr.lock.unlock();
            }
            exports.forEach(Runnable::run);
        }
        checkInitCompleted();
    }

    void checkInitCompleted()
    {
        final int bootMessage;
        samgr.lock.lock();
        try
        {
            if (samgr.isClosed() || uninitialised > 0)
            {
                return;
            }
            switch (status)
            {
                case BOOT_SYS_WAIT ->
                {
                    status = BootStatus.BOOT_APP;
                    bootMessage = Samgr.BOOT_SYS_COMPLETED;
                }
                case BOOT_APP_WAIT ->
                {
                    status = BootStatus.BOOT_DYNAMIC;
                    bootMessage = Samgr.BOOT_APP_COMPLETED;
                }
                case BOOT_DYNAMIC_WAIT ->
                {
                    if (!dynamicRoundPending)
                    {
                        return;
                    }
                    dynamicRoundPending = false;
                    bootMessage = Samgr.BOOT_REG_SERVICE;
                }
                default ->
                {
                    return;
                }
            }
        }
        finally
        {
            samgr.lock.unlock();
        }
        // A phase that completes starts the next: the Bootstrap service answers the message to its own task, and
        // the response handler is bootstrap() itself (as SendBootRequest and the Bootstrap service do upstream).
        final Handler next = Samgr.BOOT_REG_SERVICE == bootMessage ? null : (request, response) -> bootstrapIfOpen();
        final Exchange exchange = Exchange.request(bootstrapService.identity, new Request(bootMessage, 0), next,
            TaskPool.currentQueue(), null);
        // Unbounded: a boot message refused by a full shared queue would stall the boot for good.
        if (!bootstrapService.identity.queue().offerUnbounded(exchange))
        {
            LOG.log(Level.DEBUG, "boot message " + bootMessage + " not sent: samgr is closed");
        }
    }
}
