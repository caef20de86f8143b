package io.harmonia.ability;

/**
 * A system background service (OpenHarmony's {@code ServiceExtensionAbility}, manifest type {@code "service"}): only
 * a system app with the {@code AllowAppUsePrivilegeExtension} privilege may provide one (the bundle manager refuses
 * the install otherwise). System callers may start and stop it; any app may connect to it, a third-party app only
 * while one of its abilities has the focus in the foreground. Lifecycle and threads: {@link ExtensionAbility}.
 */
public abstract class ServiceExtensionAbility extends ExtensionAbility
{
    /** For subclasses. */
    protected ServiceExtensionAbility()
    {
    }

    /**
     * The service's context: terminateSelf, and the callers' API to start and connect other services.
     *
     * @return the context (set before {@link #onCreate}).
     */
    public final ServiceExtensionContext getContext()
    {
        return (ServiceExtensionContext)extensionContext();
    }
}
