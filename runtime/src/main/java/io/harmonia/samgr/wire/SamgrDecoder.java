package io.harmonia.samgr.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.harmonia.bindings.ipc.IpcIoStringView;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.AccessPolicy;

/**
 * The one reader of samgr bytes that come from another process: requests (read by the server), replies and
 * listener calls (read by clients). Every field is checked against its limit before it is used, every count
 * against the bytes that are left, and a message must end where its layout ends; whatever is wrong becomes a
 * {@link SamgrProtocolException} that names the field and the limit, and nothing else escapes (no
 * {@link RpcException}, no runtime exception, no allocation sized by a field). Layouts: {@code docs/protocols.md}.
 * Not thread-safe per message; the class itself holds no state.
 */
public final class SamgrDecoder
{
    /** The smallest encoded dump entry: an ability key, pids, an empty policy list, counters and no clients. */
    private static final int MIN_ENTRY_BYTES = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 8 + 4 + 8 + 4;
    /** The size of one encoded client of a dump entry. */
    private static final int CLIENT_BYTES = 4 + 4 + 8;

    private SamgrDecoder()
    {
    }

    // ---- requests (server side) ----

    /**
     * Decodes a request.
     *
     * @param code the RPC code (the operation).
     * @param data the request body, read from its start; fully consumed on success.
     * @return the request.
     * @throws SamgrProtocolException for an unknown code, a field over its limit, a truncated or overlong body.
     */
    public static SamgrRequest decodeRequest(final int code, final MessageSequence data) throws SamgrProtocolException
    {
        if (null == data)
        {
            throw new SamgrProtocolException(ErrorCode.EC_INVALID, "request: no body");
        }
        final SamgrRequest request = switch (code)
        {
            case SamgrProtocol.ADD ->
            {
                final SamgrKey key = readEntryKey(data);
                final IRemoteObject object = readObject(data, "object");
                yield new SamgrRequest.Add(key, object, readPolicies(data));
            }
            case SamgrProtocol.GET ->
            {
                final SamgrKey key = readEntryKey(data);
                final int timeout = readInt(data, "timeout");
                if (timeout < 0 || timeout > SamgrProtocol.MAX_TIMEOUT_MILLIS)
                {
                    throw invalid("field 'timeout' is " + timeout + " ms, must be 0.."
                        + SamgrProtocol.MAX_TIMEOUT_MILLIS);
                }
                yield new SamgrRequest.Get(key, timeout);
            }
            case SamgrProtocol.REMOVE -> new SamgrRequest.Remove(readEntryKey(data));
            case SamgrProtocol.SUBSCRIBE ->
            {
                final SamgrKey key = readKey(data);
                yield new SamgrRequest.Subscribe(key, readObject(data, "listener"));
            }
            case SamgrProtocol.UNSUBSCRIBE ->
            {
                final SamgrKey key = readKey(data);
                yield new SamgrRequest.Unsubscribe(key, readObject(data, "listener"));
            }
            case SamgrProtocol.DUMP -> new SamgrRequest.Dump(readKey(data));
            default -> throw invalid("request code " + code + " is not a samgr operation (1.."
                + SamgrProtocol.DUMP + ")");
        };
        requireEnd(data, "request");
        return request;
    }

    // ---- replies and listener calls (client side) ----

    /**
     * A reply's status and, for a failure, the detail that names the field and the limit.
     *
     * @param code   the status.
     * @param detail the detail, or "" on success.
     */
    public record Status(ErrorCode code, String detail)
    {
    }

    /**
     * Reads a reply's status and, for a failure, its detail.
     *
     * @param reply the reply, from its start.
     * @return the status.
     * @throws SamgrProtocolException when the reply is too short, the status no EC_* code or the detail too long.
     */
    public static Status readStatus(final MessageSequence reply) throws SamgrProtocolException
    {
        final int status = readInt(reply, "status");
        final ErrorCode code;
        try
        {
            code = ErrorCode.of(status);
        }
        catch (final IllegalArgumentException unknown)
        {
            throw invalid("field 'status' is " + status + ", not an EC_* code");
        }
        return new Status(code, ErrorCode.EC_SUCCESS == code ? ""
            : readText(reply, "detail", SamgrProtocol.MAX_DETAIL_BYTES));
    }

    /**
     * Reads a remote object (a GET reply's result).
     *
     * @param reply the reply, after the status.
     * @return the object.
     * @throws SamgrProtocolException when there is none.
     */
    public static IRemoteObject readResultObject(final MessageSequence reply) throws SamgrProtocolException
    {
        return readObject(reply, "object");
    }

    /**
     * Reads a dump reply's entries.
     *
     * @param reply the reply, after the status.
     * @return the entries.
     * @throws SamgrProtocolException for a malformed entry.
     */
    public static List<EntryInfo> readEntries(final MessageSequence reply) throws SamgrProtocolException
    {
        final int count = readCount(reply, "entry count", Integer.MAX_VALUE, MIN_ENTRY_BYTES);
        final List<EntryInfo> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final SamgrKey key = readKey(reply);
            final int pid = readInt(reply, "provider pid");
            final int uid = readInt(reply, "provider uid");
            final List<AccessPolicy> policies = readPolicies(reply);
            final long registeredAt = readLong(reply, "registered at");
            final long lookups = readLong(reply, "lookups");
            final long refusals = readLong(reply, "refusals");
            final int subscribers = readInt(reply, "subscribers");
            final long calls = readLong(reply, "calls");
            final int clientCount = readCount(reply, "client count", Integer.MAX_VALUE, CLIENT_BYTES);
            final List<EntryInfo.ClientInfo> clients = new ArrayList<>(clientCount);
            for (int c = 0; c < clientCount; c++)
            {
                clients.add(new EntryInfo.ClientInfo(readInt(reply, "client pid"), readInt(reply, "client uid"),
                    readLong(reply, "client lookups")));
            }
            entries.add(new EntryInfo(key, pid, uid, policies, registeredAt, lookups, refusals, subscribers, calls,
                List.copyOf(clients)));
        }
        return List.copyOf(entries);
    }

    /**
     * Reads the key of a listener call ({@link SamgrProtocol#ON_ADDED}, {@link SamgrProtocol#ON_REMOVED}).
     *
     * @param data the call's body, from its start.
     * @return the key (an ability or a feature).
     * @throws SamgrProtocolException when malformed.
     */
    public static SamgrKey readEntryKey(final MessageSequence data) throws SamgrProtocolException
    {
        final SamgrKey key = readKey(data);
        if (SamgrProtocol.KIND_ALL == key.kind())
        {
            throw invalid("field 'key kind' is " + SamgrProtocol.KIND_ALL + " (every entry), must name one entry: "
                + SamgrProtocol.KIND_ABILITY + " or " + SamgrProtocol.KIND_FEATURE);
        }
        return key;
    }

    /**
     * Reads a key of any kind.
     *
     * @param data the message.
     * @return the key.
     * @throws SamgrProtocolException when malformed or over a limit.
     */
    public static SamgrKey readKey(final MessageSequence data) throws SamgrProtocolException
    {
        final int kind = readInt(data, "key kind");
        switch (kind)
        {
            case SamgrProtocol.KIND_ALL ->
            {
                return SamgrKey.all();
            }
            case SamgrProtocol.KIND_ABILITY ->
            {
                final int id = readInt(data, "system ability id");
                if (id < SamgrProtocol.MIN_ABILITY_ID || id > SamgrProtocol.MAX_ABILITY_ID)
                {
                    throw invalid("field 'system ability id' is " + id + ", must be " + SamgrProtocol.MIN_ABILITY_ID
                        + "..0x" + Integer.toHexString(SamgrProtocol.MAX_ABILITY_ID));
                }
                return new SamgrKey(kind, id, null, null);
            }
            case SamgrProtocol.KIND_FEATURE ->
            {
                final String service = readName(data, "service name");
                final boolean hasFeature = readBoolean(data, "has feature");
                final String feature = hasFeature ? readName(data, "feature name") : null;
                return new SamgrKey(kind, 0, service, feature);
            }
            default -> throw invalid("field 'key kind' is " + kind + ", must be " + SamgrProtocol.KIND_ALL + ".."
                + SamgrProtocol.KIND_FEATURE);
        }
    }

    /**
     * Reads a policy list.
     *
     * @param data the message.
     * @return 0..{@value AccessPolicy#MAX_POLICIES} rules.
     * @throws SamgrProtocolException when malformed or over a limit.
     */
    public static List<AccessPolicy> readPolicies(final MessageSequence data) throws SamgrProtocolException
    {
        final int count = readInt(data, "policy count");
        if (count < 0 || count > AccessPolicy.MAX_POLICIES)
        {
            throw invalid("field 'policy count' is " + Integer.toUnsignedString(count) + ", must be 0.."
                + AccessPolicy.MAX_POLICIES);
        }
        final List<AccessPolicy> policies = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int wireType = readInt(data, "policy type");
            final AccessPolicy.Type type = AccessPolicy.Type.ofWire(wireType);
            if (null == type)
            {
                throw invalid("field 'policy type' is " + wireType + ", must be 1 (RANGE), 2 (FIXED) or 3 (ALL)");
            }
            switch (type)
            {
                case RANGE ->
                {
                    final int min = readInt(data, "policy uid min");
                    final int max = readInt(data, "policy uid max");
                    if (Integer.compareUnsigned(min, max) > 0)
                    {
                        throw invalid("field 'policy uid min' " + Integer.toUnsignedString(min)
                            + " is above 'policy uid max' " + Integer.toUnsignedString(max));
                    }
                    policies.add(AccessPolicy.range(min, max));
                }
                case FIXED ->
                {
                    final int uidCount = readInt(data, "policy uid count");
                    if (uidCount < 1 || uidCount > AccessPolicy.MAX_FIXED_UIDS)
                    {
                        throw invalid("field 'policy uid count' is " + Integer.toUnsignedString(uidCount)
                            + ", must be 1.." + AccessPolicy.MAX_FIXED_UIDS);
                    }
                    final int[] uids = new int[uidCount];
                    for (int u = 0; u < uidCount; u++)
                    {
                        uids[u] = readInt(data, "policy uid");
                    }
                    policies.add(AccessPolicy.fixed(uids));
                }
                default -> policies.add(AccessPolicy.all());
            }
        }
        return List.copyOf(policies);
    }

    /**
     * Checks that a message has nothing left to read.
     *
     * @param data the message.
     * @param what what it is, for the error.
     * @throws SamgrProtocolException when bytes or objects are left.
     */
    public static void requireEnd(final MessageSequence data, final String what) throws SamgrProtocolException
    {
        final int left = data.getReadableBytes();
        if (0 != left)
        {
            throw invalid(what + ": " + left + " bytes after the last field (the layout ends there)");
        }
    }

    // ---- fields ----

    private static String readName(final MessageSequence data, final String field) throws SamgrProtocolException
    {
        return readText(data, field, SamgrProtocol.MAX_NAME_BYTES, 1);
    }

    private static String readText(final MessageSequence data, final String field, final int maxBytes)
        throws SamgrProtocolException
    {
        return readText(data, field, maxBytes, 0);
    }

    private static String readText(final MessageSequence data, final String field, final int maxBytes,
        final int minBytes) throws SamgrProtocolException
    {
        final IpcIoStringView view = new IpcIoStringView();
        try
        {
            data.readUtf8String(view);
        }
        catch (final RpcException truncated)
        {
            throw new SamgrProtocolException("field '" + field + "': no UTF-8 string here (truncated or malformed)",
                truncated);
        }
        final long length = view.length();
        if (length < minBytes || length > maxBytes)
        {
            throw invalid("field '" + field + "' is " + length + " bytes, must be " + minBytes + ".." + maxBytes
                + " bytes of UTF-8");
        }
        final byte[] bytes = new byte[(int)length];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = view.byteAt(i);
            if (0 == bytes[i])
            {
                throw invalid("field '" + field + "' holds a NUL byte at " + i);
            }
        }
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException malformed)
        {
            throw new SamgrProtocolException("field '" + field + "' is not valid UTF-8", malformed);
        }
    }

    private static IRemoteObject readObject(final MessageSequence data, final String field)
        throws SamgrProtocolException
    {
        try
        {
            return data.readRemoteObject();
        }
        catch (final RpcException unusable)
        {
            throw new SamgrProtocolException("field '" + field + "': no usable remote object here ("
                + unusable.getMessage() + ")", unusable);
        }
    }

    private static int readInt(final MessageSequence data, final String field) throws SamgrProtocolException
    {
        try
        {
            return data.readInt();
        }
        catch (final RpcException truncated)
        {
            throw new SamgrProtocolException("field '" + field + "': the message ends before it", truncated);
        }
    }

    private static long readLong(final MessageSequence data, final String field) throws SamgrProtocolException
    {
        try
        {
            return data.readLong();
        }
        catch (final RpcException truncated)
        {
            throw new SamgrProtocolException("field '" + field + "': the message ends before it", truncated);
        }
    }

    private static boolean readBoolean(final MessageSequence data, final String field) throws SamgrProtocolException
    {
        final int value = readInt(data, field);
        if (0 != value && 1 != value)
        {
            throw invalid("field '" + field + "' is " + value + ", a bool is 0 or 1");
        }
        return 1 == value;
    }

    /** A count whose items take at least {@code itemBytes} each: more than the bytes left cannot be real. */
    private static int readCount(final MessageSequence data, final String field, final int max, final int itemBytes)
        throws SamgrProtocolException
    {
        final int count = readInt(data, field);
        final long fits = data.getReadableBytes() / itemBytes;
        if (count < 0 || count > max || count > fits)
        {
            throw invalid("field '" + field + "' is " + Integer.toUnsignedString(count) + ", but only " + fits
                + " can fit the " + data.getReadableBytes() + " bytes left");
        }
        return count;
    }

    private static SamgrProtocolException invalid(final String message)
    {
        return new SamgrProtocolException(ErrorCode.EC_INVALID, message);
    }
}
