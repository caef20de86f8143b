package io.harmonia.samgr;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * samgr's registry: services by name and slot, their features, the APIs they publish, and the system capabilities
 * ({@code samgr_lite.c}'s vectors and {@code SysCapImpl} list). Every rule of {@link Samgr}'s registry methods is
 * checked here; writers hold samgr's lock, lookups read the concurrent maps without it.
 */
final class ServiceRegistry
{
    private final Samgr samgr;
    private final ConcurrentHashMap<String, ServiceImpl> services = new ConcurrentHashMap<>();
    /** Guarded by samgr's lock for writes. */
    private final SlotVector<ServiceImpl> slots = new SlotVector<>();
    /** Guarded by samgr's lock. */
    private final Set<String> systemCapabilities = new LinkedHashSet<>();
    /** Guarded by samgr's lock. */
    private int nextGeneration;

    ServiceRegistry(final Samgr samgr)
    {
        this.samgr = samgr;
    }

    // ---- services and features ----

    void registerService(final Service service)
    {
        Objects.requireNonNull(service, "service");
        samgr.lock.lock();
        try
        {
            samgr.ensureOpen();
            registerLocked(service, false);
        }
        finally
        {
            samgr.lock.unlock();
        }
    }

    ServiceImpl registerLocked(final Service service, final boolean reserved)
    {
        final String name = checkName("service name", service.getName());
        final TaskConfig config = Objects.requireNonNull(service.getTaskConfig(),
            () -> "getTaskConfig() of service \"" + name + "\" returned null");
        if (services.containsKey(name))
        {
            throw new SamgrException(ErrorCode.EC_FAILURE, "service \"" + name + "\" is already registered");
        }
        if (slots.count() >= Samgr.MAX_SERVICE_NUM)
        {
            throw new SamgrException(ErrorCode.EC_NORESOURCE, "services=" + slots.count()
                + " reached MAX_SERVICE_NUM=" + Samgr.MAX_SERVICE_NUM + "; cannot register \"" + name + "\"");
        }
        final int generation = ++nextGeneration;
        final int serviceId = slots.add(index -> new ServiceImpl(service, name, config, index, generation, reserved));
        final ServiceImpl impl = slots.get(serviceId);
        services.put(name, impl);
        samgr.boot.serviceAddedLocked();
        return impl;
    }

    Service unregisterService(final String name)
    {
        if (null == name)
        {
            return null;
        }
        final ServiceImpl impl;
        boolean leftUninitialised = false;
        samgr.lock.lock();
        try
        {
            impl = services.get(name);
            if (null == impl)
            {
                return null;
            }
            checkNotReserved(impl);
            final int featureCount = impl.features.count();
            if (null != impl.defaultApi || featureCount > 0)
            {
                throw new SamgrException(ErrorCode.EC_FAILURE, "service \"" + name + "\" still has "
                    + (null != impl.defaultApi ? "a default API and " : "") + featureCount
                    + " feature(s); unregister them first");
            }
            services.remove(name);
            slots.remove(impl.serviceId);
            impl.registered = false;
            if (impl.isUninitialised())
            {
                samgr.boot.serviceRemovedLocked();
                leftUninitialised = true;
            }
            final TaskPool pool = impl.pool;
            if (null != pool)
            {
                samgr.pools.releasePoolLocked(pool);
            }
        }
        finally
        {
            samgr.lock.unlock();
        }
        if (leftUninitialised)
        {
            samgr.boot.checkInitCompleted(); // it may have been the last service the current phase waited for
        }
        return impl.service;
    }

    void registerFeature(final String serviceName, final Feature feature)
    {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(feature, "feature");
        final String name = checkName("feature name", feature.getName());
        samgr.lock.lock();
        try
        {
            samgr.ensureOpen();
            final ServiceImpl impl = requireService(serviceName);
            checkNotReserved(impl);
            addFeatureLocked(impl, feature, name);
        }
        finally
        {
            samgr.lock.unlock();
        }
    }

    void registerReservedService(final Service service)
    {
        samgr.lock.lock();
        try
        {
            registerLocked(service, true);
        }
        finally
        {
            samgr.lock.unlock();
        }
    }

    void registerReservedFeature(final String serviceName, final Feature feature, final IUnknown api)
    {
        samgr.lock.lock();
        try
        {
            final ServiceImpl impl = requireService(serviceName);
            // samgr's own feature names follow OpenHarmony's constants, which break the 16-byte rule
            // ("Provider and subscriber"): they are registered without the name check.
            final FeatureImpl featureImpl = addFeatureLocked(impl, feature, feature.getName());
            featureImpl.api = api;
        }
        finally
        {
            samgr.lock.unlock();
        }
    }

    private FeatureImpl addFeatureLocked(final ServiceImpl impl, final Feature feature, final String name)
    {
        if (ServiceImpl.STATE_INIT != impl.state)
        {
            throw new SamgrException(ErrorCode.EC_FAILURE, "service \"" + impl.name
                + "\" is already initialised; features must be registered before bootstrap reaches it");
        }
        if (impl.featuresByName.containsKey(name))
        {
            throw new SamgrException(ErrorCode.EC_FAILURE, "service \"" + impl.name + "\" already has feature \""
                + name + "\"");
        }
        if (impl.features.count() >= Samgr.MAX_FEATURE_NUM)
        {
            throw new SamgrException(ErrorCode.EC_NORESOURCE, "service \"" + impl.name + "\" has features="
                + impl.features.count() + ", MAX_FEATURE_NUM=" + Samgr.MAX_FEATURE_NUM + "; cannot add \"" + name
                + "\"");
        }
        final int featureId = impl.features.add(index -> new FeatureImpl(feature, name, index));
        final FeatureImpl featureImpl = impl.features.get(featureId);
        impl.featuresByName.put(name, featureImpl);
        return featureImpl;
    }

    Feature unregisterFeature(final String serviceName, final String featureName)
    {
        if (null == serviceName || null == featureName)
        {
            return null;
        }
        final ServiceImpl impl;
        final FeatureImpl featureImpl;
        samgr.lock.lock();
        try
        {
            impl = services.get(serviceName);
            if (null == impl)
            {
                return null;
            }
            checkNotReserved(impl);
            featureImpl = impl.featuresByName.get(featureName);
            if (null == featureImpl)
            {
                return null;
            }
            if (null != featureImpl.api)
            {
                throw new SamgrException(ErrorCode.EC_FAILURE, "feature \"" + featureName + "\" of service \""
                    + serviceName + "\" still has an API; unregister it first");
            }
            impl.features.remove(featureImpl.featureId);
            impl.featuresByName.remove(featureName);
        }
        finally
        {
            samgr.lock.unlock();
        }
        final Identity identity = null != impl.identity
            ? impl.identity : new Identity(samgr, impl.serviceId, Identity.SERVICE_ONLY, impl.generation, null);
        samgr.pools.runOnServiceThread(impl, () -> featureImpl.feature.onStop(identity));
        return featureImpl.feature;
    }

    // ---- APIs ----

    void registerFeatureApi(final String serviceName, final String featureName, final IUnknown api)
    {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(api, "api");
        final Identity exportIdentity;
        samgr.lock.lock();
        try
        {
            samgr.ensureOpen();
            final ServiceImpl impl = requireService(serviceName);
            checkNotReserved(impl);
            if (null == featureName)
            {
                if (null != impl.defaultApi)
                {
                    throw new SamgrException(ErrorCode.EC_FAILURE, "service \"" + serviceName
                        + "\" already has a default API");
                }
                impl.defaultApi = api;
                exportIdentity = ServiceImpl.STATE_IDLE == impl.state ? impl.identity : null;
            }
            else
            {
                final FeatureImpl featureImpl = impl.featuresByName.get(featureName);
                if (null == featureImpl)
                {
                    throw new SamgrException(ErrorCode.EC_NOSERVICE, "service \"" + serviceName
                        + "\" has no feature \"" + featureName + "\"");
                }
                if (null != featureImpl.api)
                {
                    throw new SamgrException(ErrorCode.EC_FAILURE, "feature \"" + featureName + "\" of service \""
                        + serviceName + "\" already has an API");
                }
                featureImpl.api = api;
                exportIdentity = ServiceImpl.STATE_IDLE == impl.state ? featureImpl.identity : null;
            }
        }
        finally
        {
            samgr.lock.unlock();
        }
        if (null != exportIdentity)
        {
            samgr.remote.exportApi(serviceName, featureName, exportIdentity, api);
        }
    }

    IUnknown unregisterFeatureApi(final String serviceName, final String featureName)
    {
        if (null == serviceName)
        {
            return null;
        }
        final IUnknown api;
        final boolean wasExported;
        samgr.lock.lock();
        try
        {
            final ServiceImpl impl = services.get(serviceName);
            if (null == impl)
            {
                return null;
            }
            checkNotReserved(impl);
            if (null == featureName)
            {
                api = impl.defaultApi;
                impl.defaultApi = null;
            }
            else
            {
                final FeatureImpl featureImpl = impl.featuresByName.get(featureName);
                if (null == featureImpl)
                {
                    return null;
                }
                api = featureImpl.api;
                featureImpl.api = null;
            }
            wasExported = ServiceImpl.STATE_IDLE == impl.state;
        }
        finally
        {
            samgr.lock.unlock();
        }
        if (null != api && wasExported)
        {
            samgr.remote.withdrawApi(serviceName, featureName, api);
        }
        return api;
    }

    /**
     * The local API of a service or feature.
     *
     * @return the API; {@code null} also when no local service has the name (see {@link #isLocal}).
     */
    IUnknown localApi(final ServiceImpl impl, final String featureName)
    {
        if (null == featureName)
        {
            return impl.defaultApi;
        }
        final FeatureImpl featureImpl = impl.featuresByName.get(featureName);
        return null == featureImpl ? null : featureImpl.api;
    }

    /** The service of a name, lock-free; null when none is registered here. */
    ServiceImpl service(final String serviceName)
    {
        return services.get(serviceName);
    }

    /** Every registered service; the caller holds samgr's lock when it needs a stable view. */
    Iterable<ServiceImpl> services()
    {
        return services.values();
    }

    /** The service in a slot, lock-free; null for a free slot. */
    ServiceImpl slot(final int serviceId)
    {
        return slots.get(serviceId);
    }

    /** Slots ever handed out and not reclaimed ({@code VECTOR_Size}). */
    int slotCount()
    {
        return slots.size();
    }

    /** Registered services ({@code VECTOR_Num}). */
    int serviceCount()
    {
        return slots.count();
    }

    /**
     * Whether an identity still names a registered service (and feature) of this samgr: the slot holds the same
     * registration (generation) and, for a feature, the feature is still there.
     */
    boolean isLive(final Identity identity)
    {
        final ServiceImpl impl = slots.get(identity.serviceId());
        if (null == impl || impl.generation != identity.generation())
        {
            return false;
        }
        return identity.featureId() < 0 || null != impl.features.get(identity.featureId());
    }

    // ---- system capabilities ----

    void addSystemCapability(final String name)
    {
        if (!isValidSysCapName(name))
        {
            throw new IllegalArgumentException("system capability name " + describe(name) + " must be 1.."
                + Samgr.MAX_SYSCAP_NAME_LEN + " bytes (MAX_SYSCAP_NAME_LEN)");
        }
        samgr.lock.lock();
        try
        {
            if (systemCapabilities.contains(name))
            {
                return;
            }
            if (systemCapabilities.size() >= Samgr.MAX_SYSCAP_NUM)
            {
                throw new SamgrException(ErrorCode.EC_NORESOURCE, "system capabilities=" + systemCapabilities.size()
                    + " reached MAX_SYSCAP_NUM=" + Samgr.MAX_SYSCAP_NUM + "; cannot add \"" + name + "\"");
            }
            systemCapabilities.add(name);
        }
        finally
        {
            samgr.lock.unlock();
        }
    }

    boolean hasSystemCapability(final String name)
    {
        if (!isValidSysCapName(name))
        {
            return false;
        }
        return samgr.locked(() -> systemCapabilities.contains(name));
    }

    List<String> systemCapabilities()
    {
        return samgr.locked(() -> List.copyOf(systemCapabilities));
    }

    private static boolean isValidSysCapName(final String name)
    {
        if (null == name || name.isEmpty())
        {
            return false;
        }
        return name.getBytes(StandardCharsets.UTF_8).length <= Samgr.MAX_SYSCAP_NAME_LEN;
    }

    // ---- rules ----

    private ServiceImpl requireService(final String serviceName)
    {
        final ServiceImpl impl = services.get(serviceName);
        if (null == impl)
        {
            throw new SamgrException(ErrorCode.EC_NOSERVICE, "no service \"" + serviceName + "\" is registered");
        }
        return impl;
    }

    private static void checkNotReserved(final ServiceImpl impl)
    {
        if (impl.reserved)
        {
            throw new SamgrException(ErrorCode.EC_PERMISSION, "service \"" + impl.name
                + "\" belongs to samgr itself; it cannot be changed or unregistered");
        }
    }

    private static String checkName(final String what, final String name)
    {
        if (null == name)
        {
            throw new NullPointerException(what);
        }
        final int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (0 == bytes || bytes > Samgr.MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException(what + " " + describe(name) + " is " + bytes
                + " bytes; names must be 1.." + Samgr.MAX_NAME_BYTES + " bytes of UTF-8 (shorter than 16)");
        }
        return name;
    }

    static String describe(final String name)
    {
        return null == name ? "null" : "\"" + (name.length() > 80 ? name.substring(0, 80) + "..." : name) + "\"";
    }
}
