package io.harmonia.samgr.wire;

/**
 * The samgr wire protocol's numbers, stated once (the layouts are in {@code docs/protocols.md}, section "samgr",
 * and in {@link SamgrWriter} / {@link SamgrRequestDecoder}, which write and read them).
 *
 * <p>The samgr server publishes one RPC object; every request is a synchronous RPC call on it whose code is the
 * operation and whose body is IpcIo data. Every reply starts with an {@code int32} status ({@code EC_*} of
 * {@code ohos_errno.h}): 0 followed by the operation's results, or an error followed by a UTF-8 string that names
 * the field and the limit. Calls to an exported feature use the code {@code funcId + 1} on the provider's own
 * object, with the caller's IpcIo request as the body; their reply is also status first.
 */
public final class SamgrProtocol
{
    /** Where the samgr server listens unless configured otherwise: a socket file only root can create. */
    public static final String DEFAULT_ADDRESS = "/run/harmonia/samgr";
    /** The system property that overrides {@link #DEFAULT_ADDRESS} for clients and the server. */
    public static final String ADDRESS_PROPERTY = "harmonia.samgr.address";
    /** The environment variable that overrides {@link #DEFAULT_ADDRESS} when the property is not set. */
    public static final String ADDRESS_ENV = "HARMONIA_SAMGR_ADDRESS";
    /** The descriptor of the server's object. */
    public static final String SERVER_DESCRIPTOR = "harmonia.samgr";

    /** Registers a provider's object under a key. */
    public static final int ADD = 1;
    /** Looks a key up; waits up to a deadline (0: answers at once). */
    public static final int GET = 2;
    /** Withdraws a key (only its provider's process may). */
    public static final int REMOVE = 3;
    /** Adds a listener told when a key appears or goes. */
    public static final int SUBSCRIBE = 4;
    /** Removes a listener. */
    public static final int UNSUBSCRIBE = 5;
    /** Describes entries: providers, policy, clients, counts. */
    public static final int DUMP = 6;

    /** Listener call (one way): a key was registered. */
    public static final int ON_ADDED = 1;
    /** Listener call (one way): a key was withdrawn or its provider died. */
    public static final int ON_REMOVED = 2;

    /** Key kind: every entry (SUBSCRIBE, UNSUBSCRIBE and DUMP only). */
    public static final int KIND_ALL = 0;
    /** Key kind: a system ability by number (OpenHarmony's standard samgr). */
    public static final int KIND_ABILITY = 1;
    /** Key kind: a samgr_lite service and optional feature by name. */
    public static final int KIND_FEATURE = 2;

    /** The lowest system ability id ({@code FIRST_SYS_ABILITY_ID}). */
    public static final int MIN_ABILITY_ID = 0;
    /** The highest system ability id ({@code LAST_SYS_ABILITY_ID}). */
    public static final int MAX_ABILITY_ID = 0x00FFFFFF;
    /** Longest service or feature name in UTF-8 bytes ("less than 16 bytes"). */
    public static final int MAX_NAME_BYTES = 15;
    /** Longest wait of a GET, in milliseconds. */
    public static final int MAX_TIMEOUT_MILLIS = 60_000;
    /** Longest error detail in a reply, in UTF-8 bytes. */
    public static final int MAX_DETAIL_BYTES = 512;

    /** Removal reason in ON_REMOVED: the provider withdrew it. */
    public static final int REMOVED_WITHDRAWN = 0;
    /** Removal reason in ON_REMOVED: the provider's process died. */
    public static final int REMOVED_PROVIDER_DIED = 1;

    /** The highest funcId a feature call can carry (its code is {@code funcId + 1}). */
    public static final int MAX_FUNC_ID = 0x00FFFFFD;
    /** The code on a feature's object that answers its call counts (not a funcId). */
    public static final int STATS_CODE = 0x00FFFFFF;

    private SamgrProtocol()
    {
    }

    /**
     * The RPC code that carries a funcId.
     *
     * @param funcId 0..{@value #MAX_FUNC_ID}.
     * @return {@code funcId + 1}.
     */
    public static int codeOfFuncId(final int funcId)
    {
        return funcId + 1;
    }

    /**
     * The funcId an RPC code carries.
     *
     * @param code 1..{@value #MAX_FUNC_ID} + 1.
     * @return {@code code - 1}.
     */
    public static int funcIdOfCode(final int code)
    {
        return code - 1;
    }

    /**
     * Whether a funcId can travel.
     *
     * @param funcId the function.
     * @return true for 0..{@value #MAX_FUNC_ID}.
     */
    public static boolean isValidFuncId(final int funcId)
    {
        return funcId >= 0 && funcId <= MAX_FUNC_ID;
    }

    /**
     * The server address this process uses: the {@value #ADDRESS_PROPERTY} property, else the
     * {@value #ADDRESS_ENV} environment variable, else {@link #DEFAULT_ADDRESS}.
     *
     * @return a path, or {@code @name} for an abstract address.
     */
    public static String configuredAddress()
    {
        final String property = System.getProperty(ADDRESS_PROPERTY);
        if (null != property && !property.isBlank())
        {
            return property;
        }
        final String env = System.getenv(ADDRESS_ENV);
        return null != env && !env.isBlank() ? env : DEFAULT_ADDRESS;
    }
}
