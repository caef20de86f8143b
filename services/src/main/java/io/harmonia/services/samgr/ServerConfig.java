package io.harmonia.services.samgr;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.SamgrKey;

/**
 * What the samgr server enforces, fixed when it starts.
 *
 * @param maxSystemUid  the highest uid that may register (system accounts on Linux are 0..999, {@code SYS_UID_MAX});
 *                      -1 lets only {@code registerUids} register.
 * @param registerUids  further uids that may register (e.g. a foundation uid above the system range).
 * @param policies      configured rules per key; they win over the rules a provider declares.
 * @param maxEntries    the most registered entries at once.
 * @param maxPending    the most GETs waiting for their key at once (all callers).
 * @param maxPendingPerProcess the most waiting GETs of one process.
 */
public record ServerConfig(int maxSystemUid, Set<Integer> registerUids, Map<SamgrKey, List<AccessPolicy>> policies,
    int maxEntries, int maxPending, int maxPendingPerProcess)
{
    /** The system-account range's top on Linux ({@code SYS_UID_MAX} in login.defs). */
    public static final int DEFAULT_MAX_SYSTEM_UID = 999;
    /** Entries at once: samgr_lite's {@code MAX_SERVICE_NUM}. */
    public static final int DEFAULT_MAX_ENTRIES = 0x7FF0;
    /** Listeners per key: OpenHarmony's {@code MAX_SUBSCRIBE_COUNT}. */
    public static final int MAX_LISTENERS_PER_KEY = 256;
    /** Processes remembered per entry as its clients (the most recent). */
    public static final int MAX_CLIENTS_PER_ENTRY = 64;

    /** Copies the collections. */
    public ServerConfig
    {
        registerUids = Set.copyOf(registerUids);
        policies = Map.copyOf(policies);
    }

    /**
     * The defaults: uids 0..999 register, no configured rules.
     *
     * @return the configuration.
     */
    public static ServerConfig defaults()
    {
        return new ServerConfig(DEFAULT_MAX_SYSTEM_UID, Set.of(), Map.of(), DEFAULT_MAX_ENTRIES, 1024, 64);
    }

    /**
     * Whether a uid may register entries (OpenHarmony lets only system service uids register).
     *
     * @param uid the caller's kernel uid.
     * @return true for a system uid or a listed one.
     */
    public boolean mayRegister(final int uid)
    {
        return (uid >= 0 && uid <= maxSystemUid) || registerUids.contains(uid);
    }

    /**
     * Who may register, in words, for refusals.
     *
     * @return e.g. "uids 0..999".
     */
    public String whoMayRegister()
    {
        final String range = maxSystemUid >= 0 ? "uids 0.." + maxSystemUid : "no uid range";
        return registerUids.isEmpty() ? range : range + " and " + registerUids;
    }
}
