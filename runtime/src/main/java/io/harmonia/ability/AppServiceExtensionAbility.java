package io.harmonia.ability;

/**
 * An app's background service (OpenHarmony's {@code AppServiceExtensionAbility}, API 20, manifest type
 * {@code "appService"}): for enterprise apps on 2-in-1 devices (elsewhere every request gets 801). The providing
 * bundle must request {@code ohos.permission.SUPPORT_APP_SERVICE_EXTENSION} and the device must grant it as an ACL.
 * Its own bundle and the bundles its {@code appIdentifierAllowList} names may start and stop it; others may connect
 * only once it has been started (16000201 before). There is no window and no window API. Lifecycle and threads:
 * {@link ExtensionAbility}.
 */
public abstract class AppServiceExtensionAbility extends ExtensionAbility
{
    /** For subclasses. */
    protected AppServiceExtensionAbility()
    {
    }

    /**
     * The service's context.
     *
     * @return the context (set before {@link #onCreate}).
     */
    public final AppServiceExtensionContext getContext()
    {
        return (AppServiceExtensionContext)extensionContext();
    }
}
