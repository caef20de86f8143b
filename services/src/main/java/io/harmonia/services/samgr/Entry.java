package io.harmonia.services.samgr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.EntryInfo;
import io.harmonia.samgr.wire.SamgrKey;

/**
 * One registration: the provider's object and kernel identity, the rules in force, and what happened to it since
 * (lookups, refusals, the processes that looked it up). Mutable fields change under the registry's lock.
 */
final class Entry
{
    final SamgrKey key;
    final IRemoteObject object;
    final int providerPid;
    final int providerUid;
    final List<AccessPolicy> policies;
    final long registeredAt = System.currentTimeMillis();
    /** Removes the entry when the provider's process dies; registered once the entry is in the map. */
    final DeathRecipient deathRecipient;
    long lookups;
    long refusals;
    /** The processes that looked it up, least recent first, at most {@link ServerConfig#MAX_CLIENTS_PER_ENTRY}. */
    private final LinkedHashMap<Integer, long[]> clients = new LinkedHashMap<>(16, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<Integer, long[]> eldest)
        {
            return size() > ServerConfig.MAX_CLIENTS_PER_ENTRY;
        }
    };

    Entry(final SamgrKey key, final IRemoteObject object, final int providerPid, final int providerUid,
        final List<AccessPolicy> policies, final java.util.function.Consumer<Entry> onDeath)
    {
        this.key = key;
        this.object = object;
        this.providerPid = providerPid;
        this.providerUid = providerUid;
        this.policies = List.copyOf(policies);
        this.deathRecipient = () -> onDeath.accept(this);
    }

    /** Counts a successful lookup by a process: {uid, lookups} per pid. */
    void lookedUpBy(final int pid, final int uid)
    {
        lookups++;
        final long[] client = clients.computeIfAbsent(pid, p -> new long[] {uid, 0});
        client[0] = uid;
        client[1]++;
    }

    /** What DUMP says of it; drops clients whose process has ended. */
    EntryInfo describe(final int subscribers, final long calls)
    {
        clients.keySet().removeIf(pid -> ProcessHandle.of(pid).isEmpty());
        final List<EntryInfo.ClientInfo> list = new ArrayList<>(clients.size());
        for (final Map.Entry<Integer, long[]> client : clients.entrySet())
        {
            list.add(new EntryInfo.ClientInfo(client.getKey(), (int)client.getValue()[0], client.getValue()[1]));
        }
        return new EntryInfo(key, providerPid, providerUid, policies, registeredAt, lookups, refusals, subscribers,
            calls, List.copyOf(list));
    }
}
