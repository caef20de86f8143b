package io.harmonia.services.samgr;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteProxy;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.EntryInfo;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrRequest;

/**
 * The samgr server's registry (samgr_lite's {@code samgr_server} store and the system ability map of the standard
 * samgr): entries by key, with their providers' objects and kernel identities, the rules in force, waiting lookups
 * and subscriptions.
 *
 * <p><b>Rules.</b> Only a system uid registers ({@link ServerConfig#mayRegister}); a key belongs to the process that
 * registered it until that process withdraws it or dies (another process's ADD is refused {@code EC_INVALID}); a
 * lookup is answered only when the entry's rules let the caller's kernel uid in (else {@code EC_PERMISSION}, an
 * explicit answer); only the registering process removes. The rules in force are the server's configured ones for
 * the key, else the provider's, else every caller.
 *
 * <p><b>Threads.</b> Requests arrive on RPC threads; one lock guards the registry, the subscriptions and the
 * waiting lookups, and nothing is called while it is held: answers complete, death recipients are registered and
 * provider statistics are asked for after it is released, and listeners are told by the {@link Notifier}'s thread in
 * the order the events happened. A provider's death (its object's death recipient) removes its entries at once.
 */
final class Registry
{
    private static final System.Logger LOG = System.getLogger(Registry.class.getName());
    private static final long STATS_WAIT_MILLIS = 500;

    private final ServerConfig config;
    private final Notifier notifier = new Notifier();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "harmonia-samgr-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Map<SamgrKey, Entry> entries = new HashMap<>();
    /** Guarded by lock. */
    private final Subscriptions subscriptions = new Subscriptions();
    /** Guarded by lock. */
    private final PendingLookups pending = new PendingLookups();

    Registry(final ServerConfig config)
    {
        this.config = config;
    }

    /**
     * Handles a decoded request from a caller.
     *
     * @return the answer; completes later only for a GET that waits.
     */
    CompletableFuture<Outcome> handle(final SamgrRequest request, final CallingIdentity caller)
    {
        return switch (request)
        {
            case SamgrRequest.Add add -> CompletableFuture.completedFuture(add(add, caller));
            case SamgrRequest.Get get -> get(get, caller);
            case SamgrRequest.Remove remove -> CompletableFuture.completedFuture(remove(remove.key(), caller));
            case SamgrRequest.Subscribe subscribe -> CompletableFuture.completedFuture(subscribe(subscribe, caller));
            case SamgrRequest.Unsubscribe unsubscribe -> CompletableFuture.completedFuture(unsubscribe(unsubscribe));
            case SamgrRequest.Dump dump -> CompletableFuture.completedFuture(dump(dump.key()));
        };
    }

    // ---- ADD ----

    private Outcome add(final SamgrRequest.Add request, final CallingIdentity caller)
    {
        final SamgrKey key = request.key();
        if (!config.mayRegister(caller.uid()))
        {
            LOG.log(Level.WARNING, "refused ADD " + key + " from pid " + caller.pid() + " uid "
                + Integer.toUnsignedString(caller.uid()) + ": not a system uid");
            return Outcome.failed(ErrorCode.EC_PERMISSION, "uid " + Integer.toUnsignedString(caller.uid())
                + " may not register " + key + ": only system services register (" + config.whoMayRegister() + ")");
        }
        if (!(request.object() instanceof RemoteProxy))
        {
            return Outcome.failed(ErrorCode.EC_INVALID, "field 'object' of ADD " + key
                + " must be an object of the registering process");
        }
        final List<AccessPolicy> configured = config.policies().get(key);
        final List<AccessPolicy> inForce = null != configured ? configured
            : request.policies().isEmpty() ? List.of(AccessPolicy.all()) : request.policies();
        final Entry entry = new Entry(key, request.object(), caller.pid(), caller.uid(), inForce, this::providerDied);
        final List<PendingLookups.Waiter> waiters;
        final Entry replaced;
        synchronized (lock)
        {
            final Entry existing = entries.get(key);
            if (null != existing && existing.providerPid != caller.pid() && !existing.object.isObjectDead())
            {
                return Outcome.failed(ErrorCode.EC_INVALID, key + " is registered by pid " + existing.providerPid
                    + "; a key belongs to one process until it withdraws it or dies");
            }
            if (null == existing && entries.size() >= config.maxEntries())
            {
                return Outcome.failed(ErrorCode.EC_NORESOURCE, "the registry holds " + entries.size()
                    + " entries, the limit; cannot add " + key);
            }
            replaced = existing;
            if (null != existing)
            {
                announceRemovalLocked(existing, existing.object.isObjectDead()
                    ? SamgrProtocol.REMOVED_PROVIDER_DIED : SamgrProtocol.REMOVED_WITHDRAWN);
            }
            entries.put(key, entry);
            for (final Subscriptions.Subscriber subscriber : subscriptions.listenersOf(key))
            {
                if (AccessPolicy.allows(inForce, subscriber.uid))
                {
                    notifier.added(subscriber.listener, key, entry.providerPid);
                }
            }
            waiters = pending.take(key);
            for (final PendingLookups.Waiter waiter : waiters)
            {
                if (AccessPolicy.allows(inForce, waiter.uid))
                {
                    entry.lookedUpBy(waiter.pid, waiter.uid);
                }
                else
                {
                    entry.refusals++;
                }
            }
        }
        if (null != replaced)
        {
            replaced.object.unregisterDeathRecipient(replaced.deathRecipient, 0);
        }
        watch(entry);
        for (final PendingLookups.Waiter waiter : waiters)
        {
            waiter.timeout.cancel(false);
            waiter.answer.complete(AccessPolicy.allows(inForce, waiter.uid) ? Outcome.found(entry.object)
                : refusal(entry, waiter.uid));
        }
        LOG.log(Level.DEBUG, () -> "ADD " + key + " by pid " + caller.pid() + ", policy " + inForce);
        return Outcome.added(inForce);
    }

    /** Starts watching a new entry's provider; an object already dead leaves at once. */
    private void watch(final Entry entry)
    {
        try
        {
            entry.object.registerDeathRecipient(entry.deathRecipient, 0);
        }
        catch (final RpcException alreadyDead)
        {
            providerDied(entry);
        }
    }

    /** A provider's object died: its entry leaves and its listeners are told, at once. */
    private void providerDied(final Entry entry)
    {
        synchronized (lock)
        {
            if (entries.get(entry.key) != entry)
            {
                return;
            }
            entries.remove(entry.key);
            announceRemovalLocked(entry, SamgrProtocol.REMOVED_PROVIDER_DIED);
        }
        LOG.log(Level.INFO, "provider pid " + entry.providerPid + " of " + entry.key + " died; entry removed");
    }

    private void announceRemovalLocked(final Entry entry, final int reason)
    {
        for (final Subscriptions.Subscriber subscriber : subscriptions.listenersOf(entry.key))
        {
            if (AccessPolicy.allows(entry.policies, subscriber.uid))
            {
                notifier.removed(subscriber.listener, entry.key, entry.providerPid, reason);
            }
        }
    }

    // ---- GET ----

    private CompletableFuture<Outcome> get(final SamgrRequest.Get request, final CallingIdentity caller)
    {
        final SamgrKey key = request.key();
        final PendingLookups.Waiter waiter;
        synchronized (lock)
        {
            final Entry entry = entries.get(key);
            if (null != entry && !entry.object.isObjectDead())
            {
                if (!AccessPolicy.allows(entry.policies, caller.uid()))
                {
                    entry.refusals++;
                    return CompletableFuture.completedFuture(refusal(entry, caller.uid()));
                }
                entry.lookedUpBy(caller.pid(), caller.uid());
                return CompletableFuture.completedFuture(Outcome.found(entry.object));
            }
            if (0 == request.timeoutMillis())
            {
                return CompletableFuture.completedFuture(Outcome.failed(ErrorCode.EC_NOSERVICE, "nothing is registered under "
                    + key));
            }
            final String refusal = pending.refusal(caller.pid(), config);
            if (null != refusal)
            {
                return CompletableFuture.completedFuture(Outcome.failed(ErrorCode.EC_NORESOURCE, "GET " + key
                    + " cannot wait: " + refusal));
            }
            waiter = new PendingLookups.Waiter(key, caller.pid(), caller.uid(), request.timeoutMillis());
            pending.add(waiter);
            waiter.timeout = timer.schedule(() -> expire(waiter), request.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
        return waiter.answer;
    }

    private void expire(final PendingLookups.Waiter waiter)
    {
        synchronized (lock)
        {
            if (!pending.remove(waiter))
            {
                return;
            }
        }
        waiter.answer.complete(Outcome.failed(ErrorCode.EC_TIMEOUT, waiter.key + " was not registered within "
            + waiter.timeoutMillis + " ms"));
    }

    private static Outcome refusal(final Entry entry, final int uid)
    {
        LOG.log(Level.INFO, () -> "refused GET " + entry.key + " to uid " + Integer.toUnsignedString(uid)
            + ": policy " + entry.policies);
        return Outcome.failed(ErrorCode.EC_PERMISSION, "uid " + Integer.toUnsignedString(uid) + " may not use "
            + entry.key + " (policy " + entry.policies + ")");
    }

    // ---- REMOVE ----

    private Outcome remove(final SamgrKey key, final CallingIdentity caller)
    {
        final Entry entry;
        synchronized (lock)
        {
            entry = entries.get(key);
            if (null == entry)
            {
                return Outcome.failed(ErrorCode.EC_NOSERVICE, "nothing is registered under " + key);
            }
            if (entry.providerPid != caller.pid())
            {
                return Outcome.failed(ErrorCode.EC_PERMISSION, key + " is registered by pid " + entry.providerPid
                    + "; only that process may remove it");
            }
            entries.remove(key);
            announceRemovalLocked(entry, SamgrProtocol.REMOVED_WITHDRAWN);
        }
        entry.object.unregisterDeathRecipient(entry.deathRecipient, 0);
        return Outcome.DONE;
    }

    // ---- SUBSCRIBE, UNSUBSCRIBE ----

    private Outcome subscribe(final SamgrRequest.Subscribe request, final CallingIdentity caller)
    {
        if (!(request.listener() instanceof RemoteProxy))
        {
            return Outcome.failed(ErrorCode.EC_INVALID, "field 'listener' must be an object of the subscribing process");
        }
        final SamgrKey key = request.key();
        Subscriptions.Subscriber fresh = null;
        synchronized (lock)
        {
            Subscriptions.Subscriber subscriber = subscriptions.subscriber(request.listener());
            if (null == subscriber)
            {
                final Subscriptions.Subscriber[] self = new Subscriptions.Subscriber[1];
                subscriber = new Subscriptions.Subscriber(request.listener(), caller.pid(), caller.uid(),
                    () -> listenerDied(self[0]));
                self[0] = subscriber;
            }
            final String refusal = subscriptions.refusal(subscriber, key);
            if (null != refusal)
            {
                return Outcome.failed(ErrorCode.EC_NORESOURCE, "SUBSCRIBE " + key + ": " + refusal);
            }
            if (null == subscriptions.subscriber(request.listener()))
            {
                subscriptions.addSubscriber(subscriber);
                fresh = subscriber;
            }
            if (subscriptions.subscribe(subscriber, key))
            {
                for (final Entry entry : entries.values())
                {
                    if ((SamgrProtocol.KIND_ALL == key.kind() || entry.key.equals(key))
                        && AccessPolicy.allows(entry.policies, subscriber.uid))
                    {
                        notifier.added(subscriber.listener, entry.key, entry.providerPid);
                    }
                }
            }
        }
        if (null != fresh)
        {
            try
            {
                fresh.listener.registerDeathRecipient(fresh.deathRecipient, 0);
            }
            catch (final RpcException alreadyDead)
            {
                listenerDied(fresh);
            }
        }
        return Outcome.DONE;
    }

    private void listenerDied(final Subscriptions.Subscriber subscriber)
    {
        synchronized (lock)
        {
            subscriptions.drop(subscriber);
        }
    }

    private Outcome unsubscribe(final SamgrRequest.Unsubscribe request)
    {
        final Subscriptions.Subscriber subscriber;
        synchronized (lock)
        {
            subscriber = subscriptions.subscriber(request.listener());
            if (null == subscriber || !subscriptions.unsubscribe(subscriber, request.key()))
            {
                return Outcome.failed(ErrorCode.EC_NOSERVICE, "the listener is not subscribed to " + request.key());
            }
            if (null != subscriptions.subscriber(request.listener()))
            {
                return Outcome.DONE;
            }
        }
        subscriber.listener.unregisterDeathRecipient(subscriber.deathRecipient, 0);
        return Outcome.DONE;
    }

    // ---- DUMP ----

    private Outcome dump(final SamgrKey key)
    {
        final List<Entry> matched = new ArrayList<>();
        final List<EntryInfo> infos = new ArrayList<>();
        synchronized (lock)
        {
            if (SamgrProtocol.KIND_ALL == key.kind())
            {
                matched.addAll(entries.values());
                matched.sort(Comparator.comparing((Entry e) -> e.key.kind()).thenComparingInt(e -> e.key.abilityId())
                    .thenComparing(e -> e.key.toString()));
            }
            else
            {
                final Entry entry = entries.get(key);
                if (null == entry)
                {
                    return Outcome.failed(ErrorCode.EC_NOSERVICE, "nothing is registered under " + key);
                }
                matched.add(entry);
            }
            for (final Entry entry : matched)
            {
                infos.add(entry.describe(subscriptions.countFor(entry.key), -1));
            }
        }
        if (1 == matched.size() && SamgrProtocol.KIND_FEATURE == key.kind())
        {
            final EntryInfo info = infos.get(0);
            infos.set(0, new EntryInfo(info.key(), info.providerPid(), info.providerUid(), info.policies(),
                info.registeredAt(), info.lookups(), info.refusals(), info.subscribers(), callsOf(matched.get(0)),
                info.clients()));
        }
        return Outcome.dumped(infos);
    }

    /** Asks a feature's provider how many calls it handled (its endpoint answers STATS_CODE); -1 if it does not. */
    private static long callsOf(final Entry entry)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final MessageOption option = new MessageOption();
            option.setWaitTimeMillis(STATS_WAIT_MILLIS);
            entry.object.sendMessageRequestSync(SamgrProtocol.STATS_CODE, data, reply, option);
            return 0 == reply.readInt() ? reply.readLong() : -1;
        }
        catch (final RpcException unanswered)
        {
            return -1;
        }
    }

    // ---- introspection and shutdown ----

    /** Entries, subscriptions and waiting lookups: what must return to 0 when clients go (leak checks). */
    int[] sizes()
    {
        synchronized (lock)
        {
            return new int[] {entries.size(), subscriptions.size(), pending.size(), notifier.backlog()};
        }
    }

    void stop()
    {
        notifier.stop();
        timer.shutdownNow();
    }
}
