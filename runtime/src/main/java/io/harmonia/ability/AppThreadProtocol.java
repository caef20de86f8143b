package io.harmonia.ability;

/**
 * The requests the ability manager sends an app process through the app-thread object the process attached with.
 * Each runs the app's callbacks on an RPC thread of the app process and replies when they have returned (replies
 * follow {@link ServiceReply}). The ability manager waits for each at most the OpenHarmony timeout of the
 * transition.
 */
public final class AppThreadProtocol
{
    /** The interface descriptor of an app-thread object. */
    public static final String DESCRIPTOR = "harmonia.ApplicationThread";
    /**
     * Creates (first time: onCreate) or re-targets (onNewWant) a UIAbility and brings it to the foreground
     * (onForeground): data = string abilityName, string srcEntry class, {@link Want}.
     */
    public static final int SCHEDULE_LAUNCH_ABILITY = 1;
    /** onForeground: data = string abilityName. */
    public static final int SCHEDULE_FOREGROUND = 2;
    /** onBackground: data = string abilityName. */
    public static final int SCHEDULE_BACKGROUND = 3;
    /** onBackground if needed, then onDestroy: data = string abilityName. */
    public static final int SCHEDULE_DESTROY = 4;
    /** The process's view: reply = int pid, int count, then count times (string abilityName, int state). */
    public static final int DUMP = 5;
    /**
     * One way: every ability is destroyed (onBackground if needed, onDestroy) and the process exits with status 0,
     * a normal JVM exit (the AOT training run ends this way, so the JVM writes what it recorded).
     */
    public static final int SCHEDULE_EXIT = 6;
    /**
     * Creates an extension instance and runs its onCreate: data = long recordId (the ability manager's, which names
     * the instance in every later request), string abilityName, string srcEntry class, int family
     * ({@link ExtensionAbilityType#wire()}), {@link Want}.
     */
    public static final int SCHEDULE_CREATE_EXTENSION = 7;
    /** onRequest: data = long recordId, {@link Want}, int startId. */
    public static final int SCHEDULE_COMMAND_EXTENSION = 8;
    /**
     * onConnect: data = long recordId, {@link Want}; reply after 0 = boolean whether it returned an object, then the
     * object.
     */
    public static final int SCHEDULE_CONNECT_EXTENSION = 9;
    /** onDisconnect: data = long recordId, {@link Want}. */
    public static final int SCHEDULE_DISCONNECT_EXTENSION = 10;
    /** onDestroy, and the instance is forgotten: data = long recordId. */
    public static final int SCHEDULE_DESTROY_EXTENSION = 11;

    /** OpenHarmony's foreground timeout: 5 units of 1 s. */
    public static final long FOREGROUND_TIMEOUT_MILLIS = 5_000;
    /** OpenHarmony's background timeout: 3 units of 1 s. */
    public static final long BACKGROUND_TIMEOUT_MILLIS = 3_000;
    /** OpenHarmony's terminate timeout: 10 units of 1 s. */
    public static final long TERMINATE_TIMEOUT_MILLIS = 10_000;
    /** OpenHarmony's inactive timeout (an extension's onCreate): 21 units of 1 s. */
    public static final long INACTIVE_TIMEOUT_MILLIS = 21_000;
    /** OpenHarmony's command timeout (onRequest): 21 units of 1 s. */
    public static final long COMMAND_TIMEOUT_MILLIS = 21_000;
    /** OpenHarmony's connect timeout (onConnect): 10 units of 1 s. */
    public static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    /** OpenHarmony's disconnect timeout (onDisconnect): 1 unit of 1 s. */
    public static final long DISCONNECT_TIMEOUT_MILLIS = 1_000;

    private AppThreadProtocol()
    {
    }
}
