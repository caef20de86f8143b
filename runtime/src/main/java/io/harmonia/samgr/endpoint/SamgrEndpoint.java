package io.harmonia.samgr.endpoint;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.samgr.ApiExporter;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Identity;
import io.harmonia.samgr.RemoteApiResolver;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.registry.ClientFactories;
import io.harmonia.samgr.registry.ClientProxyEntry;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;

/**
 * A process's samgr endpoint (samgr_lite's {@code samgr_endpoint}): it joins the process's {@link Samgr} to the samgr
 * server, so that APIs cross processes with no change to the code that registers or calls them.
 *
 * <p><b>Provider side</b> ({@link ApiExporter}). Every API of an initialised service that answers
 * {@link IUnknown#SERVER_PROXY_VERSION} gets an RPC object of its own and is registered with the server under its
 * (service, feature), with the rules its {@code IServerProxy} declares. Calls from other processes run on the
 * service's task, as in-process messages do. Unregistering the API withdraws it. If the server is not reachable
 * yet, or dies, registrations are retried every 500 ms until it answers (a restarted server gets them again).
 *
 * <p><b>Consumer side</b> ({@link RemoteApiResolver}). {@code getFeatureApi} of a service that is not local asks the
 * server without waiting; the provider's object becomes a client proxy (the factory's typed one when
 * {@link ClientFactories} has one for the name, else a plain {@link IClientProxy}), which samgr caches per (service,
 * feature). When the provider dies the proxy leaves the cache at once. {@link #lookup} is the same lookup with a
 * deadline and explicit errors.
 *
 * <p><b>Threads and errors.</b> Registrations run on one endpoint thread, in the order samgr reported them; nothing
 * here blocks a service's task. Lookups run on the caller's thread and answer null when the server refuses or cannot
 * be reached (the reason is logged); {@link #lookup} throws instead. {@link #attach} is usually called once, in
 * {@code main}, before {@code bootstrap()}.
 */
public final class SamgrEndpoint implements ApiExporter, RemoteApiResolver, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(SamgrEndpoint.class.getName());
    private static final long CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Samgr samgr;
    private final String address;
    private final ApiExports exports;
    private volatile SamgrClient client;
    private volatile boolean closed;
    private volatile long callTimeoutMillis = MessageOption.TF_WAIT_TIME * 1000L;
    private volatile ProviderDeathListener deathListener;

    private SamgrEndpoint(final Samgr samgr, final String address)
    {
        this.samgr = samgr;
        this.address = address;
        this.exports = new ApiExports(samgr, address, this::client,
            "harmonia-samgr-endpoint-" + INSTANCES.incrementAndGet());
    }

    /**
     * Joins a samgr to the server at the configured address ({@link SamgrProtocol#configuredAddress()}).
     *
     * @param samgr the process's samgr, usually {@link Samgr#getInstance()}.
     * @return the endpoint; {@link #close()} detaches it.
     */
    public static SamgrEndpoint attach(final Samgr samgr)
    {
        return attach(samgr, SamgrProtocol.configuredAddress());
    }

    /**
     * Joins a samgr to the server at an address. Never fails for a server that is not there yet: registrations
     * wait for it, lookups answer null meanwhile.
     *
     * @param samgr   the samgr.
     * @param address the server's address (a path, or {@code @name}).
     * @return the endpoint.
     */
    public static SamgrEndpoint attach(final Samgr samgr, final String address)
    {
        final SamgrEndpoint endpoint = new SamgrEndpoint(Objects.requireNonNull(samgr, "samgr"),
            Objects.requireNonNull(address, "address"));
        samgr.setRemoteApiResolver(endpoint);
        samgr.setApiExporter(endpoint);
        return endpoint;
    }

    /**
     * The client of the server this endpoint uses, connecting now if it has not yet.
     *
     * @return the client.
     * @throws SamgrException {@link ErrorCode#EC_COMMU} when the server cannot be reached.
     */
    public SamgrClient client()
    {
        SamgrClient current = client;
        if (null != current)
        {
            return current;
        }
        synchronized (this)
        {
            if (null == client)
            {
                client = SamgrClient.connect(address, CONNECT_TIMEOUT_MILLIS);
            }
            return client;
        }
    }

    /**
     * Sets how long a synchronous call to a remote API waits for its reply.
     *
     * @param millis 1..3,000,000 (default 8,000, OpenHarmony's {@code TF_WAIT_TIME}).
     */
    public void setCallTimeoutMillis(final long millis)
    {
        new MessageOption().setWaitTimeMillis(millis); // checks the range
        callTimeoutMillis = millis;
    }

    // ---- provider side ----

    @Override
    public void apiAvailable(final String service, final String feature, final Identity identity, final IUnknown api)
    {
        if (!closed)
        {
            exports.available(service, feature, identity, api);
        }
    }

    @Override
    public void apiWithdrawn(final String service, final String feature, final IUnknown api)
    {
        exports.withdrawn(service, feature, api);
    }

    /**
     * Waits until an API is exported (its service initialised) and the server has taken (or refused) it.
     *
     * @param service       the service.
     * @param feature       the feature, or null for the default API.
     * @param timeoutMillis the longest wait.
     * @return {@link ErrorCode#EC_SUCCESS} once registered; the server's refusal ({@link ErrorCode#EC_PERMISSION},
     *     {@link ErrorCode#EC_INVALID}, ...); {@link ErrorCode#EC_TIMEOUT} when neither happened in time (the API is
     *     not registered here, its service is not initialised, or the server is not running).
     */
    public ErrorCode awaitExported(final String service, final String feature, final long timeoutMillis)
    {
        return exports.awaitExported(SamgrKey.feature(service, feature), timeoutMillis);
    }

    // ---- consumer side ----

    @Override
    public IUnknown resolve(final String service, final String feature)
    {
        if (closed)
        {
            return null;
        }
        final SamgrKey key;
        try
        {
            key = SamgrKey.feature(service, feature);
        }
        catch (final IllegalArgumentException noSuchName)
        {
            return null;
        }
        final IRemoteObject object;
        try
        {
            object = client().check(key);
        }
        catch (final SamgrException refused)
        {
            LOG.log(Level.DEBUG, () -> "looking up " + key + " failed: " + refused.getMessage());
            return null;
        }
        return null == object ? null : proxyFor(key, object);
    }

    /**
     * Looks a remote API up with a deadline and explicit errors (what {@code getFeatureApi} does without waiting
     * and with null for every failure). The proxy is samgr's cached one.
     *
     * @param service       the service.
     * @param feature       the feature, or null for the default API.
     * @param timeoutMillis 0..60,000: how long to wait for the API to be registered.
     * @return the API (a local one when the service is local), or null when nothing registered it in time.
     * @throws SamgrException {@link ErrorCode#EC_PERMISSION} when the entry's policy does not let this uid in,
     *                        {@link ErrorCode#EC_COMMU} when the server cannot be reached.
     */
    public IUnknown lookup(final String service, final String feature, final int timeoutMillis)
    {
        final IUnknown local = samgr.getFeatureApi(service, feature);
        if (null != local)
        {
            return local;
        }
        if (null == client().get(SamgrKey.feature(service, feature), timeoutMillis))
        {
            return null;
        }
        return samgr.getFeatureApi(service, feature);
    }

    private IUnknown proxyFor(final SamgrKey key, final IRemoteObject object)
    {
        final ClientFactories.Factory factory = ClientFactories.find(key.service(), key.feature());
        final RemoteFeature typed = null == factory ? null : new RemoteFeature(this, key, object, factory);
        ClientProxyEntry proxy = null;
        if (null != typed)
        {
            try
            {
                proxy = factory.creator().create(key.service(), key.feature(), typed);
            }
            catch (final RuntimeException thrown)
            {
                LOG.log(Level.WARNING, key + ": the client proxy factory threw; using a plain client proxy", thrown);
            }
        }
        if (null != proxy)
        {
            typed.bind(proxy);
            return proxy;
        }
        final RemoteFeature plain = new RemoteFeature(this, key, object, null);
        final IClientProxy defaultProxy = new DefaultClientProxy(plain);
        plain.bind(defaultProxy);
        return defaultProxy;
    }

    /**
     * Sets who hears of the death of a provider whose API this process resolved.
     *
     * @param listener the listener, or null for none.
     */
    public void setProviderDeathListener(final ProviderDeathListener listener)
    {
        deathListener = listener;
    }

    /** The provider behind a proxy died: the proxy leaves samgr's cache (and the cache's reference goes). */
    void providerDied(final RemoteFeature feature)
    {
        final IClientProxy proxy = feature.proxy();
        if (null != proxy && samgr.forgetRemoteApi(feature.key.service(), feature.key.feature(), proxy))
        {
            proxy.release();
        }
        final ProviderDeathListener listener = deathListener;
        if (null != listener)
        {
            try
            {
                listener.providerDied(feature.key.service(), feature.key.feature());
            }
            catch (final RuntimeException thrown)
            {
                LOG.log(Level.WARNING, "the provider death listener threw", thrown);
            }
        }
    }

    /** Looks a key up again for a proxy whose provider left; null when it is not registered (or unreachable). */
    IRemoteObject lookUpAgain(final SamgrKey key)
    {
        try
        {
            return client().check(key);
        }
        catch (final SamgrException failed)
        {
            return null;
        }
    }

    MessageOption callOption()
    {
        final MessageOption option = new MessageOption();
        option.setWaitTimeMillis(callTimeoutMillis);
        return option;
    }

    MessageOption oneWayOption()
    {
        final MessageOption option = new MessageOption(true);
        option.setWaitTimeMillis(callTimeoutMillis);
        return option;
    }

    /**
     * The exported APIs and the calls each handled (for dumps and tests).
     *
     * @return key, call count and rules per export.
     */
    public List<String> describeExports()
    {
        return exports.describe();
    }

    /**
     * Detaches: samgr stops using this endpoint, exported APIs are withdrawn from the server (best effort, within
     * 2 s), and the endpoint's thread ends. Proxies already handed out keep working until their providers go.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        samgr.setApiExporter(null);
        samgr.setRemoteApiResolver(null);
        closed = true;
        exports.close(client);
    }
}
