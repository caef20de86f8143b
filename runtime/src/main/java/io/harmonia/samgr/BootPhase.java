package io.harmonia.samgr;

/** A boot phase whose completion {@link BootListener}s hear about. */
public enum BootPhase
{
    /** Every system service registered before the first bootstrap is initialised ({@code BOOT_SYS_COMPLETED}). */
    SYSTEM,
    /** Every application service is initialised too ({@code BOOT_APP_COMPLETED}). */
    APP,
    /** A later {@link Samgr#bootstrap()} initialised every service registered after boot. */
    DYNAMIC
}
