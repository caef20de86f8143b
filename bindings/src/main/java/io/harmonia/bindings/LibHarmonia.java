package io.harmonia.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls into libharmonia's core API ({@code harmonia/harmonia.h}), in the shape jextract generates:
 * one holder class per C function with a static final descriptor, address and handle, linked on first use,
 * and a static method of the C name that calls it with {@code invokeExact}.
 *
 * <p>Callers go through {@link NativeLibrary#ensureLoaded()} first (the public facades do), so a missing
 * library is reported as a {@link NativeLibraryError} rather than a class initialisation failure.
 */
public final class LibHarmonia
{
    /** C {@code uint32_t}, {@code uint64_t} and {@code const char *} from the platform's canonical layouts. */
    public static final ValueLayout.OfInt C_UINT32 =
        (ValueLayout.OfInt)Linker.nativeLinker().canonicalLayouts().get("int");
    /** C {@code uint64_t}. */
    public static final ValueLayout.OfLong C_UINT64 =
        (ValueLayout.OfLong)Linker.nativeLinker().canonicalLayouts().get("long long");
    /** A NUL-terminated C string whose length is not known in advance. */
    public static final AddressLayout C_STRING =
        ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    private static final Linker LINKER = Linker.nativeLinker();

    private LibHarmonia()
    {
    }

    private static final class hm_version
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_STRING);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_version"), DESC);
    }

    /**
     * {@code const char *hm_version(void)}.
     *
     * @return the static version string.
     */
    public static MemorySegment hm_version()
    {
        try
        {
            return (MemorySegment)hm_version.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_version_number
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_UINT32);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_version_number"), DESC);
    }

    /**
     * {@code uint32_t hm_version_number(void)}.
     *
     * @return major &lt;&lt; 16 | minor &lt;&lt; 8 | patch.
     */
    public static int hm_version_number()
    {
        try
        {
            return (int)hm_version_number.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_arch
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_STRING);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_arch"), DESC);
    }

    /**
     * {@code const char *hm_arch(void)}.
     *
     * @return the static architecture string.
     */
    public static MemorySegment hm_arch()
    {
        try
        {
            return (MemorySegment)hm_arch.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_features
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_UINT64);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_features"), DESC);
    }

    /**
     * {@code uint64_t hm_features(void)}.
     *
     * @return the feature bits.
     */
    public static long hm_features()
    {
        try
        {
            return (long)hm_features.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_feature_name
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_STRING, C_UINT64);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_feature_name"), DESC);
    }

    /**
     * {@code const char *hm_feature_name(uint64_t feature)}.
     *
     * @param feature one feature bit.
     * @return the static name, or {@link MemorySegment#NULL}.
     */
    public static MemorySegment hm_feature_name(final long feature)
    {
        try
        {
            return (MemorySegment)hm_feature_name.HANDLE.invokeExact(feature);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }
}
