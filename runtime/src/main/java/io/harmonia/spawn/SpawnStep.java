package io.harmonia.spawn;

/**
 * Where a spawn failed: the {@code hm_spawn_step} values of {@code harmonia/spawn.h}, with the same numbers and
 * names. A negative reply is {@code -(step << 16 | detail)}; see {@link SpawnException}.
 */
public enum SpawnStep
{
    /** The daemon itself, before or around the child: the detail is an errno (timeout, crash, fork, table full). */
    DAEMON(0, "daemon"),
    /** The request broke a rule: the detail is a {@link RequestField}. */
    REQUEST(1, "request"),
    /** Resetting signal dispositions and the mask. */
    SIGNALS(2, "signals"),
    /** Closing inherited fds. */
    FDS(3, "fds"),
    /** The new session. */
    SETSID(4, "setsid"),
    /** umask 0077 and the soft RLIMIT_NOFILE. */
    LIMITS(5, "limits"),
    /** The process name. */
    NAME(6, "name"),
    /** Supplementary groups. */
    SETGROUPS(7, "setgroups"),
    /** The gid. */
    SETRESGID(8, "setresgid"),
    /** The uid, with capabilities kept. */
    SETRESUID(9, "setresuid"),
    /** capset, bounding set, ambient set. */
    CAPABILITIES(10, "capabilities"),
    /** The SELinux label. */
    SELINUX(11, "selinux"),
    /** Entering dataDir (or "/") as the app. */
    WORKDIR(12, "workdir"),
    /** The environment: exactly PATH and the access token id. */
    ENVIRONMENT(13, "environment"),
    /** PR_SET_NO_NEW_PRIVS. */
    NO_NEW_PRIVS(14, "no_new_privs"),
    /** Cold start: executing the launcher. */
    EXEC(15, "exec"),
    /** Loading soPath. */
    LOAD(16, "load"),
    /** Finding the entry symbol in soPath. */
    ENTRY(17, "entry"),
    /** The success report (never a failure). */
    READY(18, "ready");

    private final int code;
    private final String cName;

    SpawnStep(final int code, final String cName)
    {
        this.code = code;
        this.cName = cName;
    }

    /**
     * The C value.
     *
     * @return the step number.
     */
    public int code()
    {
        return code;
    }

    /**
     * The name {@code hm_spawn_step_name} gives this step.
     *
     * @return the stable lower-case name.
     */
    public String cName()
    {
        return cName;
    }

    /**
     * The step of a C value.
     *
     * @param code a step number.
     * @return the step, or null for a number this version does not know.
     */
    public static SpawnStep of(final int code)
    {
        for (final SpawnStep step : values())
        {
            if (step.code == code)
            {
                return step;
            }
        }
        return null;
    }
}
