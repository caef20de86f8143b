package io.harmonia.ability;

/**
 * The requests the ability manager sends a connection's callback object (OpenHarmony's {@code IAbilityConnection}):
 * one object per connect, made by the caller's process and handed over with {@link
 * AbilityManagerProtocol#CONNECT_EXTENSION}; the manager keys the connection by it, watches its process's death
 * through it, and tells it the outcome. Requests are one way (the manager never waits for a client), so requests to
 * one object arrive in the order they were sent; except ON_DISCONNECTED for a service being stopped or terminating
 * itself, which the manager sends synchronously and waits for, at most the disconnect deadline (1 s times its
 * ratio), so that the clients' onDisconnect comes before the service's onDestroy. The object answers only the
 * ability manager's pid.
 */
public final class ConnectionCallbackProtocol
{
    /** The interface descriptor of a callback object. */
    public static final String DESCRIPTOR = "harmonia.AbilityConnection";
    /** Connected: data = {@link ElementName} (four strings), the remote object. */
    public static final int ON_CONNECTED = 1;
    /** Disconnected (final): data = {@link ElementName}, int result code (0 the caller's own disconnect, -1 the service's end). */
    public static final int ON_DISCONNECTED = 2;
    /** Failed (final, never connected): data = int OpenHarmony error code. */
    public static final int ON_FAILED = 3;

    private ConnectionCallbackProtocol()
    {
    }
}
