package io.harmonia.samgr;

import java.lang.System.Logger.Level;
import java.util.List;
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
 *
 * <p>This class is the public face; each job has a class of its own: {@link ServiceRegistry} (names, slots, APIs,
 * capabilities), {@link TaskPools} (which task runs which service), {@link BootSequence} (initialisation and boot
 * phases), {@link MessageRouter} (requests, responses, dispatch) and {@link RemoteApis} (the plug points for other
 * processes). They share samgr's one lock.
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

    /** The one lock of the registry, the pools and the boot sequence; never held while user code runs. */
    final ReentrantLock lock = new ReentrantLock();
    final ServiceRegistry registry = new ServiceRegistry(this);
    final TaskPools pools = new TaskPools(this);
    final BootSequence boot = new BootSequence(this);
    final MessageRouter messages = new MessageRouter(this);
    final RemoteApis remote = new RemoteApis(this);
    private final String threadPrefix;
    private volatile boolean closed;

    private Samgr()
    {
        threadPrefix = "samgr" + INSTANCES.incrementAndGet() + "-";
        lock.lock();
        try
        {
            boot.bootstrapService(registry.registerLocked(new BootstrapService(this), true));
        }
        finally
        {
            lock.unlock();
        }
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
        registry.registerService(service);
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
        return registry.unregisterService(name);
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
        registry.registerFeature(serviceName, feature);
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
        return registry.unregisterFeature(serviceName, featureName);
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
        registry.registerFeatureApi(serviceName, featureName, api);
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
        return registry.unregisterFeatureApi(serviceName, featureName);
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
        final ServiceImpl impl = registry.service(serviceName);
        return null == impl ? remote.find(serviceName, featureName) : registry.localApi(impl, featureName);
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
        remote.setResolver(resolver);
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
        return remote.forget(serviceName, featureName);
    }

    /**
     * Drops a cached remote proxy only if it is still the cached one (the endpoint calls this when the proxy's
     * provider dies, without disturbing a proxy resolved since).
     *
     * @param serviceName the service.
     * @param featureName the feature, or {@code null} for the default API.
     * @param proxy       the proxy expected in the cache.
     * @return true when it was cached and is dropped now; the caller then owns the cache's reference.
     */
    public boolean forgetRemoteApi(final String serviceName, final String featureName, final IUnknown proxy)
    {
        return remote.forget(serviceName, featureName, proxy);
    }

    /**
     * Sets who hears of APIs becoming available (the provider side of the cross-process endpoint). APIs already
     * available are reported to the new exporter at once.
     *
     * @param exporter the exporter, or {@code null} for none.
     */
    public void setApiExporter(final ApiExporter exporter)
    {
        remote.setExporter(exporter);
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
        registry.addSystemCapability(name);
    }

    /**
     * Whether a system capability was declared ({@code HasSystemCapability}).
     *
     * @param name the capability.
     * @return false also for names that cannot be valid (empty, too long, null).
     */
    public boolean hasSystemCapability(final String name)
    {
        return registry.hasSystemCapability(name);
    }

    /**
     * Every declared system capability, in the order declared ({@code GetSystemAvailableCapabilities}).
     *
     * @return an immutable list.
     */
    public List<String> getSystemAvailableCapabilities()
    {
        return registry.systemCapabilities();
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
        if (!boot.bootstrapIfOpen())
        {
            throw new IllegalStateException("samgr " + threadPrefix + " is closed");
        }
    }

    /**
     * Where the boot sequence is.
     *
     * @return the status.
     */
    public BootStatus bootStatus()
    {
        return boot.status();
    }

    /**
     * Adds a listener for completed boot phases.
     *
     * @param listener the listener.
     */
    public void addBootListener(final BootListener listener)
    {
        boot.addBootListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener.
     * @return whether it was registered.
     */
    public boolean removeBootListener(final BootListener listener)
    {
        return boot.removeBootListener(listener);
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
        return messages.sendRequest(identity, request, handler);
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
        return messages.sendSharedRequest(identity, request, sharedRef, handler);
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
        return messages.sendSharedDirectRequest(identity, request, response, sharedRef, handler);
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
        return messages.sendResponse(request, response);
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
        return messages.sendResponseByIdentity(identity, request, response);
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
        return locked(registry::serviceCount);
    }

    /**
     * Service slots ever handed out and not reclaimed ({@code VECTOR_Size}); stays small when services come and go,
     * because freed slots are reused.
     *
     * @return the count.
     */
    public int serviceSlotCount()
    {
        return locked(registry::slotCount);
    }

    /**
     * Task threads that are running or still finishing.
     *
     * @return the count.
     */
    public int taskCount()
    {
        return locked(pools::liveCountLocked);
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
        final List<TaskPool> stopping;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            stopping = pools.stopAllLocked();
        }
        finally
        {
            lock.unlock();
        }
        for (final TaskPool pool : stopping)
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
    // Shared by the parts
    // ----------------------------------------------------------------------------------------------------------

    void registerReservedService(final Service service)
    {
        registry.registerReservedService(service);
    }

    void registerReservedFeature(final String serviceName, final Feature feature, final IUnknown api)
    {
        registry.registerReservedFeature(serviceName, feature, api);
    }

    void notifyBootListeners(final BootPhase phase)
    {
        boot.notifyBootListeners(phase);
    }

    boolean isClosed()
    {
        return closed;
    }

    void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("samgr " + threadPrefix + " is closed");
        }
    }

    <T> T locked(final Supplier<T> read)
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
}
