package io.harmonia.samgr;

/**
 * Hears that a boot phase completed. Listeners run on the task thread of samgr's {@code "Bootstrap"} service, in
 * registration order. A listener told of {@link BootPhase#SYSTEM} may register application services and features:
 * the application phase starts when every listener has returned and initialises them (OpenHarmony's
 * {@code INIT_APP_CALL} in the Bootstrap service).
 */
@FunctionalInterface
public interface BootListener
{
    /**
     * A phase completed.
     *
     * @param phase the phase.
     */
    void onBootCompleted(BootPhase phase);
}
