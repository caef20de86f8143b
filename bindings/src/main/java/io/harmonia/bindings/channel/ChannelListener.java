package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import io.harmonia.bindings.NativeLibrary;

/**
 * A listening channel endpoint: {@link #accept} returns one {@link Channel} per client, with the client's
 * identity from SO_PEERCRED. Thread safety: accept from one thread at a time; close from any.
 */
public final class ChannelListener implements AutoCloseable
{
    private final MemorySegment handle;
    private boolean closed;

    private ChannelListener(final MemorySegment handle)
    {
        this.handle = handle;
    }

    /**
     * Listens at an address.
     *
     * @param address a filesystem path, or {@code @name} for an abstract socket.
     * @return the listener.
     * @throws ChannelException when the address cannot be bound (the message names why).
     */
    public static ChannelListener listen(final String address)
    {
        NativeLibrary.ensureLoaded();
        Objects.requireNonNull(address, "address");
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment error = call.allocate(LibHarmoniaChannel.ERROR_LENGTH);
            final MemorySegment ret = call.allocate(ValueLayout.ADDRESS);
            final int rc = LibHarmoniaChannel.hm_channel_listen(call.allocateFrom(address), error, ret);
            if (rc < 0)
            {
                throw new ChannelException(rc, "listening at " + address + ": " + error.getString(0));
            }
            return new ChannelListener(ret.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * Accepts one client.
     *
     * @param ringCapacity bytes of each of the channel's two rings (a power of two; 0 for the default 1 MiB).
     * @param timeoutNs    the longest wait; negative waits without bound.
     * @return the channel, or null when the timeout passed.
     */
    public synchronized Channel accept(final int ringCapacity, final long timeoutNs)
    {
        if (closed)
        {
            throw new ChannelException(ChannelException.CLOSED, "the listener is closed");
        }
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment error = call.allocate(LibHarmoniaChannel.ERROR_LENGTH);
            final MemorySegment ret = call.allocate(ValueLayout.ADDRESS);
            final int rc = LibHarmoniaChannel.hm_channel_accept(handle, ringCapacity, timeoutNs, error, ret);
            if (-110 == rc)
            {
                return null;
            }
            if (rc < 0)
            {
                throw new ChannelException(rc, "accepting a client: " + error.getString(0));
            }
            return new Channel(ret.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** Stops listening (a filesystem socket file is removed). Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            LibHarmoniaChannel.hm_channel_listener_close(handle);
        }
    }
}
