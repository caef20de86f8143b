package io.harmonia.bindings.channel;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import io.harmonia.bindings.NativeLibrary;

/**
 * Downcalls into libharmonia's channel API ({@code harmonia/channel.h}) in jextract's shape. Only connection
 * setup, teardown and the waits (park) go through here; messages are written and read on the mapped rings.
 */
final class LibHarmoniaChannel
{
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout ADDRESS = ValueLayout.ADDRESS;
    /** sizeof(hm_error). */
    static final long ERROR_LENGTH = 192;

    private static final Linker LINKER = Linker.nativeLinker();

    private LibHarmoniaChannel()
    {
    }

    private static final class hm_channel_listen
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_listen"), DESC);
    }

    /** {@code int hm_channel_listen(const char *address, hm_error *err, hm_channel_listener **ret_listener)}. */
    static int hm_channel_listen(final MemorySegment address, final MemorySegment err, final MemorySegment retListener)
    {
        try
        {
            return (int)hm_channel_listen.HANDLE.invokeExact(address, err, retListener);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_listener_close
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS);
        static final MethodHandle HANDLE =
            LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_listener_close"), DESC);
    }

    /** {@code void hm_channel_listener_close(hm_channel_listener *listener)}. */
    static void hm_channel_listener_close(final MemorySegment listener)
    {
        try
        {
            hm_channel_listener_close.HANDLE.invokeExact(listener);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_accept
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_INT, C_LONG, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_accept"), DESC);
    }

    /**
     * {@code int hm_channel_accept(hm_channel_listener *listener, uint32_t ring_capacity, int64_t timeout_ns, hm_error
     * *err, hm_channel **ret_channel)}.
     */
    static int hm_channel_accept(
        final MemorySegment listener, final int ringCapacity, final long timeoutNs, final MemorySegment err,
        final MemorySegment retChannel)
    {
        try
        {
            return (int)hm_channel_accept.HANDLE.invokeExact(listener, ringCapacity, timeoutNs, err, retChannel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_connect
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_LONG, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_connect"), DESC);
    }

    /**
     * {@code int hm_channel_connect(const char *address, int64_t timeout_ns, hm_error *err, hm_channel **ret_channel)}.
     */
    static int hm_channel_connect(
        final MemorySegment address, final long timeoutNs, final MemorySegment err, final MemorySegment retChannel)
    {
        try
        {
            return (int)hm_channel_connect.HANDLE.invokeExact(address, timeoutNs, err, retChannel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_peer
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_peer"), DESC);
    }

    /** {@code int hm_channel_peer(const hm_channel *channel, hm_peer_credentials *ret_credentials)}. */
    static int hm_channel_peer(final MemorySegment channel, final MemorySegment retCredentials)
    {
        try
        {
            return (int)hm_channel_peer.HANDLE.invokeExact(channel, retCredentials);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_shutdown
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_shutdown"), DESC);
    }

    /** {@code void hm_channel_shutdown(hm_channel *channel)}. */
    static void hm_channel_shutdown(final MemorySegment channel)
    {
        try
        {
            hm_channel_shutdown.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_close
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_close"), DESC);
    }

    /** {@code void hm_channel_close(hm_channel *channel)}. */
    static void hm_channel_close(final MemorySegment channel)
    {
        try
        {
            hm_channel_close.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_region
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ADDRESS, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_region"), DESC);
    }

    /** {@code hm_region *hm_channel_region(const hm_channel *channel)}. */
    static MemorySegment hm_channel_region(final MemorySegment channel)
    {
        try
        {
            return (MemorySegment)hm_channel_region.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_send_ring
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_send_ring"), DESC);
    }

    /** {@code uint32_t hm_channel_send_ring(const hm_channel *channel)}. */
    static int hm_channel_send_ring(final MemorySegment channel)
    {
        try
        {
            return (int)hm_channel_send_ring.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_receive_ring
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_receive_ring"), DESC);
    }

    /** {@code uint32_t hm_channel_receive_ring(const hm_channel *channel)}. */
    static int hm_channel_receive_ring(final MemorySegment channel)
    {
        try
        {
            return (int)hm_channel_receive_ring.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_wait_readable
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_LONG);
        static final MethodHandle HANDLE =
            LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_wait_readable"), DESC);
    }

    /** {@code int hm_channel_wait_readable(hm_channel *channel, int64_t timeout_ns)}. */
    static int hm_channel_wait_readable(final MemorySegment channel, final long timeoutNs)
    {
        try
        {
            return (int)hm_channel_wait_readable.HANDLE.invokeExact(channel, timeoutNs);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_wait_writable
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_INT, C_LONG);
        static final MethodHandle HANDLE =
            LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_wait_writable"), DESC);
    }

    /** {@code int hm_channel_wait_writable(hm_channel *channel, uint32_t length, int64_t timeout_ns)}. */
    static int hm_channel_wait_writable(final MemorySegment channel, final int length, final long timeoutNs)
    {
        try
        {
            return (int)hm_channel_wait_writable.HANDLE.invokeExact(channel, length, timeoutNs);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_set_spins
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS, C_INT);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_set_spins"), DESC);
    }

    /** {@code void hm_channel_set_spins(hm_channel *channel, uint32_t spins)}. */
    static void hm_channel_set_spins(final MemorySegment channel, final int spins)
    {
        try
        {
            hm_channel_set_spins.HANDLE.invokeExact(channel, spins);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    /**
     * Links the downcalls a channel's end needs, now rather than at the first death, when a process with many
     * connections can least afford the time.
     */
    static void linkTeardown()
    {
        java.util.Objects.requireNonNull(hm_channel_shutdown.HANDLE);
        java.util.Objects.requireNonNull(hm_channel_close.HANDLE);
        java.util.Objects.requireNonNull(hm_channel_set_watched.HANDLE);
    }

    private static final class hm_channel_set_watched
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(ADDRESS, C_INT);
        static final MethodHandle HANDLE =
            LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_set_watched"), DESC);
    }

    /** {@code void hm_channel_set_watched(hm_channel *channel, int watched)}. */
    static void hm_channel_set_watched(final MemorySegment channel, final int watched)
    {
        try
        {
            hm_channel_set_watched.HANDLE.invokeExact(channel, watched);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_send_fds
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, ADDRESS, C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_send_fds"), DESC);
    }

    /**
     * {@code int hm_channel_send_fds(hm_channel *channel, const int32_t *fds, uint32_t count, uint64_t *ret_tag)}.
     */
    static int hm_channel_send_fds(
        final MemorySegment channel, final MemorySegment fds, final int count, final MemorySegment retTag)
    {
        try
        {
            return (int)hm_channel_send_fds.HANDLE.invokeExact(channel, fds, count, retTag);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class hm_channel_take_fds
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, ADDRESS, C_LONG, C_INT, ADDRESS);
        static final MethodHandle HANDLE = LINKER.downcallHandle(NativeLibrary.symbol("hm_channel_take_fds"), DESC);
    }

    /** {@code int hm_channel_take_fds(hm_channel *channel, uint64_t tag, uint32_t count, int32_t *ret_fds)}. */
    static int hm_channel_take_fds(
        final MemorySegment channel, final long tag, final int count, final MemorySegment retFds)
    {
        try
        {
            return (int)hm_channel_take_fds.HANDLE.invokeExact(channel, tag, count, retFds);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("should not reach here", ex);
        }
    }
}
