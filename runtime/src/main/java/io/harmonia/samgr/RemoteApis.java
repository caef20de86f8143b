package io.harmonia.samgr;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two places where samgr meets other processes (section 5.7 of the architecture): the consumer side asks the
 * {@link RemoteApiResolver} for APIs of services that are not local and caches its proxies per (service, feature);
 * the provider side tells the {@link ApiExporter} of every API of an initialised service, and of its withdrawal.
 * Whatever the exporter throws is logged; it never reaches the registering caller.
 */
final class RemoteApis
{
    private static final System.Logger LOG = System.getLogger(Samgr.class.getName());

    private final Samgr samgr;
    private final ConcurrentHashMap<ApiKey, IUnknown> remoteApis = new ConcurrentHashMap<>();
    private volatile RemoteApiResolver remoteApiResolver;
    private volatile ApiExporter apiExporter;

    RemoteApis(final Samgr samgr)
    {
        this.samgr = samgr;
    }

    // ---- consumer side ----

    void setResolver(final RemoteApiResolver resolver)
    {
        remoteApiResolver = resolver;
        remoteApis.clear();
    }

    IUnknown forget(final String serviceName, final String featureName)
    {
        return null == serviceName ? null : remoteApis.remove(new ApiKey(serviceName, featureName));
    }

    boolean forget(final String serviceName, final String featureName, final IUnknown proxy)
    {
        return null != serviceName && null != proxy && remoteApis.remove(new ApiKey(serviceName, featureName), proxy);
    }

    IUnknown find(final String serviceName, final String featureName)
    {
        final RemoteApiResolver resolver = remoteApiResolver;
        if (null == resolver)
        {
            return null;
        }
        final ApiKey key = new ApiKey(serviceName, featureName);
        final IUnknown cached = remoteApis.get(key);
        if (null != cached)
        {
            return cached;
        }
        final IUnknown proxy = resolver.resolve(serviceName, featureName);
        if (null == proxy)
        {
            return null;
        }
        final IUnknown raced = remoteApis.putIfAbsent(key, proxy);
        if (null != raced)
        {
            proxy.release(); // another thread resolved the same API first; keep one proxy, as OpenHarmony does
            return raced;
        }
        return proxy;
    }

    int cachedCount()
    {
        return remoteApis.size();
    }

    // ---- provider side ----

    void setExporter(final ApiExporter exporter)
    {
        final List<Runnable> reports = new ArrayList<>();
        samgr.lock.lock();
        try
        {
            apiExporter = exporter;
            if (null == exporter)
            {
                return;
            }
            for (final ServiceImpl impl : samgr.registry.services())
            {
                if (ServiceImpl.STATE_IDLE == impl.state)
                {
                    collectExports(impl, reports);
                }
            }
        }
        finally
        {
            samgr.lock.unlock();
        }
        reports.forEach(Runnable::run);
    }

    /** Adds a report for each API an initialised service holds; caller holds samgr's lock. */
    void collectExports(final ServiceImpl impl, final List<Runnable> reports)
    {
        final IUnknown defaultApi = impl.defaultApi;
        if (null != defaultApi)
        {
            reports.add(() -> exportApi(impl.name, null, impl.identity, defaultApi));
        }
        for (int i = 0; i < impl.features.size(); i++)
        {
            final FeatureImpl featureImpl = impl.features.get(i);
            final IUnknown api = null == featureImpl ? null : featureImpl.api;
            if (null != api)
            {
                reports.add(() -> exportApi(impl.name, featureImpl.name, featureImpl.identity, api));
            }
        }
    }

    void exportApi(final String service, final String feature, final Identity identity, final IUnknown api)
    {
        final ApiExporter exporter = apiExporter;
        if (null == exporter)
        {
            return;
        }
        try
        {
            exporter.apiAvailable(service, feature, identity, api);
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.WARNING, "API exporter failed on " + service + "/" + feature, ex);
        }
    }

    void withdrawApi(final String service, final String feature, final IUnknown api)
    {
        final ApiExporter exporter = apiExporter;
        if (null == exporter)
        {
            return;
        }
        try
        {
            exporter.apiWithdrawn(service, feature, api);
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.WARNING, "API exporter failed on withdrawing " + service + "/" + feature, ex);
        }
    }

    private record ApiKey(String service, String feature)
    {
    }
}
