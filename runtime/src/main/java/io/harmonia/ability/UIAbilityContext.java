package io.harmonia.ability;

import java.util.concurrent.CompletableFuture;

/**
 * The context of a {@link UIAbility}: the ability context, its life state (which the ability manager drives), and
 * the callers' API of service extensions: start, stop, connect and disconnect, for ServiceExtensionAbility and
 * AppServiceExtensionAbility (semantics, errors and threads: {@link AbilityConnector}). The ability manager also
 * knows which ability has the focus (the one it brought to the foreground last); callers' rights that depend on it
 * ("a third-party app may connect only while focused in the foreground") are judged there, from its own records,
 * never from what a process claims.
 */
public final class UIAbilityContext extends AbilityContext
{
    private final AbilityConnector connector;
    private volatile AbilityState state = AbilityState.INITIAL;

    UIAbilityContext(final ApplicationInfo application, final String abilityName, final AbilityConnector connector)
    {
        super(application, abilityName);
        this.connector = connector;
    }

    /**
     * The ability's state in this process.
     *
     * @return its state.
     */
    public AbilityState getState()
    {
        return state;
    }

    /**
     * Whether the ability is in the foreground.
     *
     * @return true in {@link AbilityState#FOREGROUND}.
     */
    public boolean isForeground()
    {
        return AbilityState.FOREGROUND == state;
    }

    void state(final AbilityState state)
    {
        this.state = state;
    }

    /**
     * Starts a ServiceExtensionAbility (a system API: 202 for a third-party app).
     *
     * @param want the target.
     * @return completes once its onRequest has returned.
     */
    public CompletableFuture<Void> startServiceExtensionAbility(final Want want)
    {
        return connector.startServiceExtensionAbility(want);
    }

    /**
     * Stops a ServiceExtensionAbility (a system API: 202 for a third-party app).
     *
     * @param want the target.
     * @return completes once its onDestroy has returned.
     */
    public CompletableFuture<Void> stopServiceExtensionAbility(final Want want)
    {
        return connector.stopServiceExtensionAbility(want);
    }

    /**
     * Connects to a ServiceExtensionAbility (a third-party app only while this process has the focus).
     *
     * @param want    the target.
     * @param options told of the outcome.
     * @return the connection id.
     */
    public long connectServiceExtensionAbility(final Want want, final ConnectOptions options)
    {
        return connector.connectServiceExtensionAbility(want, options);
    }

    /**
     * Ends a connection to a ServiceExtensionAbility.
     *
     * @param connectionId what connect returned.
     * @return completes once the ability manager took it.
     */
    public CompletableFuture<Void> disconnectServiceExtensionAbility(final long connectionId)
    {
        return connector.disconnectServiceExtensionAbility(connectionId);
    }

    /**
     * Starts an AppServiceExtensionAbility.
     *
     * @param want the target.
     * @return completes once its onRequest has returned.
     */
    public CompletableFuture<Void> startAppServiceExtensionAbility(final Want want)
    {
        return connector.startAppServiceExtensionAbility(want);
    }

    /**
     * Stops an AppServiceExtensionAbility.
     *
     * @param want the target.
     * @return completes once its onDestroy has returned.
     */
    public CompletableFuture<Void> stopAppServiceExtensionAbility(final Want want)
    {
        return connector.stopAppServiceExtensionAbility(want);
    }

    /**
     * Connects to an AppServiceExtensionAbility.
     *
     * @param want    the target.
     * @param options told of the outcome.
     * @return the connection id.
     */
    public long connectAppServiceExtensionAbility(final Want want, final ConnectOptions options)
    {
        return connector.connectAppServiceExtensionAbility(want, options);
    }

    /**
     * Ends a connection to an AppServiceExtensionAbility.
     *
     * @param connectionId what connect returned.
     * @return completes once the ability manager took it.
     */
    public CompletableFuture<Void> disconnectAppServiceExtensionAbility(final long connectionId)
    {
        return connector.disconnectAppServiceExtensionAbility(connectionId);
    }
}
