package io.harmonia.samgr.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.AccessPolicy;

/**
 * Writes samgr messages in the layouts {@link SamgrDecoder} reads (and {@code docs/protocols.md} states): requests
 * for clients, replies and listener calls for the server. Values are assumed valid (they come from
 * {@link SamgrKey} and {@link AccessPolicy}, which check their limits when built).
 */
public final class SamgrWriter
{
    private SamgrWriter()
    {
    }

    // ---- requests ----

    /**
     * {@link SamgrProtocol#ADD}.
     *
     * @param data     the request.
     * @param key      an ability or a feature.
     * @param object   the provider's object.
     * @param policies the provider's rules.
     */
    public static void add(final MessageSequence data, final SamgrKey key, final IRemoteObject object,
        final List<AccessPolicy> policies)
    {
        key(data, key);
        data.writeRemoteObject(object);
        policies(data, policies);
    }

    /**
     * {@link SamgrProtocol#GET}.
     *
     * @param data          the request.
     * @param key           an ability or a feature.
     * @param timeoutMillis 0..{@value SamgrProtocol#MAX_TIMEOUT_MILLIS}.
     */
    public static void get(final MessageSequence data, final SamgrKey key, final int timeoutMillis)
    {
        key(data, key);
        data.writeInt(timeoutMillis);
    }

    /**
     * {@link SamgrProtocol#REMOVE} and {@link SamgrProtocol#DUMP}: the key alone.
     *
     * @param data the request.
     * @param key  the key.
     */
    public static void keyOnly(final MessageSequence data, final SamgrKey key)
    {
        key(data, key);
    }

    /**
     * {@link SamgrProtocol#SUBSCRIBE} and {@link SamgrProtocol#UNSUBSCRIBE}.
     *
     * @param data     the request.
     * @param key      the key, or every entry.
     * @param listener the listener.
     */
    public static void subscription(final MessageSequence data, final SamgrKey key, final IRemoteObject listener)
    {
        key(data, key);
        data.writeRemoteObject(listener);
    }

    // ---- replies ----

    /**
     * The status of a successful reply; the operation's results follow.
     *
     * @param reply the reply.
     */
    public static void success(final MessageSequence reply)
    {
        reply.writeInt(ErrorCode.EC_SUCCESS.code());
    }

    /**
     * A failed reply: the status and the detail (cut to {@value SamgrProtocol#MAX_DETAIL_BYTES} bytes).
     *
     * @param reply  the reply (its earlier content is dropped).
     * @param status the failure.
     * @param detail what failed: the field and the limit.
     */
    public static void failure(final MessageSequence reply, final ErrorCode status, final String detail)
    {
        failure(reply, status.code(), detail);
    }

    /**
     * A failed reply with a status that may lie outside {@code EC_*} (a feature's Invoke may return any value).
     *
     * @param reply  the reply (its earlier content is dropped).
     * @param status the status, not 0.
     * @param detail what failed.
     */
    public static void failure(final MessageSequence reply, final int status, final String detail)
    {
        reply.rewindWrite(0);
        reply.writeInt(status);
        reply.writeUtf8String(cut(null == detail ? "" : detail, SamgrProtocol.MAX_DETAIL_BYTES));
    }

    /**
     * A dump reply's entries (after {@link #success}).
     *
     * @param reply   the reply.
     * @param entries the entries.
     */
    public static void entries(final MessageSequence reply, final List<EntryInfo> entries)
    {
        reply.writeInt(entries.size());
        for (final EntryInfo entry : entries)
        {
            key(reply, entry.key());
            reply.writeInt(entry.providerPid());
            reply.writeInt(entry.providerUid());
            policies(reply, entry.policies());
            reply.writeLong(entry.registeredAt());
            reply.writeLong(entry.lookups());
            reply.writeLong(entry.refusals());
            reply.writeInt(entry.subscribers());
            reply.writeLong(entry.calls());
            reply.writeInt(entry.clients().size());
            for (final EntryInfo.ClientInfo client : entry.clients())
            {
                reply.writeInt(client.pid());
                reply.writeInt(client.uid());
                reply.writeLong(client.lookups());
            }
        }
    }

    /**
     * A listener call's body: {@link SamgrProtocol#ON_ADDED} carries the key and the provider's pid,
     * {@link SamgrProtocol#ON_REMOVED} also the reason.
     *
     * @param data        the call.
     * @param key         the entry's key.
     * @param providerPid its provider.
     * @param reason      {@link SamgrProtocol#REMOVED_WITHDRAWN} or {@link SamgrProtocol#REMOVED_PROVIDER_DIED};
     *                    negative for ON_ADDED (not written).
     */
    public static void listenerCall(final MessageSequence data, final SamgrKey key, final int providerPid,
        final int reason)
    {
        key(data, key);
        data.writeInt(providerPid);
        if (reason >= 0)
        {
            data.writeInt(reason);
        }
    }

    // ---- fields ----

    /**
     * A key: {@code u32 kind}, then {@code i32 id} (ability) or {@code str service; bool has_feature; [str feature]}.
     *
     * @param data the message.
     * @param key  the key.
     */
    public static void key(final MessageSequence data, final SamgrKey key)
    {
        data.writeInt(key.kind());
        switch (key.kind())
        {
            case SamgrProtocol.KIND_ABILITY -> data.writeInt(key.abilityId());
            case SamgrProtocol.KIND_FEATURE ->
            {
                data.writeUtf8String(key.service());
                data.writeBoolean(null != key.feature());
                if (null != key.feature())
                {
                    data.writeUtf8String(key.feature());
                }
            }
            default ->
            {
                // every entry: the kind alone
            }
        }
    }

    /**
     * A policy list: {@code u32 count}, then per rule {@code u32 type} and its fields.
     *
     * @param data     the message.
     * @param policies 0..{@value AccessPolicy#MAX_POLICIES} rules.
     */
    public static void policies(final MessageSequence data, final List<AccessPolicy> policies)
    {
        data.writeInt(policies.size());
        for (final AccessPolicy policy : policies)
        {
            data.writeInt(policy.type().wire());
            switch (policy.type())
            {
                case RANGE ->
                {
                    data.writeInt(policy.uidMin());
                    data.writeInt(policy.uidMax());
                }
                case FIXED ->
                {
                    final int[] uids = policy.uids();
                    data.writeInt(uids.length);
                    for (final int uid : uids)
                    {
                        data.writeInt(uid);
                    }
                }
                default ->
                {
                    // ALL: the type alone
                }
            }
        }
    }

    /** Cuts text to at most {@code maxBytes} of UTF-8 without splitting a character. */
    static String cut(final String text, final int maxBytes)
    {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes)
        {
            return text;
        }
        int end = Math.min(text.length(), maxBytes);
        while (end > 0 && text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > maxBytes - 3)
        {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)))
        {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
