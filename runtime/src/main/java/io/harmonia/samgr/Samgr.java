package io.harmonia.samgr;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The system ability manager of one process (OpenHarmony's {@code SamgrLite} with {@code message.h}): a registry of
 * services, their features and the {@link IUnknown} APIs they publish; the task pools that run them; request and
 * response messages between them; and the boot sequence that initialises them.
 *
 * <p><b>Threads.</b> Every service runs on one task thread chosen by its {@link TaskConfig}; its
 * {@link Service#initialize}, {@link Service#messageHandle}, and its features' {@link Feature#onInitialize},
 * {@link Feature#onMessage} and {@link Feature#onStop} all run there, one message at a time. A response handler runs
 * on the task thread of the service that sent the request, or synchronously on the responder's thread when the
 * sender was not a task thread. Threads use normal scheduling; nothing needs root.
 *
 * <p><b>Errors.</b> Registry changes that break a rule (a duplicate, a limit, a service that still holds APIs)
 * throw {@link SamgrException} and change nothing; malformed arguments throw {@link IllegalArgumentException} or
 * {@link NullPointerException}. Lookups and removals of names that cannot exist answer "not found" ({@code null}).
 * Messaging returns an {@link ErrorCode}: a full queue answers {@link ErrorCode#EC_BUSBUSY}. Whatever a service,
 * feature, handler or listener throws (errors such as a failed assertion included) is logged through
 * {@link System.Logger} and the task keeps running; a request whose handler threw is answered
 * {@link ErrorCode#EC_FAILURE}.
 *
 * <p>{@link #getInstance()} is the process's samgr; {@link #create()} makes an independent one (tests, embedding).
 */
public final class Samgr implements AutoCloseable
{
    /** The name of samgr's boot-notification service ({@code BOOTSTRAP_SERVICE}). */
    public static final String BOOTSTRAP_SERVICE = "Bootstrap";
    /** Boot message: system services are initialised. */
    public static final int BOOT_SYS_COMPLETED = 0;
    /** Boot message: application services are initialised. */
    public static final int BOOT_APP_COMPLETED = 1;
    /** Boot message: services registered after boot are initialised. */
    public static final int BOOT_REG_SERVICE = 2;

    /** Most services at once ({@code MAX_SERVICE_NUM}). */
    public static final int MAX_SERVICE_NUM = 0x7FF0;
    /** Most features per service ({@code MAX_FEATURE_NUM}). */
    public static final int MAX_FEATURE_NUM = 0x70;
    /** Longest service or feature name in UTF-8 bytes ("shorter than 16 bytes"). */
    public static final int MAX_NAME_BYTES = 15;
    /** Most system capabilities ({@code MAX_SYSCAP_NUM}). */
    public static final int MAX_SYSCAP_NUM = 512;
    /** Longest system capability name in UTF-8 bytes ({@code MAX_SYSCAP_NAME_LEN}). */
    public static final int MAX_SYSCAP_NAME_LEN = 64;
    /** Most services sharing one task ({@code MAX_REF_NUM}). */
    public static final int MAX_SERVICES_PER_TASK = TaskPool.MAX_REF_NUM;
    /** Shared pools, one per priority bucket ({@code MAX_POOL_NUM}). */
    public static final int MAX_POOL_NUM = 8;

    private static final System.Logger LOG = System.getLogger(Samgr.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Object GLOBAL_LOCK = new Object();
    private static volatile Samgr global;

    private final ReentrantLock lock = new ReentrantLock();
    private final String threadPrefix;
    private final ConcurrentHashMap<String, ServiceImpl> services = new ConcurrentHashMap<>();
    /** Guarded by lock for writes. */
    private final SlotVector<ServiceImpl> slots = new SlotVector<>();
    /** Guarded by lock. */
    private final TaskPool[] sharedPools = new TaskPool[MAX_POOL_NUM];
    /** Guarded by lock. */
    private final Set<TaskPool> livePools = new LinkedHashSet<>();
    /** Guarded by lock. */
    private final Set<String> systemCapabilities = new LinkedHashSet<>();
    private final CopyOnWriteArrayList<BootListener> bootListeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<ApiKey, IUnknown> remoteApis = new ConcurrentHashMap<>();
    private final ServiceImpl bootstrapService;

    /** Guarded by lock. */
    private int nextGeneration;
    /** Services not yet initialised (INIT or INITIALIZING); guarded by lock. */
    private int uninitialised;
    /** A dynamic bootstrap initialised services and has not reported it yet; guarded by lock. */
    private boolean dynamicRoundPending;
    private volatile BootStatus status = BootStatus.BOOT_SYS;
    private volatile boolean closed;
    private volatile RemoteApiResolver remoteApiResolver;
    private volatile ApiExporter apiExporter;

    private Samgr()
    {
        threadPrefix = "samgr" + INSTANCES.incrementAndGet() + "-";
        bootstrapService = registerLocked(new BootstrapService(this), true);
        BroadcastService.install(this);
    }

    /**
     * The process's samgr ({@code SAMGR_GetInstance}), created on first use.
     *
     * @return the instance.
     */
    public static Samgr getInstance()
    {
        Samgr instance = global;
        if (null == instance)
        {
            synchronized (GLOBAL_LOCK)
            {
                instance = global;
                if (null == instance)
                {
                    instance = new Samgr();
                    global = instance;
                }
            }
        }
        return instance;
    }

    /**
     * A new, independent samgr with its own registry, tasks and boot sequence. It already holds samgr's own
     * {@value #BOOTSTRAP_SERVICE} and Broadcast services. {@link #close()} it when done.
     *
     * @return the new instance.
     */
    public static Samgr create()
    {
        return new Samgr();
    }

    // ----------------------------------------------------------------------------------------------------------
    // Registry: services and features
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Registers a service ({@code RegisterService}). It is initialised by the next {@link #bootstrap()}.
     *
     * @param service the service; its name and task config are read once, now.
     * @throws NullPointerException     if the service, its name or its task config is null.
     * @throws IllegalArgumentException if the name is empty or 16 bytes or longer.
     * @throws SamgrException           if the name is taken, or {@value #MAX_SERVICE_NUM} services are registered.
     */
    public void registerService(final Service service)
    {
        Objects.requireNonNull(service, "service");
        lock.lock();
        try
        {
            ensureOpen();
            registerLocked(service, false);
        }
        finally
        {
            lock.unlock();
        }
    }

    private ServiceImpl registerLocked(final Service service, final boolean reserved)
    {
        final String name = checkName("service name", service.getName());
        final TaskConfig config = Objects.requireNonNull(service.getTaskConfig(),
            () -> "getTaskConfig() of service \"" + name + "\" returned null");
        if (services.containsKey(name))
        {
            throw new SamgrException(ErrorCode.EC_FAILURE, "service \"" + name + "\" is already registered");
        }
        if (slots.count() >= MAX_SERVICE_NUM)
        {
            throw new SamgrException(ErrorCode.EC_NORESOURCE, "services=" + slots.count()
                + " reached MAX_SERVICE_NUM=" + MAX_SERVICE_NUM + "; cannot register \"" + name + "\"");
        }
        final int generation = ++nextGeneration;
        final int serviceId = slots.add(index -> new ServiceImpl(service, name, config, index, generation, reserved));
        final ServiceImpl impl = slots.get(serviceId);
        services.put(name, impl);
        uninitialised++;
        return impl;
    }

    /**
     * Unregisters a service ({@code UnregisterService}) and releases its task.
     *
     * @param name the service name.
     * @return the service, or {@code null} if no service has that name.
     * @throws SamgrException if the service still has a default API or features, or is one of samgr's own.
     */
    public Service unregisterService(final String name)
    {
        if (null == name)
        {
            return null;
        }
        final ServiceImpl impl;
        boolean leftUninitialised = false;
        lock.lock();
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
                uninitialised--;
                leftUninitialised = true;
            }
            final TaskPool pool = impl.pool;
            if (null != pool)
            {
                releasePoolLocked(pool);
            }
        }
        finally
        {
            lock.unlock();
        }
        if (leftUninitialised)
        {
            checkInitCompleted(); // it may have been the last service the current phase waited for
        }
        return impl.service;
    }

    /**
     * Adds a feature to a service that is not initialised yet ({@code RegisterFeature}).
     *
     * @param serviceName the service.
     * @param feature     the feature; its name is read once, now.
     * @throws NullPointerException     if an argument or the feature's name is null.
     * @throws IllegalArgumentException if the feature name is empty or 16 bytes or longer.
     * @throws SamgrException           if the service is unknown, already initialised (or being initialised), already
     *                                  has a feature of that name, or has {@value #MAX_FEATURE_NUM} features.
     */
    public void registerFeature(final String serviceName, final Feature feature)
    {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(feature, "feature");
        final String name = checkName("feature name", feature.getName());
        lock.lock();
        try
        {
            ensureOpen();
            final ServiceImpl impl = requireService(serviceName);
            checkNotReserved(impl);
            addFeatureLocked(impl, feature, name);
        }
        finally
        {
            lock.unlock();
        }
    }

    void registerReservedService(final Service service)
    {
        lock.lock();
        try
        {
            registerLocked(service, true);
        }
        finally
        {
            lock.unlock();
        }
    }

    void registerReservedFeature(final String serviceName, final Feature feature, final IUnknown api)
    {
        lock.lock();
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
            lock.unlock();
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
        if (impl.features.count() >= MAX_FEATURE_NUM)
        {
            throw new SamgrException(ErrorCode.EC_NORESOURCE, "service \"" + impl.name + "\" has features="
                + impl.features.count() + ", MAX_FEATURE_NUM=" + MAX_FEATURE_NUM + "; cannot add \"" + name + "\"");
        }
        final int featureId = impl.features.add(index -> new FeatureImpl(feature, name, index));
        final FeatureImpl featureImpl = impl.features.get(featureId);
        impl.featuresByName.put(name, featureImpl);
        return featureImpl;
    }

    /**
     * Removes a feature ({@code UnregisterFeature}); its {@link Feature#onStop} runs on the service's task thread
     * (inline when the service has no task yet, or when called on that thread) before this method returns.
     *
     * @param serviceName the service.
     * @param featureName the feature.
     * @return the feature, or {@code null} if there is no such service or feature.
     * @throws SamgrException if the feature still has an API, or belongs to one of samgr's own services.
     */
    public Feature unregisterFeature(final String serviceName, final String featureName)
    {
        if (null == serviceName || null == featureName)
        {
            return null;
        }
        final ServiceImpl impl;
        final FeatureImpl featureImpl;
        lock.lock();
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
            lock.unlock();
        }
        final Identity identity = null != impl.identity
            ? impl.identity : new Identity(this, impl.serviceId, Identity.SERVICE_ONLY, impl.generation, null);
        runOnServiceThread(impl, () -> featureImpl.feature.onStop(identity));
        return featureImpl.feature;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Registry: APIs
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Publishes a service's default API ({@code RegisterDefaultFeatureApi}).
     *
     * @param serviceName the service.
     * @param api         the API.
     * @throws SamgrException if the service is unknown or already has a default API.
     */
    public void registerDefaultFeatureApi(final String serviceName, final IUnknown api)
    {
        registerFeatureApi(serviceName, null, api);
    }

    /**
     * Withdraws a service's default API ({@code UnregisterDefaultFeatureApi}).
     *
     * @param serviceName the service.
     * @return the API, or {@code null} if the service is unknown or has none.
     */
    public IUnknown unregisterDefaultFeatureApi(final String serviceName)
    {
        return unregisterFeatureApi(serviceName, null);
    }

    /**
     * Publishes a feature's API, or with a {@code null} feature the service's default API
     * ({@code RegisterFeatureApi}). Once the service is initialised, the {@link ApiExporter} hears of it.
     *
     * @param serviceName the service.
     * @param featureName the feature, or {@code null} for the default API.
     * @param api         the API.
     * @throws NullPointerException if {@code serviceName} or {@code api} is null.
     * @throws SamgrException       if the service or feature is unknown, already has an API, or is samgr's own.
     */
    public void registerFeatureApi(final String serviceName, final String featureName, final IUnknown api)
    {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(api, "api");
        final Identity exportIdentity;
        lock.lock();
        try
        {
            ensureOpen();
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
            lock.unlock();
        }
        if (null != exportIdentity)
        {
            exportApi(serviceName, featureName, exportIdentity, api);
        }
    }

    /**
     * Withdraws a feature's API, or with a {@code null} feature the default API ({@code UnregisterFeatureApi}).
     *
     * @param serviceName the service.
     * @param featureName the feature, or {@code null} for the default API.
     * @return the API, or {@code null} if there is no such service, feature or API.
     * @throws SamgrException if the service is one of samgr's own.
     */
    public IUnknown unregisterFeatureApi(final String serviceName, final String featureName)
    {
        if (null == serviceName)
        {
            return null;
        }
        final IUnknown api;
        final boolean wasExported;
        lock.lock();
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
            lock.unlock();
        }
        final ApiExporter exporter = apiExporter;
        if (null != api && wasExported && null != exporter)
        {
            try
            {
                exporter.apiWithdrawn(serviceName, featureName, api);
            }
            catch (final Throwable ex)
            {
                LOG.log(Level.WARNING, "API exporter failed on withdrawing " + serviceName + "/" + featureName, ex);
            }
        }
        return api;
    }

    /**
     * A service's default API ({@code GetDefaultFeatureApi}).
     *
     * @param serviceName the service.
     * @return the API (local, or a remote proxy when no local service has the name), or {@code null}.
     */
    public IUnknown getDefaultFeatureApi(final String serviceName)
    {
        return getFeatureApi(serviceName, null);
    }

    /**
     * A feature's API, or with a {@code null} feature the service's default API ({@code GetFeatureApi}). When no
     * local service has the name, the {@link RemoteApiResolver} is asked and its proxy cached. Lock-free.
     *
     * @param serviceName the service.
     * @param featureName the feature, or {@code null} for the default API.
     * @return the API, or {@code null}.
     */
    public IUnknown getFeatureApi(final String serviceName, final String featureName)
    {
        if (null == serviceName)
        {
            return null;
        }
        final ServiceImpl impl = services.get(serviceName);
        if (null == impl)
        {
            return findRemoteApi(serviceName, featureName);
        }
        if (null == featureName)
        {
            return impl.defaultApi;
        }
        final FeatureImpl featureImpl = impl.featuresByName.get(featureName);
        return null == featureImpl ? null : featureImpl.api;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Remote plug points
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Sets where {@link #getFeatureApi} looks for APIs of services that are not local (the consumer side of the
     * cross-process endpoint).
     *
     * @param resolver the resolver, or {@code null} for none.
     */
    public void setRemoteApiResolver(final RemoteApiResolver resolver)
    {
        remoteApiResolver = resolver;
        remoteApis.clear();
    }

    /**
     * Drops a cached remote proxy, e.g. after its channel failed, so the next lookup resolves again.
     *
     * @param serviceName the service.
     * @param featureName the feature, or {@code null} for the default API.
     * @return the proxy that was cached, or {@code null}.
     */
    public IUnknown forgetRemoteApi(final String serviceName, final String featureName)
    {
        return null == serviceName ? null : remoteApis.remove(new ApiKey(serviceName, featureName));
    }

    /**
     * Sets who hears of APIs becoming available (the provider side of the cross-process endpoint). APIs already
     * available are reported to the new exporter at once.
     *
     * @param exporter the exporter, or {@code null} for none.
     */
    public void setApiExporter(final ApiExporter exporter)
    {
        final List<Runnable> reports = new ArrayList<>();
        lock.lock();
        try
        {
            apiExporter = exporter;
            if (null == exporter)
            {
                return;
            }
            for (final ServiceImpl impl : services.values())
            {
                if (ServiceImpl.STATE_IDLE == impl.state)
                {
                    collectExports(impl, reports);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        reports.forEach(Runnable::run);
    }

    private IUnknown findRemoteApi(final String serviceName, final String featureName)
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

    private void collectExports(final ServiceImpl impl, final List<Runnable> reports)
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

    private void exportApi(final String service, final String feature, final Identity identity, final IUnknown api)
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

    // ----------------------------------------------------------------------------------------------------------
    // System capabilities
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Declares a system capability ({@code AddSystemCapability}); adding one that exists changes nothing.
     *
     * @param name 1 to {@value #MAX_SYSCAP_NAME_LEN} bytes of UTF-8.
     * @throws IllegalArgumentException if the name is empty or too long.
     * @throws SamgrException           if {@value #MAX_SYSCAP_NUM} capabilities exist already.
     */
    public void addSystemCapability(final String name)
    {
        if (!isValidSysCapName(name))
        {
            throw new IllegalArgumentException("system capability name " + describe(name) + " must be 1.."
                + MAX_SYSCAP_NAME_LEN + " bytes (MAX_SYSCAP_NAME_LEN)");
        }
        lock.lock();
        try
        {
            if (systemCapabilities.contains(name))
            {
                return;
            }
            if (systemCapabilities.size() >= MAX_SYSCAP_NUM)
            {
                throw new SamgrException(ErrorCode.EC_NORESOURCE, "system capabilities=" + systemCapabilities.size()
                    + " reached MAX_SYSCAP_NUM=" + MAX_SYSCAP_NUM + "; cannot add \"" + name + "\"");
            }
            systemCapabilities.add(name);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Whether a system capability was declared ({@code HasSystemCapability}).
     *
     * @param name the capability.
     * @return false also for names that cannot be valid (empty, too long, null).
     */
    public boolean hasSystemCapability(final String name)
    {
        if (!isValidSysCapName(name))
        {
            return false;
        }
        return locked(() -> systemCapabilities.contains(name));
    }

    /**
     * Every declared system capability, in the order declared ({@code GetSystemAvailableCapabilities}).
     *
     * @return an immutable list.
     */
    public List<String> getSystemAvailableCapabilities()
    {
        return locked(() -> List.copyOf(systemCapabilities));
    }

    private static boolean isValidSysCapName(final String name)
    {
        if (null == name || name.isEmpty())
        {
            return false;
        }
        return name.getBytes(StandardCharsets.UTF_8).length <= MAX_SYSCAP_NAME_LEN;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Boot sequence
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Initialises every registered service not yet initialised ({@code SAMGR_Bootstrap}): builds its task, then
     * runs its {@link Service#initialize} and its features' {@link Feature#onInitialize} on that task (inline for
     * {@link TaskType#NO_TASK}). When no service is left uninitialised, the phase completes:
     * {@link BootListener}s hear of it on the Bootstrap service's thread and the next phase starts by itself
     * (system, then application). Call it again for services registered later.
     */
    public void bootstrap()
    {
        if (!bootstrapIfOpen())
        {
            throw new IllegalStateException("samgr " + threadPrefix + " is closed");
        }
    }

    private boolean bootstrapIfOpen()
    {
        final List<ServiceImpl> toInitialise = new ArrayList<>();
        lock.lock();
        try
        {
            if (closed)
            {
                return false;
            }
            status = status.next();
            for (int i = 0; i < slots.size(); i++)
            {
                final ServiceImpl impl = slots.get(i);
                if (null == impl || ServiceImpl.STATE_INIT != impl.state)
                {
                    continue;
                }
                impl.state = ServiceImpl.STATE_INITIALIZING;
                final TaskPool pool = assignPoolLocked(impl);
                impl.pool = pool;
                impl.identity = new Identity(this, impl.serviceId, Identity.SERVICE_ONLY, impl.generation,
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
                    if (!pool.started)
                    {
                        pool.started = true;
                        livePools.add(pool);
                        pool.thread.start();
                    }
                }
            }
        }
        finally
        {
            lock.unlock();
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

    /**
     * Where the boot sequence is.
     *
     * @return the status.
     */
    public BootStatus bootStatus()
    {
        return status;
    }

    /**
     * Adds a listener for completed boot phases.
     *
     * @param listener the listener.
     */
    public void addBootListener(final BootListener listener)
    {
        bootListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener.
     * @return whether it was registered.
     */
    public boolean removeBootListener(final BootListener listener)
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
                final Identity featureIdentity = new Identity(this, impl.serviceId, i, impl.generation, queue);
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
            lock.lock();
            try
            {
                if (impl.registered && ServiceImpl.STATE_IDLE != impl.state)
                {
                    impl.state = ServiceImpl.STATE_IDLE;
                    uninitialised--;
                    collectExports(impl, exports);
                }
            }
            finally
            {
                lock.unlock();
            }
            exports.forEach(Runnable::run);
        }
        checkInitCompleted();
    }

    private void checkInitCompleted()
    {
        final int bootMessage;
        lock.lock();
        try
        {
            if (closed || uninitialised > 0)
            {
                return;
            }
            switch (status)
            {
                case BOOT_SYS_WAIT ->
                {
                    status = BootStatus.BOOT_APP;
                    bootMessage = BOOT_SYS_COMPLETED;
                }
                case BOOT_APP_WAIT ->
                {
                    status = BootStatus.BOOT_DYNAMIC;
                    bootMessage = BOOT_APP_COMPLETED;
                }
                case BOOT_DYNAMIC_WAIT ->
                {
                    if (!dynamicRoundPending)
                    {
                        return;
                    }
                    dynamicRoundPending = false;
                    bootMessage = BOOT_REG_SERVICE;
                }
                default ->
                {
                    return;
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        // A phase that completes starts the next: the Bootstrap service answers the message to its own task, and
        // the response handler is bootstrap() itself (as SendBootRequest and the Bootstrap service do upstream).
        final Handler next = BOOT_REG_SERVICE == bootMessage ? null : (request, response) -> bootstrapIfOpen();
        final Exchange exchange = Exchange.request(bootstrapService.identity, new Request(bootMessage, 0), next,
            TaskPool.currentQueue(), null);
        // Unbounded: a boot message refused by a full shared queue would stall the boot for good.
        if (!bootstrapService.identity.queue().offerUnbounded(exchange))
        {
            LOG.log(Level.DEBUG, "boot message " + bootMessage + " not sent: samgr is closed");
        }
    }

    Identity bootstrapIdentity()
    {
        return bootstrapService.identity;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Task pools
    // ----------------------------------------------------------------------------------------------------------

    private TaskPool assignPoolLocked(final ServiceImpl impl)
    {
        final TaskConfig config = impl.config;
        switch (config.taskFlags())
        {
            case SHARED_TASK ->
            {
                final int bucket = config.effectivePriority() / TaskConfig.PRIORITY_STEP;
                TaskPool pool = sharedPools[bucket];
                if (null == pool || pool.refs >= TaskPool.MAX_REF_NUM)
                {
                    // DEFAULT_TASK_CFG(bucket); a full bucket gets a fresh pool for the next 15 services.
                    final TaskConfig sharedConfig = new TaskConfig(TaskConfig.LEVEL_HIGH,
                        bucket * TaskConfig.PRIORITY_STEP + 1, TaskConfig.SHARED_STACK_SIZE,
                        TaskConfig.SHARED_QUEUE_SIZE, TaskType.SHARED_TASK);
                    pool = new TaskPool(this, sharedConfig, threadPrefix + "shared-p" + bucket + "-"
                        + impl.name, bucket);
                    sharedPools[bucket] = pool;
                }
                pool.refs++;
                return pool;
            }
            case SPECIFIED_TASK ->
            {
                for (int i = 0; i < slots.size(); i++)
                {
                    final ServiceImpl other = slots.get(i);
                    final TaskPool pool = null == other ? null : other.pool;
                    if (null != pool && other != impl && !pool.stopping && pool.refs < TaskPool.MAX_REF_NUM
                        && config.equals(other.config))
                    {
                        pool.refs++;
                        return pool;
                    }
                }
                return newSinglePool(impl);
            }
            case SINGLE_TASK ->
            {
                return newSinglePool(impl);
            }
            default ->
            {
                return null;
            }
        }
    }

    private TaskPool newSinglePool(final ServiceImpl impl)
    {
        final TaskPool pool = new TaskPool(this, impl.config, threadPrefix + impl.name, -1);
        pool.refs = 1;
        return pool;
    }

    private void releasePoolLocked(final TaskPool pool)
    {
        pool.refs--;
        if (pool.refs > 0)
        {
            return;
        }
        pool.stopping = true;
        if (pool.sharedBucket >= 0 && sharedPools[pool.sharedBucket] == pool)
        {
            sharedPools[pool.sharedBucket] = null;
        }
        pool.queue.offerUnbounded(Exchange.exit());
    }

    void poolExited(final TaskPool pool)
    {
        lock.lock();
        try
        {
            livePools.remove(pool);
        }
        finally
        {
            lock.unlock();
        }
    }

    private void runOnServiceThread(final ServiceImpl impl, final Runnable action)
    {
        final TaskPool pool = impl.pool;
        if (null == pool || pool.thread == Thread.currentThread())
        {
            runLogged(action);
            return;
        }
        final CountDownLatch done = new CountDownLatch(1);
        final Exchange exchange = Exchange.lifecycle(() ->
        {
            try
            {
                action.run();
            }
            finally
            {
                done.countDown();
            }
        });
        if (!pool.queue.offerUnbounded(exchange))
        {
            runLogged(action); // the task has stopped: there is no owning thread left
            return;
        }
        try
        {
            done.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // the action still runs on the task; we just stop waiting
        }
    }

    private static void runLogged(final Runnable action)
    {
        try
        {
            action.run();
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "samgr lifecycle call failed", ex);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Messages
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Queues a request to a service or feature ({@code SAMGR_SendRequest}). With a handler, the receiver's response
     * (or the automatic {@link Response#EMPTY}) is handed to it on the calling task's thread, or on the receiver's
     * thread when the caller is not a samgr task thread.
     *
     * @param identity the receiver.
     * @param request  the request.
     * @param handler  the response handler, or {@code null} for no response.
     * @return {@link ErrorCode#EC_SUCCESS}; {@link ErrorCode#EC_INVALID} for a null argument, a foreign identity or
     *     one without a queue; {@link ErrorCode#EC_NOSERVICE} if the identity is stale; {@link ErrorCode#EC_BUSBUSY}
     *     if the receiver's queue is full.
     */
    public ErrorCode sendRequest(final Identity identity, final Request request, final Handler handler)
    {
        final ErrorCode check = checkTarget(identity, request);
        if (ErrorCode.EC_SUCCESS != check)
        {
            return check;
        }
        final TaskQueue origin = null == handler ? null : TaskPool.currentQueue();
        return identity.queue().offer(Exchange.request(identity, request, handler, origin, null));
    }

    /**
     * Queues a copy of a request that several receivers share ({@code SAMGR_SendSharedRequest}); the copy holds a
     * reference on {@code sharedRef} until its receiver has processed it.
     *
     * @param identity  the receiver.
     * @param request   the request.
     * @param sharedRef the shared count, which the caller still holds.
     * @param handler   the response handler, or {@code null}.
     * @return as {@link #sendRequest}; {@link ErrorCode#EC_INVALID} also when {@code sharedRef} is null or already
     *     released. On failure the reference taken for the copy is dropped again.
     */
    public ErrorCode sendSharedRequest(final Identity identity, final Request request, final SharedRef sharedRef,
        final Handler handler)
    {
        final ErrorCode check = checkTarget(identity, request);
        if (ErrorCode.EC_SUCCESS != check)
        {
            return check;
        }
        if (null == sharedRef || !sharedRef.retain())
        {
            return ErrorCode.EC_INVALID;
        }
        final TaskQueue origin = null == handler ? null : TaskPool.currentQueue();
        final ErrorCode result = identity.queue().offer(Exchange.request(identity, request, handler, origin,
            sharedRef));
        if (ErrorCode.EC_SUCCESS != result)
        {
            sharedRef.release();
        }
        return result;
    }

    /**
     * Queues a handler to run on the receiver's task thread with the given request and response, without
     * dispatching to the service ({@code SAMGR_SendSharedDirectRequest}); broadcast delivers this way.
     *
     * @param identity  the task to run on.
     * @param request   the request handed to the handler, or {@code null} for an empty one.
     * @param response  the response handed to the handler, or {@code null} for {@link Response#EMPTY}.
     * @param sharedRef the shared count, which the caller still holds.
     * @param handler   the handler.
     * @return as {@link #sendSharedRequest}; {@link ErrorCode#EC_INVALID} also when the handler is null.
     */
    public ErrorCode sendSharedDirectRequest(final Identity identity, final Request request, final Response response,
        final SharedRef sharedRef, final Handler handler)
    {
        if (null == handler || null == sharedRef)
        {
            return ErrorCode.EC_INVALID;
        }
        final Request actual = null == request ? new Request(0, 0) : request;
        final ErrorCode check = checkTarget(identity, actual);
        if (ErrorCode.EC_SUCCESS != check)
        {
            return check;
        }
        if (!sharedRef.retain())
        {
            return ErrorCode.EC_INVALID;
        }
        final ErrorCode result = identity.queue().offer(Exchange.direct(identity, actual,
            null == response ? Response.EMPTY : response, handler, sharedRef));
        if (ErrorCode.EC_SUCCESS != result)
        {
            sharedRef.release();
        }
        return result;
    }

    /**
     * Answers a request ({@code SAMGR_SendResponse}), normally from {@link Service#messageHandle} or
     * {@link Feature#onMessage}. Each call delivers one response; answering is what stops the automatic empty
     * response.
     *
     * @param request  the request as received.
     * @param response the response, or {@code null} for {@link Response#EMPTY}.
     * @return {@link ErrorCode#EC_SUCCESS}, or {@link ErrorCode#EC_INVALID} if the request was not received from
     *     samgr or its sender gave no handler.
     */
    public ErrorCode sendResponse(final Request request, final Response response)
    {
        final Exchange exchange = answerable(request);
        if (null == exchange)
        {
            return ErrorCode.EC_INVALID;
        }
        exchange.responded = true;
        respond(exchange, null == response ? Response.EMPTY : response);
        return ErrorCode.EC_SUCCESS;
    }

    /**
     * Answers a request, delivering the response on another identity's task thread
     * ({@code SAMGR_SendResponseByIdentity}).
     *
     * @param identity where the handler should run; without a queue, it runs on the calling thread.
     * @param request  the request as received.
     * @param response the response, or {@code null} for {@link Response#EMPTY}.
     * @return as {@link #sendResponse}; {@link ErrorCode#EC_INVALID} also for a null or foreign identity,
     *     {@link ErrorCode#EC_NOSERVICE} for a stale one.
     */
    public ErrorCode sendResponseByIdentity(final Identity identity, final Request request, final Response response)
    {
        if (null == identity || identity.owner() != this)
        {
            return ErrorCode.EC_INVALID;
        }
        final Exchange exchange = answerable(request);
        if (null == exchange)
        {
            return ErrorCode.EC_INVALID;
        }
        if (!isLive(identity))
        {
            return ErrorCode.EC_NOSERVICE;
        }
        exchange.origin = identity.queue();
        exchange.responded = true;
        respond(exchange, null == response ? Response.EMPTY : response);
        return ErrorCode.EC_SUCCESS;
    }

    private Exchange answerable(final Request request)
    {
        final Exchange exchange = null == request ? null : request.exchange;
        if (null == exchange || Exchange.CON != exchange.type || exchange.target.owner() != this)
        {
            return null;
        }
        return exchange;
    }

    private void respond(final Exchange exchange, final Response response)
    {
        final TaskQueue origin = exchange.origin;
        if (null != origin)
        {
            final SharedRef ref = exchange.sharedRef;
            final SharedRef retained = null != ref && ref.retain() ? ref : null;
            if (origin.offerUnbounded(Exchange.ack(exchange, response, retained)))
            {
                return;
            }
            if (null != retained)
            {
                retained.release();
            }
            LOG.log(Level.DEBUG, "sender's task " + origin.name() + " has stopped; running its handler inline");
        }
        try
        {
            exchange.handler.handle(exchange.request, response);
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "response handler failed", ex);
        }
    }

    private ErrorCode checkTarget(final Identity identity, final Request request)
    {
        if (null == identity || null == request || identity.owner() != this || !identity.hasQueue())
        {
            return ErrorCode.EC_INVALID;
        }
        return isLive(identity) ? ErrorCode.EC_SUCCESS : ErrorCode.EC_NOSERVICE;
    }

    private boolean isLive(final Identity identity)
    {
        final ServiceImpl impl = slots.get(identity.serviceId());
        if (null == impl || impl.generation != identity.generation())
        {
            return false;
        }
        return identity.featureId() < 0 || null != impl.features.get(identity.featureId());
    }

    /** Runs one message on the current task thread ({@code TaskEntry}'s body). */
    void process(final Exchange exchange)
    {
        try
        {
            switch (exchange.type)
            {
                case Exchange.ACK, Exchange.DIRECT -> exchange.handler.handle(exchange.request, exchange.response);
                case Exchange.LIFECYCLE -> exchange.action.run();
                case Exchange.NON, Exchange.CON -> dispatch(exchange);
                default -> LOG.log(Level.WARNING, "unexpected message type " + exchange.type);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "handler on " + Thread.currentThread().getName() + " failed", ex);
        }
        finally
        {
            final SharedRef ref = exchange.sharedRef;
            if (null != ref)
            {
                ref.release();
            }
        }
    }

    private void dispatch(final Exchange exchange)
    {
        final Identity target = exchange.target;
        final ServiceImpl impl = slots.get(target.serviceId());
        if (null == impl || impl.generation != target.generation())
        {
            undeliverable(exchange, "service " + target.serviceId() + " (generation " + target.generation()
                + ") has left");
            return;
        }
        ErrorCode status = ErrorCode.EC_SUCCESS;
        try
        {
            if (target.featureId() < 0)
            {
                impl.service.messageHandle(exchange.request);
            }
            else
            {
                final FeatureImpl featureImpl = impl.features.get(target.featureId());
                if (null == featureImpl)
                {
                    undeliverable(exchange, "feature " + target.featureId() + " of service \"" + impl.name
                        + "\" has left");
                    return;
                }
                featureImpl.feature.onMessage(exchange.request);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "service \"" + impl.name + "\" failed on " + exchange.request, ex);
            status = ErrorCode.EC_FAILURE;
        }
        if (Exchange.CON == exchange.type && !exchange.responded)
        {
            // The handler did not answer: send the automatic response so the sender is never left waiting.
            exchange.responded = true;
            respond(exchange, ErrorCode.EC_SUCCESS == status ? Response.EMPTY : new Response(status, null));
        }
    }

    private void undeliverable(final Exchange exchange, final String why)
    {
        if (Exchange.CON == exchange.type && !exchange.responded)
        {
            exchange.responded = true;
            respond(exchange, new Response(ErrorCode.EC_NOSERVICE, null));
        }
        else
        {
            LOG.log(Level.WARNING, "request " + exchange.request + " not delivered: " + why);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Introspection and shutdown
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Registered services, samgr's own included ({@code VECTOR_Num} of the service vector).
     *
     * @return the count.
     */
    public int serviceCount()
    {
        return locked(() -> slots.count());
    }

    /**
     * Service slots ever handed out and not reclaimed ({@code VECTOR_Size}); stays small when services come and go,
     * because freed slots are reused.
     *
     * @return the count.
     */
    public int serviceSlotCount()
    {
        return locked(() -> slots.size());
    }

    /**
     * Task threads that are running or still finishing.
     *
     * @return the count.
     */
    public int taskCount()
    {
        return locked(() -> livePools.size());
    }

    /**
     * The prefix of this samgr's task thread names, e.g. {@code samgr3-}; a task thread is named after its
     * service ({@code samgr3-MyService}) or shared bucket ({@code samgr3-shared-p3-FirstService}).
     *
     * @return the prefix.
     */
    public String threadNamePrefix()
    {
        return threadPrefix;
    }

    /**
     * Stops every task after the messages already queued and waits (up to 5 s each) for the threads to end. Later
     * registry changes throw {@link IllegalStateException}; later messages answer {@link ErrorCode#EC_NOSERVICE}.
     */
    @Override
    public void close()
    {
        final List<TaskPool> pools;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            pools = new ArrayList<>(livePools);
            for (final TaskPool pool : pools)
            {
                pool.stopping = true;
                pool.queue.offerUnbounded(Exchange.exit());
            }
            for (int i = 0; i < sharedPools.length; i++)
            {
                sharedPools[i] = null;
            }
        }
        finally
        {
            lock.unlock();
        }
        for (final TaskPool pool : pools)
        {
            if (pool.thread == Thread.currentThread())
            {
                continue;
            }
            try
            {
                if (!pool.thread.join(java.time.Duration.ofSeconds(5)))
                {
                    LOG.log(Level.WARNING, "task " + pool.thread.getName() + " did not stop within 5 s");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (GLOBAL_LOCK)
        {
            if (global == this)
            {
                global = null;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------

    private <T> T locked(final Supplier<T> read)
    {
        lock.lock();
        try
        {
            return read.get();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("samgr " + threadPrefix + " is closed");
        }
    }

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
        if (0 == bytes || bytes > MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException(what + " " + describe(name) + " is " + bytes
                + " bytes; names must be 1.." + MAX_NAME_BYTES + " bytes of UTF-8 (shorter than 16)");
        }
        return name;
    }

    private static String describe(final String name)
    {
        return null == name ? "null" : "\"" + (name.length() > 80 ? name.substring(0, 80) + "..." : name) + "\"";
    }

    private record ApiKey(String service, String feature)
    {
    }
}
