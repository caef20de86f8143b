package io.harmonia.samgr.endpoint;

/**
 * Told when the process behind a remote API this process has resolved dies (samgr_lite's {@code OnServiceExit}).
 * Runs on the RPC layer's death thread, after the API's proxy has left samgr's cache.
 */
@FunctionalInterface
public interface ProviderDeathListener
{
    /**
     * A provider died.
     *
     * @param service the service.
     * @param feature the feature, or null for the default API.
     */
    void providerDied(String service, String feature);
}
