package io.harmonia.samgr.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.harmonia.rpc.CallFailure;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.EntryInfo;
import io.harmonia.samgr.wire.SamgrDecoder;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrProtocolException;
import io.harmonia.samgr.wire.SamgrWriter;

/**
 * Registration and discovery through the samgr server (samgr_lite's {@code samgr_client}, and the system ability
 * calls of OpenHarmony's standard samgr): add, look up (at once or with a deadline), remove, subscribe, dump.
 *
 * <p><b>Identity.</b> The server judges every call by this process's kernel uid and pid; nothing in a request names
 * the caller. Registering needs a system uid (see the server's documentation); looking up needs the entry's policy
 * to let this uid in; removing needs to be the process that registered.
 *
 * <p><b>Errors.</b> A refusal throws {@link SamgrException} with the server's {@code EC_*} code and its detail
 * (which names the field and the limit): {@link ErrorCode#EC_PERMISSION}, {@link ErrorCode#EC_INVALID},
 * {@link ErrorCode#EC_NORESOURCE}. "Not there" is not an error: lookups answer null and removals false. A server that
 * cannot be reached or dies mid-call is {@link ErrorCode#EC_COMMU} ({@link ErrorCode#EC_TIMEOUT} when it did not
 * answer in time); the next call reconnects. Arguments over a limit throw {@link IllegalArgumentException} before
 * anything is sent.
 *
 * <p><b>Threads.</b> Thread-safe; every call blocks its thread only, for at most its deadline plus the server's
 * answer time ({@link #setCallTimeoutMillis}, 5 s by default).
 */
public final class SamgrClient
{
    private final String address;
    private final ConcurrentHashMap<SamgrListener, ListenerStub> listeners = new ConcurrentHashMap<>();
    private volatile IRemoteObject server;
    private volatile long callTimeoutMillis = 5_000;

    private SamgrClient(final String address, final IRemoteObject server)
    {
        this.address = address;
        this.server = server;
    }

    /**
     * Connects to the samgr server at the configured address ({@link SamgrProtocol#configuredAddress()}).
     *
     * @return the client.
     * @throws SamgrException {@link ErrorCode#EC_COMMU} when no server answers there.
     */
    public static SamgrClient connect()
    {
        return connect(SamgrProtocol.configuredAddress(), 5_000);
    }

    /**
     * Connects to a samgr server.
     *
     * @param address       its address (a path, or {@code @name}).
     * @param timeoutMillis the longest wait for it to answer.
     * @return the client.
     * @throws SamgrException {@link ErrorCode#EC_COMMU} when no server answers there.
     */
    public static SamgrClient connect(final String address, final long timeoutMillis)
    {
        Objects.requireNonNull(address, "address");
        return new SamgrClient(address, reach(address, timeoutMillis));
    }

    private static IRemoteObject reach(final String address, final long timeoutMillis)
    {
        try
        {
            return IPCSkeleton.connect(address, timeoutMillis);
        }
        catch (final RpcException unreachable)
        {
            throw new SamgrException(ErrorCode.EC_COMMU, "no samgr server answers at " + address + ": "
                + unreachable.getMessage(), unreachable);
        }
    }

    /**
     * Where the server is.
     *
     * @return its address.
     */
    public String address()
    {
        return address;
    }

    /**
     * The server's object (a proxy): register a death recipient on it to hear of the server's end.
     *
     * @return the current proxy.
     */
    public IRemoteObject server()
    {
        return server;
    }

    /**
     * Sets how long a call waits for the server's answer on top of its own deadline.
     *
     * @param millis 1..3,000,000.
     */
    public void setCallTimeoutMillis(final long millis)
    {
        if (millis < 1 || millis > MessageOption.MAX_WAIT_TIME * 1000L)
        {
            throw new IllegalArgumentException("call timeout " + millis + " ms must be 1.."
                + MessageOption.MAX_WAIT_TIME * 1000L);
        }
        callTimeoutMillis = millis;
    }

    // ---- generic operations ----

    /**
     * Registers an object ({@link SamgrProtocol#ADD}).
     *
     * @param key      an ability or a feature.
     * @param object   the object consumers will call (an object of this process).
     * @param policies who may look it up; empty lets the server decide (its configured rules, else every caller).
     * @return the rules in force for it.
     * @throws SamgrException when refused: {@link ErrorCode#EC_PERMISSION} (not a system uid),
     *                        {@link ErrorCode#EC_INVALID} (taken by another process, or malformed),
     *                        {@link ErrorCode#EC_NORESOURCE} (the registry is full).
     */
    public List<AccessPolicy> add(final SamgrKey key, final IRemoteObject object, final List<AccessPolicy> policies)
    {
        requireEntryKey(key);
        Objects.requireNonNull(object, "object");
        if (policies.size() > AccessPolicy.MAX_POLICIES)
        {
            throw new IllegalArgumentException(policies.size() + " policies, at most " + AccessPolicy.MAX_POLICIES);
        }
        return call(SamgrProtocol.ADD, key, data -> SamgrWriter.add(data, key, object, policies), 0,
            SamgrDecoder::readPolicies);
    }

    /**
     * Looks an entry up without waiting ({@code CheckSystemAbility}).
     *
     * @param key an ability or a feature.
     * @return its object, or null when nothing is registered under the key.
     * @throws SamgrException {@link ErrorCode#EC_PERMISSION} when its policy does not let this uid in.
     */
    public IRemoteObject check(final SamgrKey key)
    {
        return get(key, 0);
    }

    /**
     * Looks an entry up, waiting up to a deadline for it to appear ({@code GetSystemAbility} with a deadline, where
     * OpenHarmony retries for about a second and Android forever).
     *
     * @param key           an ability or a feature.
     * @param timeoutMillis 0..{@value SamgrProtocol#MAX_TIMEOUT_MILLIS}; 0 answers at once.
     * @return its object, or null when nothing was registered under the key in time.
     * @throws SamgrException {@link ErrorCode#EC_PERMISSION} when its policy does not let this uid in.
     */
    public IRemoteObject get(final SamgrKey key, final int timeoutMillis)
    {
        requireEntryKey(key);
        if (timeoutMillis < 0 || timeoutMillis > SamgrProtocol.MAX_TIMEOUT_MILLIS)
        {
            throw new IllegalArgumentException("timeout " + timeoutMillis + " ms must be 0.."
                + SamgrProtocol.MAX_TIMEOUT_MILLIS);
        }
        try
        {
            return call(SamgrProtocol.GET, key, data -> SamgrWriter.get(data, key, timeoutMillis), timeoutMillis,
                SamgrDecoder::readResultObject);
        }
        catch (final SamgrException refused)
        {
            if (ErrorCode.EC_NOSERVICE == refused.errorCode() || ErrorCode.EC_TIMEOUT == refused.errorCode()
                && !(refused.getCause() instanceof RemoteCallException))
            {
                return null;
            }
            throw refused;
        }
    }

    /**
     * Withdraws an entry this process registered ({@link SamgrProtocol#REMOVE}).
     *
     * @param key an ability or a feature.
     * @return false when nothing was registered under the key.
     * @throws SamgrException {@link ErrorCode#EC_PERMISSION} when another process registered it.
     */
    public boolean remove(final SamgrKey key)
    {
        requireEntryKey(key);
        try
        {
            call(SamgrProtocol.REMOVE, key, data -> SamgrWriter.keyOnly(data, key), 0, reply -> null);
            return true;
        }
        catch (final SamgrException refused)
        {
            if (ErrorCode.EC_NOSERVICE == refused.errorCode())
            {
                return false;
            }
            throw refused;
        }
    }

    /**
     * Subscribes a listener to an entry, or with {@link SamgrKey#all()} to every entry; it is told at once of the
     * matching entries already there. Subscribing the same listener to the same key twice changes nothing.
     *
     * @param key      a key.
     * @param listener the listener.
     * @throws SamgrException {@link ErrorCode#EC_NORESOURCE} when the key has 256 listeners already.
     */
    public void subscribe(final SamgrKey key, final SamgrListener listener)
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(listener, "listener");
        final ListenerStub stub = listeners.computeIfAbsent(listener, ListenerStub::new);
        call(SamgrProtocol.SUBSCRIBE, key, data -> SamgrWriter.subscription(data, key, stub), 0, reply -> null);
    }

    /**
     * Unsubscribes a listener from a key.
     *
     * @param key      the key it was subscribed to.
     * @param listener the listener.
     * @return false when it was not subscribed to that key.
     */
    public boolean unsubscribe(final SamgrKey key, final SamgrListener listener)
    {
        Objects.requireNonNull(key, "key");
        final ListenerStub stub = listeners.get(listener);
        if (null == stub)
        {
            return false;
        }
        try
        {
            call(SamgrProtocol.UNSUBSCRIBE, key, data -> SamgrWriter.subscription(data, key, stub), 0, reply -> null);
            return true;
        }
        catch (final SamgrException refused)
        {
            if (ErrorCode.EC_NOSERVICE == refused.errorCode())
            {
                return false;
            }
            throw refused;
        }
    }

    /**
     * Describes entries: provider pid and uid, policy, lookups, refusals, subscribers, clients and, for one feature,
     * the calls its provider handled.
     *
     * @param key one entry, or {@link SamgrKey#all()}.
     * @return the entries (empty when nothing matches).
     */
    public List<EntryInfo> dump(final SamgrKey key)
    {
        Objects.requireNonNull(key, "key");
        return call(SamgrProtocol.DUMP, key, data -> SamgrWriter.keyOnly(data, key), 0, SamgrDecoder::readEntries);
    }

    // ---- OpenHarmony's system ability calls ----

    /**
     * {@code AddSystemAbility}.
     *
     * @param abilityId 0..0x00FFFFFF.
     * @param ability   the ability's object.
     * @param policies  who may look it up (empty: the server decides).
     * @return the rules in force.
     */
    public List<AccessPolicy> addSystemAbility(final int abilityId, final IRemoteObject ability,
        final AccessPolicy... policies)
    {
        return add(SamgrKey.ability(abilityId), ability, List.of(policies));
    }

    /**
     * {@code CheckSystemAbility}: never waits.
     *
     * @param abilityId the ability.
     * @return its object, or null.
     */
    public IRemoteObject checkSystemAbility(final int abilityId)
    {
        return check(SamgrKey.ability(abilityId));
    }

    /**
     * {@code GetSystemAbility} with a deadline.
     *
     * @param abilityId     the ability.
     * @param timeoutMillis 0..60,000.
     * @return its object, or null when it did not appear in time.
     */
    public IRemoteObject getSystemAbility(final int abilityId, final int timeoutMillis)
    {
        return get(SamgrKey.ability(abilityId), timeoutMillis);
    }

    /**
     * {@code RemoveSystemAbility}.
     *
     * @param abilityId the ability.
     * @return false when it was not registered.
     */
    public boolean removeSystemAbility(final int abilityId)
    {
        return remove(SamgrKey.ability(abilityId));
    }

    /**
     * {@code ListSystemAbilities}: the ids this process's uid may look up.
     *
     * @return the ids, ascending.
     */
    public List<Integer> listSystemAbilities()
    {
        final List<Integer> ids = new ArrayList<>();
        for (final EntryInfo entry : dump(SamgrKey.all()))
        {
            if (SamgrProtocol.KIND_ABILITY == entry.key().kind()
                && AccessPolicy.allows(entry.policies(), IPCSkeleton.getSelfIdentity().uid()))
            {
                ids.add(entry.key().abilityId());
            }
        }
        ids.sort(null);
        return ids;
    }

    // ---- the call ----

    private interface Body
    {
        void write(MessageSequence data);
    }

    private interface Result<T>
    {
        T read(MessageSequence reply) throws SamgrProtocolException;
    }

    private <T> T call(final int code, final SamgrKey key, final Body body, final int deadlineMillis,
        final Result<T> result)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            body.write(data);
            final MessageOption option = new MessageOption();
            option.setWaitTimeMillis(Math.min(deadlineMillis + callTimeoutMillis, MessageOption.MAX_WAIT_TIME * 1000L));
            send(code, key, data, reply, option);
            final SamgrDecoder.Status status;
            final T value;
            try
            {
                status = SamgrDecoder.readStatus(reply);
                if (ErrorCode.EC_SUCCESS != status.code())
                {
                    throw new SamgrException(status.code(), operation(code) + " " + key + ": " + status.detail());
                }
                value = result.read(reply);
                SamgrDecoder.requireEnd(reply, operation(code) + " reply");
            }
            catch (final SamgrProtocolException malformed)
            {
                throw new SamgrException(ErrorCode.EC_PROTOCOL, operation(code) + " " + key
                    + ": malformed reply from the samgr server: " + malformed.getMessage(), malformed);
            }
            return value;
        }
    }

    /** Sends once; a server that died since the last call is reached again once (it may have restarted). */
    private void send(final int code, final SamgrKey key, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        IRemoteObject target = server;
        if (target.isObjectDead())
        {
            target = reconnect(target);
        }
        try
        {
            target.sendMessageRequestSync(code, data, reply, option);
        }
        catch (final RemoteCallException failed)
        {
            if (CallFailure.TIMED_OUT == failed.failure())
            {
                throw new SamgrException(ErrorCode.EC_TIMEOUT, operation(code) + " " + key
                    + ": the samgr server at " + address + " did not answer within " + option.getWaitTimeMillis()
                    + " ms", failed);
            }
            throw new SamgrException(ErrorCode.EC_COMMU, operation(code) + " " + key + ": the call to the samgr server at "
                + address + " failed: " + failed.getMessage(), failed);
        }
    }

    private IRemoteObject reconnect(final IRemoteObject dead)
    {
        synchronized (this)
        {
            if (server != dead)
            {
                return server;
            }
            final IRemoteObject fresh = reach(address, callTimeoutMillis);
            server = fresh;
            return fresh;
        }
    }

    private static void requireEntryKey(final SamgrKey key)
    {
        if (SamgrProtocol.KIND_ALL == Objects.requireNonNull(key, "key").kind())
        {
            throw new IllegalArgumentException("key * names every entry; this call needs one (an id or a name)");
        }
    }

    static String operation(final int code)
    {
        return switch (code)
        {
            case SamgrProtocol.ADD -> "ADD";
            case SamgrProtocol.GET -> "GET";
            case SamgrProtocol.REMOVE -> "REMOVE";
            case SamgrProtocol.SUBSCRIBE -> "SUBSCRIBE";
            case SamgrProtocol.UNSUBSCRIBE -> "UNSUBSCRIBE";
            case SamgrProtocol.DUMP -> "DUMP";
            default -> "code " + code;
        };
    }
}
