package io.harmonia.services.samgr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import io.harmonia.samgr.wire.SamgrKey;

/**
 * GETs that wait for their key to be registered, each until its deadline. Not thread-safe: the registry calls it
 * under its lock, and completes the waiters' answers after releasing it.
 */
final class PendingLookups
{
    /** One waiting GET. */
    static final class Waiter
    {
        final SamgrKey key;
        final int pid;
        final int uid;
        final int timeoutMillis;
        final CompletableFuture<Outcome> answer = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        Waiter(final SamgrKey key, final int pid, final int uid, final int timeoutMillis)
        {
            this.key = key;
            this.pid = pid;
            this.uid = uid;
            this.timeoutMillis = timeoutMillis;
        }
    }

    private final Map<SamgrKey, List<Waiter>> byKey = new HashMap<>();
    private final Map<Integer, Integer> perProcess = new HashMap<>();
    private int total;

    /** Why another waiter of this process cannot be added, or null. */
    String refusal(final int pid, final ServerConfig config)
    {
        if (total >= config.maxPending())
        {
            return total + " lookups are waiting, the limit";
        }
        if (perProcess.getOrDefault(pid, 0) >= config.maxPendingPerProcess())
        {
            return "pid " + pid + " has " + config.maxPendingPerProcess() + " lookups waiting, the limit per process";
        }
        return null;
    }

    void add(final Waiter waiter)
    {
        byKey.computeIfAbsent(waiter.key, k -> new ArrayList<>()).add(waiter);
        perProcess.merge(waiter.pid, 1, Integer::sum);
        total++;
    }

    /** Takes every waiter of a key (it was just registered). */
    List<Waiter> take(final SamgrKey key)
    {
        final List<Waiter> waiters = byKey.remove(key);
        if (null == waiters)
        {
            return List.of();
        }
        for (final Waiter waiter : waiters)
        {
            forget(waiter);
        }
        return waiters;
    }

    /** Removes a waiter whose deadline passed; false when it was answered meanwhile. */
    boolean remove(final Waiter waiter)
    {
        final List<Waiter> waiters = byKey.get(waiter.key);
        if (null == waiters || !waiters.remove(waiter))
        {
            return false;
        }
        if (waiters.isEmpty())
        {
            byKey.remove(waiter.key);
        }
        forget(waiter);
        return true;
    }

    private void forget(final Waiter waiter)
    {
        perProcess.computeIfPresent(waiter.pid, (pid, count) -> count > 1 ? count - 1 : null);
        total--;
    }

    int size()
    {
        return total;
    }
}
