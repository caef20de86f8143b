package io.harmonia.bindings.queue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import io.harmonia.bindings.NativeLibrary;

/**
 * Downcalls into libharmonia's queue API ({@code harmonia/queue.h}) in jextract's shape: one holder per C
 * function, linked on first use, called with {@code invokeExact}. Only setup, teardown and park/wake go through
 * here; claims, commits and reads are done on the mapped bytes by {@link RingProducer} and {@link RingConsumer}.
 * Callers run {@link NativeLibrary#ensureLoaded()} first.
 */
final class LibHarmoniaQueue
{
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout ADDRESS = ValueLayout.ADDRESS;
    /** sizeof(hm_error). */
    static final long ERROR_LENGTH = 192;
    /** sizeof(hm_ring_spec). */
    static final long RING_SPEC_LENGTH = 8;

    private static final Linker LINKER = Linker.nativeLinker();

    private LibHarmoniaQueue()
    {
    }

    private static final class hm_region_create
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS, C_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_create"), DESC);
    }

    /**
     * {@code int hm_region_create(const char *name, const hm_ring_spec *rings, uint32_t ring_count, hm_error *err,
     * hm_region **ret_region)}.
     */
    static int hm_region_create(
        final MemorySegment name, final MemorySegment rings, final int ringCount, final MemorySegment err,
        final MemorySegment retRegion)
    {
        try
        {
            return (int)hm_region_create.HANDLE.invokeExact(name, rings, ringCount, err, retRegion);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_open
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_open"), DESC);
    }

    /** {@code int hm_region_open(int fd, hm_error *err, hm_region **ret_region)}. */
    static int hm_region_open(final int fd, final MemorySegment err, final MemorySegment retRegion)
    {
        try
        {
            return (int)hm_region_open.HANDLE.invokeExact(fd, err, retRegion);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_open_path
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_open_path"), DESC);
    }

    /** {@code int hm_region_open_path(const char *path, hm_error *err, hm_region **ret_region)}. */
    static int hm_region_open_path(final MemorySegment path, final MemorySegment err, final MemorySegment retRegion)
    {
        try
        {
            return (int)hm_region_open_path.HANDLE.invokeExact(path, err, retRegion);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_close
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_close"), DESC);
    }

    /** {@code void hm_region_close(hm_region *region)}. */
    static void hm_region_close(final MemorySegment region)
    {
        try
        {
            hm_region_close.HANDLE.invokeExact(region);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_fd
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_fd"), DESC);
    }

    /** {@code int hm_region_fd(const hm_region *region)}. */
    static int hm_region_fd(final MemorySegment region)
    {
        try
        {
            return (int)hm_region_fd.HANDLE.invokeExact(region);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_base
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_base"), DESC);
    }

    /** {@code void *hm_region_base(const hm_region *region)}. */
    static MemorySegment hm_region_base(final MemorySegment region)
    {
        try
        {
            return (MemorySegment)hm_region_base.HANDLE.invokeExact(region);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_length
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_length"), DESC);
    }

    /** {@code uint64_t hm_region_length(const hm_region *region)}. */
    static long hm_region_length(final MemorySegment region)
    {
        try
        {
            return (long)hm_region_length.HANDLE.invokeExact(region);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_ring_count
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_ring_count"), DESC);
    }

    /** {@code uint32_t hm_region_ring_count(const hm_region *region)}: from the layout validated at open. */
    static int hm_region_ring_count(final MemorySegment region)
    {
        try
        {
            return (int)hm_region_ring_count.HANDLE.invokeExact(region);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_ring_offset
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, ADDRESS, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_ring_offset"), DESC);
    }

    /** {@code uint64_t hm_region_ring_offset(const hm_region *region, uint32_t ring)}. */
    static long hm_region_ring_offset(final MemorySegment region, final int ring)
    {
        try
        {
            return (long)hm_region_ring_offset.HANDLE.invokeExact(region, ring);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_ring_capacity
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_INT);
        static final MethodHandle HANDLE =
            LINKER.downcallHandle(NativeLibrary.symbol("hm_region_ring_capacity"), DESC);
    }

    /** {@code uint32_t hm_region_ring_capacity(const hm_region *region, uint32_t ring)}. */
    static int hm_region_ring_capacity(final MemorySegment region, final int ring)
    {
        try
        {
            return (int)hm_region_ring_capacity.HANDLE.invokeExact(region, ring);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_ring_kind
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_ring_kind"), DESC);
    }

    /** {@code uint32_t hm_region_ring_kind(const hm_region *region, uint32_t ring)}. */
    static int hm_region_ring_kind(final MemorySegment region, final int ring)
    {
        try
        {
            return (int)hm_region_ring_kind.HANDLE.invokeExact(region, ring);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_region_mark_closed
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_region_mark_closed"), DESC);
    }

    /** {@code void hm_region_mark_closed(hm_region *region)}. */
    static void hm_region_mark_closed(final MemorySegment region)
    {
        try
        {
            hm_region_mark_closed.HANDLE.invokeExact(region);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_futex_park
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_INT, C_LONG);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_futex_park"), DESC);
    }

    /** {@code int hm_futex_park(uint32_t *word, uint32_t expected, int64_t timeout_ns)}. */
    static int hm_futex_park(final MemorySegment word, final int expected, final long timeoutNs)
    {
        try
        {
            return (int)hm_futex_park.HANDLE.invokeExact(word, expected, timeoutNs);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_futex_unpark
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_futex_unpark"), DESC);
    }

    /** {@code int hm_futex_unpark(uint32_t *word)}. */
    static int hm_futex_unpark(final MemorySegment word)
    {
        try
        {
            return (int)hm_futex_unpark.HANDLE.invokeExact(word);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_process_alive
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_process_alive"), DESC);
    }

    /** {@code int hm_process_alive(int32_t pid)}. */
    static int hm_process_alive(final int pid)
    {
        try
        {
            return (int)hm_process_alive.HANDLE.invokeExact(pid);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_membarrier_register
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_membarrier_register"), DESC);
    }

    /** {@code int hm_membarrier_register(void)}. */
    static int hm_membarrier_register()
    {
        try
        {
            return (int)hm_membarrier_register.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_membarrier_heavy
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_membarrier_heavy"), DESC);
    }

    /** {@code int hm_membarrier_heavy(void)}. */
    static int hm_membarrier_heavy()
    {
        try
        {
            return (int)hm_membarrier_heavy.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }
}
