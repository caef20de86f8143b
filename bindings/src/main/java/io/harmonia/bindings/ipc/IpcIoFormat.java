package io.harmonia.bindings.ipc;

/**
 * The IpcIo byte format, shared with libharmonia's C serializer ({@code serializer.h}, {@code harmonia/ipcio.h})
 * and OpenHarmony's. All values are in host byte order (little-endian on every supported target).
 *
 * <pre>
 *   data:    items one after another, each padded to a multiple of 4 (the cursor itself is never aligned)
 *            bool/int8/int16/uint8/uint16     int32 slot (4 bytes)     *Unaligned: exactly 1 or 2 bytes
 *            int32/uint32/float               4 bytes                  int64/uint64/double/pointer: 8 bytes
 *            string (UTF-8)                   +-------------+-----------------+-----+---------+
 *                                             | uint32 len  | len bytes       | NUL | pad to 4|
 *                                             +-------------+-----------------+-----+---------+
 *            string16 / interface token       uint32 units, units * 2 bytes, NUL unit (2 bytes), pad to 4
 *            buffer                           bytes, pad to 4 (no length)
 *            raw data                         uint32 size, then a buffer (inline) or an fd object (memfd)
 *            bool / int16 vector              uint32 count, count int32 slots
 *            other vectors                    uint32 count, count packed elements, no padding
 *            object (fd, remote object)       24-byte record, listed in the object table:
 *                                             +--------+--------+------------------+---------------+
 *                                             | u32    | u32    | u64 binder, or   | u64 cookie    |
 *                                             | type   | flags  | u32 handle/fd +  |               |
 *                                             |        | 0x17f  | u32 token        |               |
 *                                             +--------+--------+------------------+---------------+
 *   objects: the object table, one 8-byte (size_t) byte offset per record, strictly increasing
 * </pre>
 */
public final class IpcIoFormat
{
    /** Items are padded to a multiple of this many bytes. */
    public static final int ALIGNMENT = 4;
    /** Size of one object record. */
    public static final int OBJECT_SIZE = 24;
    /** Size of one object-table entry: a C {@code size_t} on the 64-bit platforms the JVM runs on. */
    public static final int OFFSET_ENTRY_SIZE = 8;
    /** Record type of a file descriptor ({@code 'f','d','*',0x85}). */
    public static final int TYPE_FD = 0x66642a85;
    /** Record type of a local object, a {@code SvcIdentity} with a handle &lt;= 0 ({@code 's','b','*',0x85}). */
    public static final int TYPE_BINDER = 0x73622a85;
    /** Record type of a reference to a remote object, a handle &gt; 0 ({@code 's','h','*',0x85}). */
    public static final int TYPE_HANDLE = 0x73682a85;
    /** The flags word of every record. */
    public static final int OBJECT_FLAGS = 0x17f;
    /** Offset of the type in a record. */
    public static final int OBJECT_TYPE_OFFSET = 0;
    /** Offset of the flags in a record. */
    public static final int OBJECT_FLAGS_OFFSET = 4;
    /** Offset of the binder (uint64), or of the handle / fd (uint32), in a record. */
    public static final int OBJECT_BINDER_OFFSET = 8;
    /** Offset of the 32-bit token stored beside a handle. */
    public static final int OBJECT_HANDLE_TOKEN_OFFSET = 12;
    /** Offset of the cookie in a record. */
    public static final int OBJECT_COOKIE_OFFSET = 16;
    /** The handle a local object reads back with ({@code IPC_INVALID_HANDLE}). */
    public static final int INVALID_HANDLE = -1;

    /** The compatible API's largest buffer and largest item ({@code MAX_IO_SIZE}). */
    public static final int COMPATIBLE_MAX_SIZE = 8192;
    /** The compatible API's largest object table ({@code MAX_OBJ_NUM}). */
    public static final int COMPATIBLE_MAX_OBJECTS = 32;
    /** The compatible API's longest string16, in UTF-16 units: (units + 1) * 2 &lt;= 8192. */
    public static final int COMPATIBLE_MAX_STRING16 = COMPATIBLE_MAX_SIZE / 2 - 1;
    /** Raw data up to this size is inline; larger raw data travels as a sealed memfd. */
    public static final int RAW_DATA_INLINE_MAX = 32 * 1024;
    /** The largest raw data item. */
    public static final int RAW_DATA_MAX = 128 * 1024 * 1024;
    /** Largest value of a uint32 length field. */
    public static final long UINT32_MAX = 0xffff_ffffL;

    private IpcIoFormat()
    {
    }

    /**
     * Rounds a size up to a multiple of {@link #ALIGNMENT}.
     *
     * @param size a non-negative size.
     * @return the padded size.
     */
    public static long align(final long size)
    {
        return (size + (ALIGNMENT - 1)) & -ALIGNMENT;
    }
}
