package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import io.harmonia.bindings.NativeLibrary;
import io.harmonia.bindings.queue.MessageHandler;
import io.harmonia.bindings.queue.RingConsumer;
import io.harmonia.bindings.queue.RingProducer;
import io.harmonia.bindings.queue.SharedRegion;

/**
 * One end of a channel (see {@code harmonia/channel.h}): messages are claimed in the sending ring, written in
 * place and committed, and read in place from the receiving ring, all through MemorySegment flyweights; the only
 * downcalls are connect/accept, close, and the waits (which also watch the control socket, so a dead peer ends
 * every wait with {@link ChannelException#DEAD_PEER} within milliseconds).
 *
 * <p>This Java end carries raw bytes. Messages with fds or IpcIo objects are written and read by the C API
 * ({@code hm_channel_commit_ipcio}); a Java receiver refuses such a message with a {@link ChannelException}.
 *
 * <p>Thread safety: {@link #offer}, {@link #send}, {@link #claim} and {@link #commit} may be called from many
 * threads at once; {@link #poll} and {@link #receive} from one thread at a time; {@link #shutdown} from any.
 */
public final class Channel implements AutoCloseable
{
    /** Bytes of the frame header before every payload. */
    public static final int FRAME_LENGTH = 32;
    private static final int RECORD_MESSAGE = 1;
    private static final int FRAME_VERSION = 1;
    private static final int FLAG_IPCIO = 1;
    private static final int ETIMEDOUT = 110;

    private final MemorySegment handle;
    private final SharedRegion region;
    private final MemorySegment buffer;
    private final RingProducer producer;
    private final RingConsumer consumer;
    private final PeerCredentials peer;
    private final FrameReader reader = new FrameReader();
    private boolean closed;

    Channel(final MemorySegment handle)
    {
        this.handle = handle;
        this.region = SharedRegion.view(LibHarmoniaChannel.hm_channel_region(handle));
        this.buffer = region.segment();
        this.producer = region.producer(LibHarmoniaChannel.hm_channel_send_ring(handle));
        this.consumer = region.consumer(LibHarmoniaChannel.hm_channel_receive_ring(handle));
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment credentials = call.allocate(12, 4);
            LibHarmoniaChannel.hm_channel_peer(handle, credentials);
            this.peer = new PeerCredentials(credentials.get(ValueLayout.JAVA_INT, 0),
                credentials.get(ValueLayout.JAVA_INT, 4), credentials.get(ValueLayout.JAVA_INT, 8));
        }
    }

    /**
     * Connects to a listener and maps the region it hands over (validated before use).
     *
     * @param address   the listener's path or {@code @name}.
     * @param timeoutNs the longest wait for the server's region.
     * @return the channel.
     * @throws ChannelException when the connection or the region is refused (the message says why).
     */
    public static Channel connect(final String address, final long timeoutNs)
    {
        NativeLibrary.ensureLoaded();
        Objects.requireNonNull(address, "address");
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment error = call.allocate(LibHarmoniaChannel.ERROR_LENGTH);
            final MemorySegment ret = call.allocate(ValueLayout.ADDRESS);
            final int rc = LibHarmoniaChannel.hm_channel_connect(call.allocateFrom(address), timeoutNs, error, ret);
            if (rc < 0)
            {
                throw new ChannelException(rc, "connecting to " + address + ": " + error.getString(0));
            }
            return new Channel(ret.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * The peer's identity from SO_PEERCRED.
     *
     * @return pid, uid and gid.
     */
    public PeerCredentials peer()
    {
        return peer;
    }

    /**
     * The shared region; claims and received messages are offsets into it.
     *
     * @return the region's bytes.
     */
    public MemorySegment buffer()
    {
        return buffer;
    }

    /**
     * Claims space for a payload of up to {@code capacity} bytes, waiting for space up to the timeout.
     *
     * @param capacity  the payload bytes to reserve.
     * @param timeoutNs the longest wait for space; negative waits without bound.
     * @return the payload offset in {@link #buffer()}.
     * @throws ChannelException ETIMEDOUT, or a dead or closed peer.
     */
    public long claim(final int capacity, final long timeoutNs)
    {
        final long deadline = timeoutNs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        while (true)
        {
            final long claim = producer.tryClaim(FRAME_LENGTH + capacity);
            if (RingProducer.INSUFFICIENT_CAPACITY != claim)
            {
                buffer.asSlice(claim, FRAME_LENGTH).fill((byte)0);
                return claim + FRAME_LENGTH;
            }
            final long remaining = timeoutNs < 0 ? -1 : deadline - System.nanoTime();
            if (timeoutNs >= 0 && remaining <= 0)
            {
                throw new ChannelException(ETIMEDOUT, "no space for " + capacity + " bytes in time");
            }
            final int rc = LibHarmoniaChannel.hm_channel_wait_writable(handle, capacity, remaining);
            if (rc < 0 && -ETIMEDOUT != rc)
            {
                throw new ChannelException(rc, "waiting for space to send");
            }
        }
    }

    /**
     * Sends a claimed payload.
     *
     * @param payloadOffset what {@link #claim} returned.
     * @param code          the message code.
     * @param length        the payload length written (at most the capacity claimed).
     */
    public void commit(final long payloadOffset, final int code, final int length)
    {
        final long frame = payloadOffset - FRAME_LENGTH;
        buffer.set(ValueLayout.JAVA_INT, frame, code);
        buffer.set(ValueLayout.JAVA_INT, frame + 8, length);
        buffer.set(ValueLayout.JAVA_BYTE, frame + 22, (byte)ValueLayout.ADDRESS.byteSize());
        buffer.set(ValueLayout.JAVA_BYTE, frame + 23, (byte)FRAME_VERSION);
        producer.commit(frame, RECORD_MESSAGE, FRAME_LENGTH + length);
    }

    /**
     * Sends a message if there is space now.
     *
     * @param code   the message code.
     * @param source the payload bytes.
     * @param offset the first byte in {@code source}.
     * @param length the payload length.
     * @return false when the sending ring is full (nothing sent).
     */
    public boolean offer(final int code, final MemorySegment source, final long offset, final int length)
    {
        final long claim = producer.tryClaim(FRAME_LENGTH + length);
        if (RingProducer.INSUFFICIENT_CAPACITY == claim)
        {
            return false;
        }
        buffer.asSlice(claim, FRAME_LENGTH).fill((byte)0);
        MemorySegment.copy(source, offset, buffer, claim + FRAME_LENGTH, length);
        commit(claim + FRAME_LENGTH, code, length);
        return true;
    }

    /**
     * Sends a message, waiting for space up to the timeout.
     *
     * @param code      the message code.
     * @param source    the payload bytes.
     * @param offset    the first byte in {@code source}.
     * @param length    the payload length.
     * @param timeoutNs the longest wait for space.
     */
    public void send(final int code, final MemorySegment source, final long offset, final int length,
        final long timeoutNs)
    {
        final long claim = claim(length, timeoutNs);
        MemorySegment.copy(source, offset, buffer, claim, length);
        commit(claim, code, length);
    }

    /**
     * Delivers up to {@code limit} waiting messages without blocking.
     *
     * @param handler receives each message in place.
     * @param limit   the most messages to deliver.
     * @return the number delivered.
     * @throws ChannelException for a message this Java end cannot take (fds or IpcIo objects) or a bad frame.
     */
    public int poll(final ChannelHandler handler, final int limit)
    {
        reader.handler = handler;
        final int read = consumer.read(reader, limit);
        return Math.max(read, 0);
    }

    /**
     * Waits up to the timeout for messages, then delivers up to {@code limit} of them.
     *
     * @param handler   receives each message in place.
     * @param limit     the most messages to deliver.
     * @param timeoutNs the longest wait; negative waits without bound.
     * @return the number delivered, 0 when the timeout passed.
     * @throws ChannelException {@link ChannelException#DEAD_PEER} when the peer died and nothing is left,
     *                          {@link ChannelException#CLOSED} when the channel was shut down and nothing is left.
     */
    public int receive(final ChannelHandler handler, final int limit, final long timeoutNs)
    {
        final int ready = poll(handler, limit);
        if (0 != ready)
        {
            return ready;
        }
        // Spin briefly in Java (no downcall), then park in C, which also watches the control socket.
        if (spinUntilReadable())
        {
            return poll(handler, limit);
        }
        final int rc = LibHarmoniaChannel.hm_channel_wait_readable(handle, timeoutNs);
        final int after = poll(handler, limit);
        if (0 != after || -ETIMEDOUT == rc || 0 == rc)
        {
            return after;
        }
        throw new ChannelException(rc, ChannelException.DEAD_PEER == -rc ?
            "the peer (pid " + peer.pid() + ") died" : "the channel was closed");
    }

    private boolean spinUntilReadable()
    {
        try
        {
            return consumer.await(0);
        }
        catch (final io.harmonia.bindings.queue.RegionException closed)
        {
            return false; // the C wait below reports it with the channel's error
        }
    }

    /**
     * How many busy polls a wait makes before it parks on the futex (both in Java and in the C wait).
     *
     * @param spins 0 parks at once (lowest CPU use); the default is 2000.
     */
    public void spinLimit(final int spins)
    {
        consumer.spinLimit(spins);
        producer.spinLimit(spins);
        LibHarmoniaChannel.hm_channel_set_spins(handle, spins);
    }

    /** Ends the channel for both sides: waiters on either side see it as closed. Idempotent. */
    public void shutdown()
    {
        LibHarmoniaChannel.hm_channel_shutdown(handle);
    }

    /** Shuts down and frees the channel: fds, mapping, memory. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            producer.close();
            consumer.close();
            region.close();
            LibHarmoniaChannel.hm_channel_close(handle);
        }
    }

    /** Parses frames and hands payloads to the user's handler. */
    private static final class FrameReader implements MessageHandler
    {
        ChannelHandler handler;

        @Override
        public void onMessage(final int type, final MemorySegment buffer, final long offset, final int length)
        {
            if (RECORD_MESSAGE != type || length < FRAME_LENGTH ||
                FRAME_VERSION != buffer.get(ValueLayout.JAVA_BYTE, offset + 23))
            {
                throw new ChannelException(74, "malformed frame: type=" + type + " length=" + length);
            }
            final int code = buffer.get(ValueLayout.JAVA_INT, offset);
            final int flags = buffer.get(ValueLayout.JAVA_INT, offset + 4);
            final int dataLength = buffer.get(ValueLayout.JAVA_INT, offset + 8);
            final int fdCount = buffer.get(ValueLayout.JAVA_SHORT, offset + 20);
            if (dataLength < 0 || dataLength > length - FRAME_LENGTH)
            {
                throw new ChannelException(74, "malformed frame: data_length=" + dataLength + " exceeds " +
                    (length - FRAME_LENGTH));
            }
            if (0 != fdCount || 0 != (flags & FLAG_IPCIO))
            {
                throw new ChannelException(95, "message code=" + code + " carries " + fdCount +
                    " fds / IpcIo objects: the Java channel carries bytes only (use the C API for objects)");
            }
            handler.onMessage(code, buffer, offset + FRAME_LENGTH, dataLength);
        }
    }
}
