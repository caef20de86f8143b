package io.harmonia.services.samgr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.samgr.wire.SamgrKey;

/**
 * Who listens for which key ({@link SamgrKey#all()} for every entry). Not thread-safe: the registry calls it under
 * its lock. A listener's process that dies takes its subscriptions with it.
 */
final class Subscriptions
{
    /** Most subscriptions one process may hold, over all its listeners and keys. */
    static final int MAX_PER_PROCESS = 1024;

    /** One listener object and the keys it listens for. */
    static final class Subscriber
    {
        final IRemoteObject listener;
        final int pid;
        final int uid;
        final Set<SamgrKey> keys = new LinkedHashSet<>();
        final DeathRecipient deathRecipient;

        Subscriber(final IRemoteObject listener, final int pid, final int uid, final DeathRecipient deathRecipient)
        {
            this.listener = listener;
            this.pid = pid;
            this.uid = uid;
            this.deathRecipient = deathRecipient;
        }
    }

    private final Map<SamgrKey, List<Subscriber>> byKey = new HashMap<>();
    private final Map<IRemoteObject, Subscriber> byListener = new IdentityHashMap<>();
    private final Map<Integer, Integer> perProcess = new HashMap<>();

    /** The subscriber of a listener object, or null. */
    Subscriber subscriber(final IRemoteObject listener)
    {
        return byListener.get(listener);
    }

    /** Registers a new listener object (no keys yet). */
    void addSubscriber(final Subscriber subscriber)
    {
        byListener.put(subscriber.listener, subscriber);
    }

    /**
     * Why a subscription cannot be added, or null when it can.
     */
    String refusal(final Subscriber subscriber, final SamgrKey key)
    {
        if (subscriber.keys.contains(key))
        {
            return null;
        }
        if (byKey.getOrDefault(key, List.of()).size() >= ServerConfig.MAX_LISTENERS_PER_KEY)
        {
            return "key " + key + " has " + ServerConfig.MAX_LISTENERS_PER_KEY + " listeners, the limit "
                + "(MAX_SUBSCRIBE_COUNT)";
        }
        if (perProcess.getOrDefault(subscriber.pid, 0) >= MAX_PER_PROCESS)
        {
            return "pid " + subscriber.pid + " holds " + MAX_PER_PROCESS + " subscriptions, the limit per process";
        }
        return null;
    }

    /** Adds a key to a subscriber; true when it is new. */
    boolean subscribe(final Subscriber subscriber, final SamgrKey key)
    {
        if (!subscriber.keys.add(key))
        {
            return false;
        }
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(subscriber);
        perProcess.merge(subscriber.pid, 1, Integer::sum);
        return true;
    }

    /**
     * Removes a key from a subscriber.
     *
     * @return true when it listened for it; a subscriber left without keys is dropped (the caller unregisters its
     *     death recipient when {@link #subscriber} no longer finds it).
     */
    boolean unsubscribe(final Subscriber subscriber, final SamgrKey key)
    {
        if (!subscriber.keys.remove(key))
        {
            return false;
        }
        forgetKey(subscriber, key);
        if (subscriber.keys.isEmpty())
        {
            byListener.remove(subscriber.listener);
        }
        return true;
    }

    /** Drops every subscription of a subscriber (its process died). */
    void drop(final Subscriber subscriber)
    {
        if (byListener.remove(subscriber.listener) != subscriber)
        {
            return;
        }
        for (final SamgrKey key : subscriber.keys)
        {
            forgetKey(subscriber, key);
        }
        subscriber.keys.clear();
    }

    private void forgetKey(final Subscriber subscriber, final SamgrKey key)
    {
        final List<Subscriber> listeners = byKey.get(key);
        if (null != listeners)
        {
            listeners.remove(subscriber);
            if (listeners.isEmpty())
            {
                byKey.remove(key);
            }
        }
        perProcess.computeIfPresent(subscriber.pid, (pid, count) -> count > 1 ? count - 1 : null);
    }

    /** The listeners to tell of an event on a key: those of the key, then those of every entry. */
    List<Subscriber> listenersOf(final SamgrKey key)
    {
        final List<Subscriber> listeners = new ArrayList<>(byKey.getOrDefault(key, List.of()));
        listeners.addAll(byKey.getOrDefault(SamgrKey.all(), List.of()));
        return listeners;
    }

    /** Listeners of exactly this key. */
    int countFor(final SamgrKey key)
    {
        return byKey.getOrDefault(key, List.of()).size();
    }

    /** Every subscription, for leak checks. */
    int size()
    {
        int total = 0;
        for (final List<Subscriber> listeners : byKey.values())
        {
            total += listeners.size();
        }
        return total;
    }
}
