package io.harmonia.samgr;

/**
 * Where a remote proxy plugs in on the provider side ({@code SAMGR_RegisterServiceApi}): samgr reports every API
 * that is registered on an initialised service (at initialisation for APIs registered before it). The endpoint
 * keeps those that answer {@link IUnknown#SERVER_PROXY_VERSION} and routes incoming calls to them on the service's
 * task thread (with {@link Samgr#sendSharedDirectRequest}).
 */
public interface ApiExporter
{
    /**
     * An API became available.
     *
     * @param service  the service name.
     * @param feature  the feature name, or {@code null} for the default API.
     * @param identity the service's (or feature's) identity, to route calls to its task thread.
     * @param api      the API.
     */
    void apiAvailable(String service, String feature, Identity identity, IUnknown api);

    /**
     * An API was unregistered.
     *
     * @param service the service name.
     * @param feature the feature name, or {@code null} for the default API.
     * @param api     the API.
     */
    void apiWithdrawn(String service, String feature, IUnknown api);
}
