package io.harmonia.samgr.registry;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.harmonia.samgr.ErrorCode;

/**
 * The process's client proxy factories (samgr_lite's {@code SAMGR_RegisterFactory}): when the endpoint builds the
 * proxy of a remote (service, feature) and a factory is registered for it, the factory's creator makes a typed proxy
 * (implementing the same API interface as the provider); otherwise the proxy is a plain {@link IClientProxy}.
 * The destroyer runs when the proxy's last reference is released.
 */
public final class ClientFactories
{
    /** Makes a typed proxy ({@code Creator}). */
    @FunctionalInterface
    public interface Creator
    {
        /**
         * Makes a proxy.
         *
         * @param service the service.
         * @param feature the feature, or null for the default API.
         * @param invoker how the proxy reaches the provider; pass it to {@link ClientProxyEntry}'s constructor.
         * @return the proxy, or null to fall back to a plain {@link IClientProxy}.
         */
        ClientProxyEntry create(String service, String feature, RemoteInvoker invoker);
    }

    /** Frees what a proxy holds ({@code Destroyer}). */
    @FunctionalInterface
    public interface Destroyer
    {
        /**
         * Called once, when the proxy's last reference is released.
         *
         * @param service the service.
         * @param feature the feature, or null.
         * @param proxy   the proxy.
         */
        void destroy(String service, String feature, IClientProxy proxy);
    }

    /**
     * A registered factory.
     *
     * @param creator   its creator.
     * @param destroyer its destroyer.
     */
    public record Factory(Creator creator, Destroyer destroyer)
    {
    }

    private record Key(String service, String feature)
    {
    }

    private static final ConcurrentHashMap<Key, Factory> FACTORIES = new ConcurrentHashMap<>();

    private ClientFactories()
    {
    }

    /**
     * Registers a factory for a (service, feature); as upstream, a second registration for the same pair keeps
     * the first and succeeds.
     *
     * @param service   the service.
     * @param feature   the feature, or null for the default API.
     * @param creator   the creator.
     * @param destroyer the destroyer.
     * @return {@link ErrorCode#EC_SUCCESS}, or {@link ErrorCode#EC_INVALID} for a null service, creator or
     *     destroyer.
     */
    public static ErrorCode register(final String service, final String feature, final Creator creator,
        final Destroyer destroyer)
    {
        if (null == service || null == creator || null == destroyer)
        {
            return ErrorCode.EC_INVALID;
        }
        FACTORIES.putIfAbsent(new Key(service, feature), new Factory(creator, destroyer));
        return ErrorCode.EC_SUCCESS;
    }

    /**
     * Removes a factory (not in samgr_lite, whose factories live as long as the process); proxies it made keep
     * their destroyer.
     *
     * @param service the service.
     * @param feature the feature, or null.
     * @return whether one was registered.
     */
    public static boolean unregister(final String service, final String feature)
    {
        return null != FACTORIES.remove(new Key(Objects.requireNonNull(service, "service"), feature));
    }

    /**
     * The factory of a (service, feature).
     *
     * @param service the service.
     * @param feature the feature, or null.
     * @return the factory, or null.
     */
    public static Factory find(final String service, final String feature)
    {
        return null == service ? null : FACTORIES.get(new Key(service, feature));
    }
}
