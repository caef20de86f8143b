package io.harmonia.ability;

/**
 * The ability manager's request codes (docs/architecture.md, "App processes"). Every reply follows
 * {@link ServiceReply}: an int code, then the results below or a message.
 */
public final class AbilityManagerProtocol
{
    /** The interface descriptor of the ability manager's object. */
    public static final String DESCRIPTOR = "harmonia.AbilityManager";
    /**
     * An app process attaches: data = its app-thread object; reply = {@link ApplicationInfo}. Accepted only from a
     * process the ability manager started and has not seen attach, judged by the caller's kernel pid and uid.
     */
    public static final int ATTACH_APPLICATION = 1;
    /** Starts a UIAbility: data = a {@link Want}; reply = int pid of the process that runs it. */
    public static final int START_ABILITY = 2;
    /** Kills a bundle's process: data = string bundleName; reply = boolean whether one was running. Root only. */
    public static final int FORCE_STOP = 3;
    /** The process and ability records: reply = one JSON string. Root and system uids only. */
    public static final int DUMP = 4;
    /**
     * Starts an extension (onCreate the first time, then onRequest): data = int family
     * ({@link ExtensionAbilityType#wire()}), {@link Want}; the reply comes once onRequest returned (or the step
     * failed). Refusals: 202 a service start by a caller that is not a system app, 801, 16000001, 16000002, 16000004,
     * 16000200; 16000050 when the service could not be loaded or created, or its onRequest failed or timed out.
     */
    public static final int START_EXTENSION = 5;
    /**
     * Stops an extension (its clients are disconnected, then onDestroy): data = int family, {@link Want}; the reply
     * comes once onDestroy returned (or timed out). Refusals as {@link #START_EXTENSION}; 16000050 when it is not
     * running.
     */
    public static final int STOP_EXTENSION = 6;
    /**
     * Connects to an extension: data = int family, {@link Want}, the caller's connection callback object
     * ({@link ConnectionCallbackProtocol}, a new one per connection). The reply (0) means accepted; the outcome
     * follows through the callback object. Refusals: 201 (a third-party caller of a service that is not focused in
     * the foreground), 801, 16000001, 16000002, 16000004, 16000201, 16000050 (the object is already connected).
     */
    public static final int CONNECT_EXTENSION = 7;
    /**
     * Ends a connection: data = int family, the connection's callback object; reply 0 once accepted (the callback
     * object is told onDisconnect after the service's onDisconnect when it was the last client). 16000050 when the
     * caller has no such connection; 801 for an AppService family request off a 2-in-1 device.
     */
    public static final int DISCONNECT_EXTENSION = 8;
    /** An extension stops itself: data = string abilityName (of the caller's own process); reply 0 once accepted. */
    public static final int TERMINATE_SELF = 9;
    /**
     * Test hook (OpenHarmony's {@code aa force-timeout}): data = string abilityName ("clean" clears every one),
     * string state (INITIAL, INACTIVE, COMMAND, CONNECT, DISCONNECT, TERMINATING); from then on that step of that
     * ability expires as soon as it is scheduled. Root and system uids only.
     */
    public static final int FORCE_TIMEOUT = 10;

    /**
     * How long a client waits for a start. The ability manager enforces OpenHarmony's timeouts itself (load 10 s,
     * foreground 5 s, times its timeout ratio) and always answers; this only guards against a manager that hangs.
     */
    public static final long START_WAIT_MILLIS = 180_000;
    /**
     * How long a client waits for an extension start or stop: longer than every step the ability manager waits for
     * (load, onCreate and onRequest, or onDestroy, times its ratio); it always answers first.
     */
    public static final long EXTENSION_WAIT_MILLIS = 600_000;

    private AbilityManagerProtocol()
    {
    }
}
