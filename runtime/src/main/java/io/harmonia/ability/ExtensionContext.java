package io.harmonia.ability;

import java.util.concurrent.CompletableFuture;

/**
 * The context of an {@link ExtensionAbility}: the ability context plus {@link #terminateSelf()}. Its subclasses
 * add what each family may do ({@link ServiceExtensionContext}, {@link AppServiceExtensionContext}).
 */
public abstract class ExtensionContext extends AbilityContext
{
    private final ExtensionAbilityType type;
    private final AbilityConnector connector;

    ExtensionContext(final ApplicationInfo application, final String abilityName, final ExtensionAbilityType type,
        final AbilityConnector connector)
    {
        super(application, abilityName);
        this.type = type;
        this.connector = connector;
    }

    /**
     * The family of this extension.
     *
     * @return SERVICE or APP_SERVICE.
     */
    public final ExtensionAbilityType getExtensionAbilityType()
    {
        return type;
    }

    final AbilityConnector connector()
    {
        return connector;
    }

    /**
     * Stops this instance (the seeds' {@code this.context.terminateSelf()}): its clients are disconnected (each gets
     * onDisconnect), then onDestroy runs. May be called from any callback, also from onCreate: a start in progress
     * then skips its onRequest and the clients waiting to connect get onFailed(16000050).
     *
     * @return completed when it returns: the ability manager took the request (it answers at once, never after a
     *         lifecycle step), and onDestroy follows; or exceptionally with an {@link AbilityException}: 16000011
     *         when the instance is gone already, 16000050 when the ability manager cannot be reached.
     */
    public final CompletableFuture<Void> terminateSelf()
    {
        return connector.terminateSelf(getAbilityName());
    }
}
