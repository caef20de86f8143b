package io.harmonia.ability;

import java.util.concurrent.CompletableFuture;

/**
 * The context of a {@link ServiceExtensionAbility}: {@link #terminateSelf()} and, since a service is a system app,
 * the system callers' API to start, stop and connect other service extensions (semantics and errors:
 * {@link AbilityConnector}).
 */
public final class ServiceExtensionContext extends ExtensionContext
{
    ServiceExtensionContext(final ApplicationInfo application, final String abilityName,
        final AbilityConnector connector)
    {
        super(application, abilityName, ExtensionAbilityType.SERVICE, connector);
    }

    /**
     * Starts a service extension ({@link AbilityConnector#startServiceExtensionAbility}).
     *
     * @param want the target.
     * @return completes when its onRequest has run.
     */
    public CompletableFuture<Void> startServiceExtensionAbility(final Want want)
    {
        return connector().startServiceExtensionAbility(want);
    }

    /**
     * Stops a service extension ({@link AbilityConnector#stopServiceExtensionAbility}).
     *
     * @param want the target.
     * @return completes when its onDestroy has run.
     */
    public CompletableFuture<Void> stopServiceExtensionAbility(final Want want)
    {
        return connector().stopServiceExtensionAbility(want);
    }

    /**
     * Connects to a service extension ({@link AbilityConnector#connectServiceExtensionAbility}).
     *
     * @param want    the target.
     * @param options told of the outcome.
     * @return the connection id.
     */
    public long connectServiceExtensionAbility(final Want want, final ConnectOptions options)
    {
        return connector().connectServiceExtensionAbility(want, options);
    }

    /**
     * Ends a connection ({@link AbilityConnector#disconnectServiceExtensionAbility}).
     *
     * @param connectionId what connect returned.
     * @return completes when the ability manager took it.
     */
    public CompletableFuture<Void> disconnectServiceExtensionAbility(final long connectionId)
    {
        return connector().disconnectServiceExtensionAbility(connectionId);
    }
}
