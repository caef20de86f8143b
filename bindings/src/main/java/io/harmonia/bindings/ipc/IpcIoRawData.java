package io.harmonia.bindings.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.harmonia.bindings.NativeLibrary;

/**
 * Large raw data (above {@link IpcIoFormat#RAW_DATA_INLINE_MAX}, up to {@link IpcIoFormat#RAW_DATA_MAX}) as a
 * sealed memfd, through libharmonia's C functions (which return a negative errno on failure). The writer copies
 * the bytes into a new memfd and seals it against writes, growth and shrinking; the reader maps it read-only
 * after checking size and seals. Results that can fail are returned as {@code long}: a value &gt;= 0, or a
 * negative errno ({@link io.harmonia.bindings.Errno#describe(int)} names it).
 */
public final class IpcIoRawData
{
    private IpcIoRawData()
    {
    }

    /**
     * Creates a sealed memfd holding the bytes of source.
     *
     * @param source the raw data: 1..134217728 bytes.
     * @return the fd (close-on-exec, the caller's), or a negative errno.
     */
    public static int create(final MemorySegment source)
    {
        NativeLibrary.ensureLoaded();
        final long size = source.byteSize();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment fdOut = arena.allocate(ValueLayout.JAVA_INT);
            final MemorySegment addressOut = arena.allocate(ValueLayout.ADDRESS);
            final int created = LibHarmoniaIpcIo.hm_ipcio_rawdata_create(size, fdOut, addressOut);
            if (created < 0)
            {
                return created;
            }
            final int fd = fdOut.get(ValueLayout.JAVA_INT, 0);
            final MemorySegment mapping = addressOut.get(ValueLayout.ADDRESS, 0).reinterpret(size);
            MemorySegment.copy(source, 0, mapping, 0, size);
            final int sealed = LibHarmoniaIpcIo.hm_ipcio_rawdata_seal(fd, mapping, size);
            if (sealed < 0)
            {
                LibHarmoniaIpcIo.hm_ipcio_fd_close(fd);
                return sealed;
            }
            return fd;
        }
    }

    /**
     * Maps a received raw-data memfd read-only, after checking its size and seals.
     *
     * @param fd   the memfd.
     * @param size the expected size.
     * @return the mapping's address, or a negative errno (-EPERM: not sealed; -EBADMSG: wrong size or kind).
     */
    public static long map(final int fd, final long size)
    {
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment addressOut = arena.allocate(ValueLayout.ADDRESS);
            final int mapped = LibHarmoniaIpcIo.hm_ipcio_rawdata_map(fd, size, addressOut);
            return mapped < 0 ? mapped : addressOut.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    /**
     * Unmaps what {@link #map} returned. Every segment over it must be unusable first (close its arena).
     *
     * @param address the mapping.
     * @param size    its size.
     * @return 0 or a negative errno.
     */
    public static int unmap(final long address, final long size)
    {
        NativeLibrary.ensureLoaded();
        return LibHarmoniaIpcIo.hm_ipcio_rawdata_unmap(MemorySegment.ofAddress(address), size);
    }

    /**
     * A close-on-exec duplicate of an fd (numbered 3 or above).
     *
     * @param fd the fd.
     * @return the duplicate, or a negative errno.
     */
    public static int dup(final int fd)
    {
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment fdOut = arena.allocate(ValueLayout.JAVA_INT);
            final int result = LibHarmoniaIpcIo.hm_ipcio_fd_dup(fd, fdOut);
            return result < 0 ? result : fdOut.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * Closes an fd.
     *
     * @param fd the fd.
     * @return 0 or a negative errno.
     */
    public static int close(final int fd)
    {
        NativeLibrary.ensureLoaded();
        return LibHarmoniaIpcIo.hm_ipcio_fd_close(fd);
    }
}
