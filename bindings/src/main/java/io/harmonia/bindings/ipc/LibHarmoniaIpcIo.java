package io.harmonia.bindings.ipc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import io.harmonia.bindings.NativeLibrary;

/**
 * Downcalls into {@code harmonia/ipcio.h} that the Java side needs: large raw data as sealed memfds, and fd
 * duplication and closing for {@code MessageSequence}. In jextract's shape: one holder class per function,
 * linked on first use, called with {@code invokeExact}. Each function returns 0 or a negative errno.
 * None of them is on a per-field path: they run once per large raw-data item or per fd.
 */
public final class LibHarmoniaIpcIo
{
    /** C {@code int} / {@code int32_t}. */
    public static final ValueLayout.OfInt C_INT =
        (ValueLayout.OfInt)Linker.nativeLinker().canonicalLayouts().get("int");
    /** C {@code size_t} (the FFM ports are 64-bit). */
    public static final ValueLayout.OfLong C_SIZE_T =
        (ValueLayout.OfLong)Linker.nativeLinker().canonicalLayouts().get("size_t");
    /** C {@code void *}. */
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private static final Linker LINKER = Linker.nativeLinker();

    private LibHarmoniaIpcIo()
    {
    }

    private static MethodHandle link(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(NativeLibrary.symbol(name), descriptor);
    }

    private static final class hm_ipcio_rawdata_create
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_SIZE_T, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = link("hm_ipcio_rawdata_create", DESC);
    }

    /**
     * {@code int hm_ipcio_rawdata_create(size_t size, int32_t *ret_fd, void **ret_addr)}.
     *
     * @param size   1..134217728.
     * @param retFd  an int32 out-parameter.
     * @param retAddr a pointer out-parameter.
     * @return 0 or a negative errno.
     */
    public static int hm_ipcio_rawdata_create(final long size, final MemorySegment retFd, final MemorySegment retAddr)
    {
        try
        {
            return (int)hm_ipcio_rawdata_create.HANDLE.invokeExact(size, retFd, retAddr);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_ipcio_rawdata_seal
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_SIZE_T);
        static final MethodHandle HANDLE = link("hm_ipcio_rawdata_seal", DESC);
    }

    /**
     * {@code int hm_ipcio_rawdata_seal(int32_t fd, void *addr, size_t size)}.
     *
     * @param fd   the memfd.
     * @param addr its writable mapping (unmapped by the call).
     * @param size its size.
     * @return 0 or a negative errno.
     */
    public static int hm_ipcio_rawdata_seal(final int fd, final MemorySegment addr, final long size)
    {
        try
        {
            return (int)hm_ipcio_rawdata_seal.HANDLE.invokeExact(fd, addr, size);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_ipcio_rawdata_map
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_SIZE_T, C_POINTER);
        static final MethodHandle HANDLE = link("hm_ipcio_rawdata_map", DESC);
    }

    /**
     * {@code int hm_ipcio_rawdata_map(int32_t fd, size_t size, const void **ret_addr)}.
     *
     * @param fd      a sealed memfd.
     * @param size    its expected size.
     * @param retAddr a pointer out-parameter.
     * @return 0 or a negative errno.
     */
    public static int hm_ipcio_rawdata_map(final int fd, final long size, final MemorySegment retAddr)
    {
        try
        {
            return (int)hm_ipcio_rawdata_map.HANDLE.invokeExact(fd, size, retAddr);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_ipcio_rawdata_unmap
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_SIZE_T);
        static final MethodHandle HANDLE = link("hm_ipcio_rawdata_unmap", DESC);
    }

    /**
     * {@code int hm_ipcio_rawdata_unmap(const void *addr, size_t size)}.
     *
     * @param addr the mapping.
     * @param size its size.
     * @return 0 or a negative errno.
     */
    public static int hm_ipcio_rawdata_unmap(final MemorySegment addr, final long size)
    {
        try
        {
            return (int)hm_ipcio_rawdata_unmap.HANDLE.invokeExact(addr, size);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_ipcio_fd_dup
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = link("hm_ipcio_fd_dup", DESC);
    }

    /**
     * {@code int hm_ipcio_fd_dup(int32_t fd, int32_t *ret_fd)}.
     *
     * @param fd    the fd to duplicate.
     * @param retFd an int32 out-parameter.
     * @return 0 or a negative errno.
     */
    public static int hm_ipcio_fd_dup(final int fd, final MemorySegment retFd)
    {
        try
        {
            return (int)hm_ipcio_fd_dup.HANDLE.invokeExact(fd, retFd);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_ipcio_fd_close
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = link("hm_ipcio_fd_close", DESC);
    }

    /**
     * {@code int hm_ipcio_fd_close(int32_t fd)}.
     *
     * @param fd the fd to close.
     * @return 0 or a negative errno.
     */
    public static int hm_ipcio_fd_close(final int fd)
    {
        try
        {
            return (int)hm_ipcio_fd_close.HANDLE.invokeExact(fd);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }
}
