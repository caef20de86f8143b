package io.harmonia.samgr;

/**
 * Where a remote proxy plugs in on the consumer side ({@code SAMGR_FindServiceApi}). When
 * {@link Samgr#getFeatureApi(String, String)} finds no local service of that name, it asks the resolver, which may
 * return a client proxy ({@link IUnknown#CLIENT_PROXY_VERSION}) that implements the same API interface as the
 * provider and marshals each call into a channel. samgr caches the proxy per (service, feature) until
 * {@link Samgr#forgetRemoteApi(String, String)}.
 */
@FunctionalInterface
public interface RemoteApiResolver
{
    /**
     * Finds a remote API.
     *
     * @param service the service name.
     * @param feature the feature name, or {@code null} for the service's default API.
     * @return a proxy, or {@code null} when no other process offers it.
     */
    IUnknown resolve(String service, String feature);
}
