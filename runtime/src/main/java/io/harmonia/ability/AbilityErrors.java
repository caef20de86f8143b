package io.harmonia.ability;

/** OpenHarmony's ability error codes (ability_business_error.h) that the ability manager and app processes use. */
public final class AbilityErrors
{
    /** The specified ability does not exist ("resolve ability failed"). */
    public static final int RESOLVE_FAILED = 16000001;
    /** Incorrect ability type. */
    public static final int WRONG_TYPE = 16000002;
    /** The caller may not start an invisible (exported=false) ability of another bundle. */
    public static final int INVISIBLE = 16000004;
    /** The context does not exist. */
    public static final int CONTEXT_NOT_EXIST = 16000011;
    /** Internal error (a process failed to start or attach, a callback threw, a timeout). */
    public static final int INNER = 16000050;

    private AbilityErrors()
    {
    }
}
