package io.harmonia.samgr.wire;

import java.util.List;

import io.harmonia.samgr.registry.AccessPolicy;

/**
 * One registry entry as DUMP describes it.
 *
 * @param key          what it is registered under.
 * @param providerPid  the registering process (kernel pid).
 * @param providerUid  its uid (kernel, unsigned).
 * @param policies     the rules in force (empty: every caller).
 * @param registeredAt when it was registered, milliseconds since the epoch.
 * @param lookups      successful GETs of it.
 * @param refusals     GETs of it refused by the policy.
 * @param subscribers  listeners for this key (not counting those for every entry).
 * @param calls        feature calls its provider handled, or -1 when not asked (lists, system abilities).
 * @param clients      the processes that looked it up, most recent last.
 */
public record EntryInfo(SamgrKey key, int providerPid, int providerUid, List<AccessPolicy> policies,
    long registeredAt, long lookups, long refusals, int subscribers, long calls, List<ClientInfo> clients)
{
    /**
     * A process that looked an entry up.
     *
     * @param pid     its kernel pid.
     * @param uid     its kernel uid.
     * @param lookups its successful GETs of the entry.
     */
    public record ClientInfo(int pid, int uid, long lookups)
    {
    }
}
