package io.harmonia.samgr;

/**
 * Where the boot sequence is (OpenHarmony's {@code BootStatus}). Each {@link Samgr#bootstrap()} moves a phase to its
 * waiting state and initialises the services registered so far; when none is left uninitialised the phase
 * completes and the next begins.
 */
public enum BootStatus
{
    /** Registering system services; nothing initialised yet. */
    BOOT_SYS,
    /** Initialising system services. */
    BOOT_SYS_WAIT,
    /** System services are up; application services may register (the Bootstrap service's listeners do). */
    BOOT_APP,
    /** Initialising application services. */
    BOOT_APP_WAIT,
    /** Booted; services registered from now on need another {@link Samgr#bootstrap()}. */
    BOOT_DYNAMIC,
    /** Initialising services registered after boot (stays here across further bootstraps). */
    BOOT_DYNAMIC_WAIT;

    BootStatus next()
    {
        // TO_NEXT_STATUS: a phase moves to its waiting state; a waiting state stays where it is.
        return values()[ordinal() | 1];
    }
}
