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
     * How long a client waits for a start. The ability manager enforces OpenHarmony's timeouts itself (load 10 s,
     * foreground 5 s, times its timeout ratio) and always answers; this only guards against a manager that hangs.
     */
    public static final long START_WAIT_MILLIS = 180_000;

    private AbilityManagerProtocol()
    {
    }
}
