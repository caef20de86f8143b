package io.harmonia.spawn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The appspawn wire format seen from Java: the 16-byte message header and the AppProperty record, written into
 * a {@link MemorySegment} at the offsets of docs/protocols.md (the same constants as {@code harmonia/spawn.h}),
 * little-endian and unaligned, with no downcall. The bytes equal what the C encoder writes: both are checked
 * against the same golden vector.
 *
 * <pre>
 *   0 magic "HMSP" | 4 version u16 | 6 type u16 | 8 length u32 | 12 reserved u32
 *  16 uid i32 | 20 gid i32 | 24 gidCount u32 | 28 accessTokenId u32 | 32 capabilities u64 | 40 flags u32
 *  44 reserved u32 | 48 gidTable i32[64] | 304 processName[256] | 560 bundleName[256] | 816 soPath[256]
 *  1072 apl[32] | 1104 dataDir[256] | 1360 end
 * </pre>
 */
public final class AppProperty
{
    /** "HMSP" read as a little-endian uint32. */
    public static final int MAGIC = 0x50534D48;
    /** The protocol version (2: the AppProperty record gained dataDir). */
    public static final short VERSION = 2;
    /** Message type: an AppProperty spawn request. */
    public static final short TYPE_APP_PROPERTY = 1;
    /** Message type: a lite request (IpcIo). */
    public static final short TYPE_LITE = 2;
    /** Message type: terminate a child. */
    public static final short TYPE_TERMINATE = 3;
    /** Message type: dump the children table. */
    public static final short TYPE_DUMP = 4;
    /** Size of the header every message starts with. */
    public static final int HEADER_SIZE = 16;
    /** Size of a whole AppProperty message. */
    public static final int SIZE = 1360;
    /** Size of a terminate message. */
    public static final int TERMINATE_SIZE = 20;
    /** Flag bit 0: cold start. */
    public static final int FLAG_COLD_START = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int TYPE_OFFSET = 6;
    static final int LENGTH_OFFSET = 8;
    static final int RESERVED_OFFSET = 12;
    static final int UID_OFFSET = 16;
    static final int GID_OFFSET = 20;
    static final int GID_COUNT_OFFSET = 24;
    static final int ACCESS_TOKEN_OFFSET = 28;
    static final int CAPABILITIES_OFFSET = 32;
    static final int FLAGS_OFFSET = 40;
    static final int BODY_RESERVED_OFFSET = 44;
    static final int GID_TABLE_OFFSET = 48;
    static final int PROCESS_NAME_OFFSET = 304;
    static final int BUNDLE_NAME_OFFSET = 560;
    static final int SO_PATH_OFFSET = 816;
    static final int APL_OFFSET = 1072;
    static final int DATA_DIR_OFFSET = 1104;
    static final int NAME_FIELD_SIZE = 256;
    static final int APL_FIELD_SIZE = 32;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private AppProperty()
    {
    }

    /**
     * Writes the common message header.
     *
     * @param segment where the message starts.
     * @param type    the message type.
     * @param length  the whole message length.
     */
    public static void writeHeader(final MemorySegment segment, final short type, final int length)
    {
        segment.set(U32, MAGIC_OFFSET, MAGIC);
        segment.set(U16, VERSION_OFFSET, VERSION);
        segment.set(U16, TYPE_OFFSET, type);
        segment.set(U32, LENGTH_OFFSET, length);
        segment.set(U32, RESERVED_OFFSET, 0);
    }

    /**
     * Writes a whole AppProperty message, every byte of it (unused gid slots and string padding are zero).
     *
     * @param request a request (valid by construction).
     * @param segment at least {@link #SIZE} bytes.
     * @return {@link #SIZE}.
     */
    public static int encode(final SpawnRequest request, final MemorySegment segment)
    {
        final MemorySegment message = segment.asSlice(0, SIZE);
        message.fill((byte)0);
        writeHeader(message, TYPE_APP_PROPERTY, SIZE);
        message.set(U32, UID_OFFSET, request.uid());
        message.set(U32, GID_OFFSET, request.gid());
        final int[] gids = request.gids();
        message.set(U32, GID_COUNT_OFFSET, gids.length);
        message.set(U32, ACCESS_TOKEN_OFFSET, request.accessTokenId());
        message.set(U64, CAPABILITIES_OFFSET, request.capabilities());
        message.set(U32, FLAGS_OFFSET, request.coldStart() ? FLAG_COLD_START : 0);
        for (int i = 0; i < gids.length; i++)
        {
            message.set(U32, GID_TABLE_OFFSET + 4L * i, gids[i]);
        }
        putString(message, PROCESS_NAME_OFFSET, request.processName());
        putString(message, BUNDLE_NAME_OFFSET, request.bundleName());
        putString(message, SO_PATH_OFFSET, request.soPath());
        putString(message, APL_OFFSET, request.apl());
        putString(message, DATA_DIR_OFFSET, request.dataDir());
        return SIZE;
    }

    private static void putString(final MemorySegment message, final long offset, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, message, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }
}
