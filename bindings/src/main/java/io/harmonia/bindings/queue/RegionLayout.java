package io.harmonia.bindings.queue;

/**
 * The byte layout of a shared region and its rings, mirroring {@code native/src/queue/queue_internal.h} byte for
 * byte (docs/architecture.md section 3.2 draws it). All fields are in host byte order.
 *
 * <pre>
 * Region header (256 bytes)                     Ring control block (512 bytes), then capacity data bytes
 *   0 u32 magic "HMRG"                            0 i64 tail (producer position)
 *   4 u32 version (published last)              128 i64 head (consumer position)
 *   8 u64 region length                         256 u32 consumer parked (futex word)
 *  16 u32 header length (256)                   260 i32 one-to-one producer pid
 *  20 u32 ring count (1..8)                     264 i32 consumer pid
 *  24 u32 checksum (FNV-1a)                     384 u32 producers parked (futex word)
 *  28 u32 state (bit 0: closed)                 512 data: records {i32 length; i32 type; bytes}, 8-aligned
 *  32 8 x {u64 offset; u32 capacity; u32 kind}
 * </pre>
 *
 * <p>A record header is read and written only as one 64-bit word ({@link #header}), never field by field.
 */
public final class RegionLayout
{
    /** "HMRG" as a little-endian int. */
    public static final int MAGIC = 0x47524d48;
    /** Layout major version this code reads and writes. */
    public static final int VERSION_MAJOR = 2;
    /** Layout minor version. */
    public static final int VERSION_MINOR = 0;
    /** Bytes of the region header. */
    public static final int HEADER_LENGTH = 256;
    /** Most rings in a region. */
    public static final int MAX_RINGS = 8;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version, stored last by the creator. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    /** Offset of the region length. */
    public static final int LENGTH_OFFSET = VERSION_OFFSET + 4;
    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET = LENGTH_OFFSET + 8;
    /** Offset of the ring count. */
    public static final int RING_COUNT_OFFSET = HEADER_LENGTH_OFFSET + 4;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = RING_COUNT_OFFSET + 4;
    /** Offset of the state word (bit 0: closed). */
    public static final int STATE_OFFSET = CHECKSUM_OFFSET + 4;
    /** Offset of the first ring descriptor. */
    public static final int RINGS_OFFSET = STATE_OFFSET + 4;
    /** Bytes of one ring descriptor. */
    public static final int RING_DESCRIPTOR_LENGTH = 16;
    /** Descriptor field: ring offset. */
    public static final int DESCRIPTOR_OFFSET = 0;
    /** Descriptor field: data capacity. */
    public static final int DESCRIPTOR_CAPACITY = DESCRIPTOR_OFFSET + 8;
    /** Descriptor field: kind. */
    public static final int DESCRIPTOR_KIND = DESCRIPTOR_CAPACITY + 4;
    /** State bit: the region was closed by one side. */
    public static final int STATE_CLOSED = 1;

    /** Bytes of a ring control block; data follows. */
    public static final int RING_CONTROL_LENGTH = 512;
    /** Control field: tail (producer position). */
    public static final int TAIL_OFFSET = 0;
    /** Control field: head (consumer position), two cache lines after the tail. */
    public static final int HEAD_OFFSET = 128;
    /** Control field: the consumer's parked flag (futex word). */
    public static final int CONSUMER_PARKED_OFFSET = 256;
    /** Control field: pid of the one-to-one producer. */
    public static final int PRODUCER_PID_OFFSET = 260;
    /** Control field: pid of the consumer. */
    public static final int CONSUMER_PID_OFFSET = 264;
    /** Control field: the producers' parked flag (futex word). */
    public static final int PRODUCERS_PARKED_OFFSET = 384;

    /** Bytes of a record header. */
    public static final int RECORD_HEADER_LENGTH = 8;
    /** Record alignment. */
    public static final int RECORD_ALIGNMENT = 8;
    /** Whether the host stores the low half of a 64-bit word first (every supported target does). */
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.LITTLE_ENDIAN == java.nio.ByteOrder.nativeOrder();
    /** Record field: length (&gt; 0 committed, &lt; 0 claimed, 0 free). */
    public static final int RECORD_LENGTH_OFFSET = 0;
    /** Record field: type once committed, claimer pid while claimed. */
    public static final int RECORD_TYPE_OFFSET = 4;
    /** Type of padding records. */
    public static final int PADDING_TYPE = -1;

    /**
     * Positions (tail, head) read from shared memory are trusted only when 8-aligned and below this limit (a ring
     * moving 10 GB/s reaches it after 14 years), as {@code HM_RING_POSITION_LIMIT} in C.
     */
    public static final long POSITION_LIMIT = 1L << 62;

    /** Smallest ring capacity. */
    public static final int MIN_CAPACITY = 1024;
    /** Largest ring capacity. */
    public static final int MAX_CAPACITY = 1 << 30;

    private RegionLayout()
    {
    }

    /**
     * A record header {@code {i32 length; i32 type}} as the one 64-bit word that every header access reads or
     * writes (a single-copy-atomic store publishes length and type together; C does the same).
     *
     * @param length the length field.
     * @param type   the type field.
     * @return the word, in host byte order.
     */
    public static long header(final int length, final int type)
    {
        return LITTLE_ENDIAN ?
            (length & 0xffff_ffffL) | ((long)type << 32) : ((long)length << 32) | (type & 0xffff_ffffL);
    }

    /**
     * The length field of a header word.
     *
     * @param header the word read from a record.
     * @return the length (&gt; 0 committed, &lt; 0 claimed, 0 free).
     */
    public static int lengthOf(final long header)
    {
        return LITTLE_ENDIAN ? (int)header : (int)(header >>> 32);
    }

    /**
     * The type field of a header word.
     *
     * @param header the word read from a record.
     * @return the type (the claimer's pid while claimed).
     */
    public static int typeOf(final long header)
    {
        return LITTLE_ENDIAN ? (int)(header >>> 32) : (int)header;
    }

    /**
     * Whether a word read from a ring's tail or head can be a position.
     *
     * @param position the word.
     * @return true when 8-aligned and in 0..2^62.
     */
    public static boolean isPosition(final long position)
    {
        return position >= 0 && position < POSITION_LIMIT && 0 == (position & (RECORD_ALIGNMENT - 1));
    }

    /**
     * Record length rounded up to the alignment.
     *
     * @param length a record length (header included).
     * @return the aligned length.
     */
    public static int align(final int length)
    {
        return (length + RECORD_ALIGNMENT - 1) & ~(RECORD_ALIGNMENT - 1);
    }

    /**
     * The largest message a ring of this capacity takes (as {@code hm_ring_max_message_length}).
     *
     * @param capacity the ring's data capacity.
     * @return capacity / 8 minus the record header.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity / 8 - RECORD_HEADER_LENGTH;
    }
}
