package io.harmonia.ability;

/**
 * OpenHarmony's ability error codes (ability_business_error.h) that the ability manager, app processes and the
 * callers' API use. A refused or failed request carries one of them, in an {@link AbilityException} (a future that
 * completes exceptionally) or in {@link ConnectOptions#onFailed}.
 */
public final class AbilityErrors
{
    /** The caller lacks a permission (also: a third-party caller that is not focused in the foreground). */
    public static final int PERMISSION_DENIED = 201;
    /** A system API called by an app that is not a system app. */
    public static final int NOT_SYSTEM_APP = 202;
    /** A parameter is malformed. */
    public static final int INVALID_PARAMETER = 401;
    /** The device does not support the capability (AppServiceExtensionAbility off a 2-in-1 device). */
    public static final int CAPABILITY_NOT_SUPPORTED = 801;
    /** The specified ability does not exist ("resolve ability failed"). */
    public static final int RESOLVE_FAILED = 16000001;
    /** Incorrect ability type. */
    public static final int WRONG_TYPE = 16000002;
    /** The caller may not start an invisible (exported=false) ability of another bundle. */
    public static final int INVISIBLE = 16000004;
    /** The context does not exist. */
    public static final int CONTEXT_NOT_EXIST = 16000011;
    /** Internal error (a process failed to start or attach, a callback threw, a timeout, an unknown connection). */
    public static final int INNER = 16000050;
    /** The caller is not in the appIdentifierAllowList of the target application (AppService start and stop). */
    public static final int NOT_IN_ALLOW_LIST = 16000200;
    /** The target service has not been started yet (AppService connect by a caller the allow-list does not name). */
    public static final int TARGET_NOT_STARTED = 16000201;

    private AbilityErrors()
    {
    }
}
