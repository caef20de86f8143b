package io.harmonia.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls into libharmonia's spawn API ({@code harmonia/spawn.h}) in jextract's shape. Only what Java needs
 * from C: the request bytes themselves are written by {@code io.harmonia.spawn.AppProperty} without downcalls;
 * these are for rare paths (describing a failed reply, also for a known app, the capability limit of the build).
 */
public final class LibHarmoniaSpawn
{
    /** C {@code int32_t}. */
    public static final ValueLayout.OfInt C_INT32 = LibHarmonia.C_UINT32;
    /** C {@code size_t} of this platform. */
    public static final ValueLayout C_SIZE_T = (ValueLayout)Linker.nativeLinker().canonicalLayouts().get("size_t");

    private static final Linker LINKER = Linker.nativeLinker();

    private LibHarmoniaSpawn()
    {
    }

    private static final class hm_spawn_describe
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT32, C_INT32, ValueLayout.ADDRESS, C_SIZE_T);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_spawn_describe"), DESC);
    }

    /**
     * {@code int hm_spawn_describe(int32_t reply, char *buf, size_t size)}.
     *
     * @param reply a spawn reply.
     * @param buf   where the NUL-terminated text goes.
     * @param size  the size of buf, as a long (size_t on 64-bit platforms).
     * @return the length the text wanted.
     */
    public static int hm_spawn_describe(final int reply, final MemorySegment buf, final long size)
    {
        try
        {
            return (int)hm_spawn_describe.HANDLE.invokeExact(reply, buf, size);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_spawn_describe_app
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT32, C_INT32, C_INT32, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, C_SIZE_T);
        static final MethodHandle HANDLE =
            LINKER.downcallHandle(NativeLibrary.symbol("hm_spawn_describe_app"), DESC);
    }

    /**
     * {@code int hm_spawn_describe_app(int32_t reply, int32_t uid, const char *so_path, const char *data_dir,
     * char *buf, size_t size)}.
     *
     * @param reply   a spawn reply.
     * @param uid     the app's uid.
     * @param soPath  the app library (a NUL-terminated string), or NULL.
     * @param dataDir the app's data directory (a NUL-terminated string), or NULL.
     * @param buf     where the NUL-terminated text goes.
     * @param size    the size of buf, as a long (size_t on 64-bit platforms).
     * @return the length the text wanted.
     */
    public static int hm_spawn_describe_app(final int reply, final int uid, final MemorySegment soPath,
        final MemorySegment dataDir, final MemorySegment buf, final long size)
    {
        try
        {
            return (int)hm_spawn_describe_app.HANDLE.invokeExact(reply, uid, soPath, dataDir, buf, size);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_spawn_cap_last
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT32);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_spawn_cap_last"), DESC);
    }

    /**
     * {@code int hm_spawn_cap_last(void)}.
     *
     * @return CAP_LAST_CAP of the library's build.
     */
    public static int hm_spawn_cap_last()
    {
        try
        {
            return (int)hm_spawn_cap_last.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }
}
