package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

import io.harmonia.bindings.Errno;
import io.harmonia.bindings.NativeLibrary;
import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoFormat;
import io.harmonia.bindings.ipc.IpcIoRawData;
import io.harmonia.bindings.queue.MessageHandler;
import io.harmonia.bindings.queue.RegionException;
import io.harmonia.bindings.queue.RingConsumer;
import io.harmonia.bindings.queue.RingProducer;
import io.harmonia.bindings.queue.SharedRegion;

/**
 * One end of a channel (see {@code harmonia/channel.h}), equal to the C API and byte-compatible with it in both
 * directions: messages are claimed in the sending ring, written in place and committed, and read in place from the
 * receiving ring, all through MemorySegment flyweights. Every record starts with the channel's 32-byte frame
 * header (code, flags, data length, object-table offset, object count, fd count, pointer size, version, fd tag).
 *
 * <p>Messages carry raw bytes ({@link #send}, {@link #claim}/{@link #commit}) or an IpcIo message marshalled
 * straight into the claimed slot ({@link #claimIpcIo}/{@link #commitIpcIo}, through an {@link IpcIoBuffer}) and
 * read in place by the receiver ({@link ChannelMessage#ipcIo()}): zero copies on either side. File descriptors
 * (fd objects of an IpcIo message, or the fds of a raw message) travel beside the record with SCM_RIGHTS on the
 * control socket, sent before the commit under a tag that the frame names, exactly as the C channel sends them;
 * the receiver installs them and rewrites the fd objects with its own numbers. Large raw data (above 32 KiB) is
 * an fd object naming a sealed memfd ({@link io.harmonia.bindings.ipc.IpcIoRawData}).
 *
 * <p>Downcalls: connect/accept, close, the waits (which also watch the control socket, so a dead peer ends every
 * wait with {@link ChannelException#DEAD_PEER} within milliseconds), and, only for a message that carries fds,
 * one call to send them and one to receive them. A message without fds makes no downcall on either side.
 *
 * <p>Receiving: a {@link ChannelMessageHandler} gets every kind of message as a {@link ChannelMessage} and the
 * channel releases it when the handler returns (fds nobody took are closed, raw-data mappings unmapped). A
 * {@link ChannelHandler} gets raw bytes only; it refuses a message with fds or an IpcIo payload with a
 * {@link ChannelException} (closing its fds).
 *
 * <p>Thread safety: {@link #offer}, {@link #send}, {@link #claim}, {@link #claimIpcIo}, {@link #commit},
 * {@link #commitIpcIo} and {@link #abort} may be called from many threads at once (each with its own claim and
 * IpcIoBuffer); {@link #poll} and {@link #receive} from one thread at a time; {@link #shutdown} from any.
 */
public final class Channel implements AutoCloseable
{
    /** Bytes of the frame header before every payload. */
    public static final int FRAME_LENGTH = 32;
    /** Frame flag of an IpcIo payload (data, then the object table at the table offset). */
    public static final int FLAG_IPCIO = 1;
    /** Most objects an IpcIo message claimed here may hold (as {@code hm_channel_claim_ipcio}). */
    public static final int MAX_IPCIO_OBJECTS = 1024;
    private static final int RECORD_MESSAGE = 1;
    private static final int FRAME_VERSION = 1;
    private static final int FRAME_FLAGS = 4;
    private static final int FRAME_DATA_LENGTH = 8;
    private static final int FRAME_TABLE_OFFSET = 12;
    private static final int FRAME_OBJECT_COUNT = 16;
    private static final int FRAME_FD_COUNT = 20;
    private static final int FRAME_POINTER_SIZE = 22;
    private static final int FRAME_VERSION_OFFSET = 23;
    private static final int FRAME_FD_TAG = 24;
    private static final int POINTER_SIZE = (int)ValueLayout.ADDRESS.byteSize();
    private static final int ENOSPC = 28;
    private static final int ENOBUFS = 105;
    private static final int EPROTO = 71;
    private static final int EBADMSG = 74;
    private static final int EOVERFLOW = 75;
    private static final int EOPNOTSUPP = 95;
    private static final int ETIMEDOUT = 110;

    static
    {
        // The frame is host byte order on both sides; every platform with an FFM port is little-endian, and the
        // packed stores below rely on it.
        if (ByteOrder.LITTLE_ENDIAN != ByteOrder.nativeOrder())
        {
            throw new ExceptionInInitializerError("channel frames are written for little-endian hosts only");
        }
    }

    private final MemorySegment handle;
    private final SharedRegion region;
    private final MemorySegment buffer;
    private final RingProducer producer;
    private final RingConsumer consumer;
    private final PeerCredentials peer;
    private final FrameReader reader;
    private boolean closed;

    Channel(final MemorySegment handle)
    {
        this.handle = handle;
        this.region = SharedRegion.view(LibHarmoniaChannel.hm_channel_region(handle));
        this.buffer = region.segment();
        this.producer = region.producer(LibHarmoniaChannel.hm_channel_send_ring(handle));
        this.consumer = region.consumer(LibHarmoniaChannel.hm_channel_receive_ring(handle));
        this.reader = new FrameReader(handle, Arena.ofAuto().allocate(4L * ChannelMessage.MAX_FDS, 4));
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

    /** The C channel, for the other classes of this package that make downcalls on it. */
    MemorySegment handle()
    {
        return handle;
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
            final long claim = tryClaim(FRAME_LENGTH + capacity);
            if (RingProducer.INSUFFICIENT_CAPACITY != claim)
            {
                return claim + FRAME_LENGTH; // commit writes every byte of the frame
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
        writeFrame(frame, code, 0, length, 0, 0, 0, 0);
        commitRecord(frame, FRAME_LENGTH + length, false);
    }

    /** Commits a raw message into a claim this channel just made itself (offer, send). */
    private void commitFresh(final long payloadOffset, final int code, final int length)
    {
        final long frame = payloadOffset - FRAME_LENGTH;
        writeFrame(frame, code, 0, length, 0, 0, 0, 0);
        commitRecord(frame, FRAME_LENGTH + length, true);
    }

    private long tryClaim(final int length)
    {
        try
        {
            return producer.tryClaim(length);
        }
        catch (final RegionException broken)
        {
            throw sendRingBroken(broken);
        }
    }

    /**
     * Commits a record. When the claim and the length are this channel's own ({@code ours}: offer, send, an IpcIo
     * slot), a claim that no longer reads as claimed, or as smaller than the length, can only mean that the peer
     * rewrote its header: that is an error for this channel, not the caller's.
     */
    private void commitRecord(final long frame, final int length, final boolean ours)
    {
        try
        {
            producer.commit(frame, RECORD_MESSAGE, length);
        }
        catch (final RegionException broken)
        {
            throw sendRingBroken(broken);
        }
        catch (final IllegalStateException | IllegalArgumentException rewritten)
        {
            if (!ours)
            {
                throw rewritten;
            }
            throw new ChannelException(-EPROTO, "send ring: our claimed header at offset " + frame +
                " was overwritten before the commit (" + rewritten.getMessage() + ")");
        }
    }

    private void abortClaim(final long frame)
    {
        try
        {
            producer.abort(frame);
        }
        catch (final RegionException broken)
        {
            throw sendRingBroken(broken);
        }
    }

    /** The peer broke the rules of the ring we send into (a tail, our claimed header): an error for this channel. */
    private static ChannelException sendRingBroken(final RegionException broken)
    {
        return new ChannelException(broken.errno(), "send ring: " + broken.detail());
    }

    /**
     * Reads from the receive ring. When the peer broke its rules (a record header out of bounds or of an invalid
     * type) the channel is given up: shut down, so the peer sees it closed, with a {@link ChannelException} (EPROTO)
     * that names the record, the field, its value and the limit; every later read throws it again.
     */
    private int readRing(final int limit)
    {
        try
        {
            return Math.max(consumer.read(reader, limit), 0);
        }
        catch (final RegionException broken)
        {
            if (RegionException.PROTOCOL_VIOLATION != broken.errno())
            {
                throw broken;
            }
            shutdown();
            throw new ChannelException(-EPROTO, "receive ring: " + broken.detail());
        }
    }

    /**
     * Sends a claimed payload with file descriptors ({@code hm_channel_commit}): the fds go with SCM_RIGHTS before
     * the commit (one downcall); the receiver gets its own copies, the caller keeps its fds. On failure the claim
     * is given up and nothing is delivered.
     *
     * @param payloadOffset what {@link #claim} returned.
     * @param code          the message code.
     * @param length        the payload length written.
     * @param fds           up to {@link ChannelMessage#MAX_FDS} open fds.
     * @throws ChannelException when the fds cannot be sent (e.g. {@link ChannelException#DEAD_PEER}).
     */
    public void commit(final long payloadOffset, final int code, final int length, final int[] fds)
    {
        final long frame = payloadOffset - FRAME_LENGTH;
        if (fds.length > ChannelMessage.MAX_FDS)
        {
            abortClaim(frame);
            throw new ChannelException(-ENOSPC, "a message carries at most " + ChannelMessage.MAX_FDS +
                " fds, not " + fds.length);
        }
        final long tag = 0 == fds.length ? 0 : sendFds(frame, fds, fds.length);
        writeFrame(frame, code, 0, length, 0, 0, fds.length, tag);
        commitRecord(frame, FRAME_LENGTH + length, false);
    }

    /**
     * Gives a claim up (raw or IpcIo): the receiver skips it.
     *
     * @param payloadOffset what {@link #claim} or {@link #claimIpcIo} returned.
     */
    public void abort(final long payloadOffset)
    {
        abortClaim(payloadOffset - FRAME_LENGTH);
    }

    /**
     * Claims a slot for an IpcIo message and sets {@code io} up to write straight into it
     * ({@code hm_channel_claim_ipcio}): {@code dataCapacity} bytes of data, then, 8-aligned, room for
     * {@code maxObjects} object-table entries. Write with the {@link IpcIoBuffer} methods, then
     * {@link #commitIpcIo} (or {@link #abort}).
     *
     * @param io           the writer to set up (no expander: the slot does not grow).
     * @param dataCapacity bytes of data, at least 1.
     * @param maxObjects   0..{@link #MAX_IPCIO_OBJECTS} objects (fds, remote objects, large raw data).
     * @param timeoutNs    the longest wait for space; negative waits without bound.
     * @return the payload offset, to pass to {@link #commitIpcIo}.
     * @throws IllegalArgumentException when a size is out of range or can never fit the ring.
     * @throws ChannelException ETIMEDOUT, or a dead or closed peer.
     */
    public long claimIpcIo(final IpcIoBuffer io, final int dataCapacity, final int maxObjects, final long timeoutNs)
    {
        if (dataCapacity < 1 || dataCapacity > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("dataCapacity=" + dataCapacity + " must be 1.." +
                Integer.MAX_VALUE / 2);
        }
        if (maxObjects < 0 || maxObjects > MAX_IPCIO_OBJECTS)
        {
            throw new IllegalArgumentException("maxObjects=" + maxObjects + " must be 0.." + MAX_IPCIO_OBJECTS);
        }
        final int tableOffset = tableOffset(dataCapacity);
        final long tableBytes = (long)maxObjects * IpcIoFormat.OFFSET_ENTRY_SIZE;
        final long claim = claim(Math.toIntExact(tableOffset + tableBytes), timeoutNs);
        io.wrapForWriting(buffer.asSlice(claim, dataCapacity),
            0 == maxObjects ? MemorySegment.NULL : buffer.asSlice(claim + tableOffset, tableBytes))
            .expander(null);
        return claim;
    }

    /**
     * Sends what was written into an IpcIo slot ({@code hm_channel_commit_ipcio}): the fds of its fd objects go
     * with SCM_RIGHTS in table order before the commit (one downcall, only when there are fds), the frame records
     * the data length, table offset and object count, and {@code io} is left unusable (its memory is the slot).
     * The receiver holds its own copies of the fds: the writer's fds (and memfds it made for raw data) stay the
     * writer's to close. As in C, a buffer that failed after writing something sends what it wrote; one that
     * failed before writing anything is refused (EOVERFLOW). On any failure the claim is given up.
     *
     * @param payloadOffset what {@link #claimIpcIo} returned.
     * @param io            the writer {@link #claimIpcIo} set up.
     * @param code          the message code.
     * @throws IllegalArgumentException when {@code io} does not write into this slot (nothing changes).
     * @throws ChannelException when nothing was written or the fds cannot be sent.
     */
    public void commitIpcIo(final long payloadOffset, final IpcIoBuffer io, final int code)
    {
        if (io.data().address() != buffer.address() + payloadOffset || io.readOnly())
        {
            throw new IllegalArgumentException("the IpcIoBuffer does not write into the slot at " + payloadOffset);
        }
        final long frame = payloadOffset - FRAME_LENGTH;
        final int dataLength = (int)io.writePosition();
        final int objectCount = io.objectCount();
        try
        {
            if (0 == dataLength && 0 == objectCount && io.failed())
            {
                abortClaim(frame);
                throw new ChannelException(-EOVERFLOW, "nothing to send: " + io.describeFailure());
            }
            final int fdCount = io.fdCount();
            long tag = 0;
            if (0 != fdCount)
            {
                if (fdCount > ChannelMessage.MAX_FDS)
                {
                    abortClaim(frame);
                    throw new ChannelException(-ENOSPC, "a message carries at most " + ChannelMessage.MAX_FDS +
                        " fds, not " + fdCount);
                }
                final int[] fds = new int[fdCount];
                io.collectFds(fds);
                tag = sendFds(frame, fds, fdCount);
            }
            final int tableOffset = tableOffset((int)io.capacity());
            writeFrame(frame, code, FLAG_IPCIO, dataLength, tableOffset, objectCount, fdCount, tag);
            commitRecord(frame, FRAME_LENGTH + tableOffset + objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE, true);
        }
        finally
        {
            io.wrapForWriting(MemorySegment.NULL, MemorySegment.NULL);
        }
    }

    private static int tableOffset(final int dataCapacity)
    {
        return (dataCapacity + 7) & ~7;
    }

    /** Sends fds under a new tag (one downcall); on failure gives the claim up and throws. */
    private long sendFds(final long frame, final int[] fds, final int count)
    {
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment nativeFds = call.allocate(4L * count, 4);
            MemorySegment.copy(fds, 0, nativeFds, ValueLayout.JAVA_INT, 0, count);
            final MemorySegment tag = call.allocate(ValueLayout.JAVA_LONG);
            final int rc = LibHarmoniaChannel.hm_channel_send_fds(handle, nativeFds, count, tag);
            if (rc < 0)
            {
                abortClaim(frame);
                throw new ChannelException(rc, "sending " + count + " fds to the peer (pid " + peer.pid() + ")");
            }
            return tag.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Writes all 32 bytes of a frame header as four 8-byte stores (little-endian, see the static check). */
    private void writeFrame(final long frame, final int code, final int flags, final int dataLength,
        final int tableOffset, final int objectCount, final int fdCount, final long tag)
    {
        buffer.set(ValueLayout.JAVA_LONG, frame, (code & 0xffff_ffffL) | ((long)flags << 32));
        buffer.set(ValueLayout.JAVA_LONG, frame + FRAME_DATA_LENGTH,
            (dataLength & 0xffff_ffffL) | ((long)tableOffset << 32));
        buffer.set(ValueLayout.JAVA_LONG, frame + FRAME_OBJECT_COUNT, (objectCount & 0xffff_ffffL) |
            ((long)fdCount << 32) | ((long)POINTER_SIZE << 48) | ((long)FRAME_VERSION << 56));
        buffer.set(ValueLayout.JAVA_LONG, frame + FRAME_FD_TAG, tag);
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
        final long claim = tryClaim(FRAME_LENGTH + length);
        if (RingProducer.INSUFFICIENT_CAPACITY == claim)
        {
            return false;
        }
        MemorySegment.copy(source, offset, buffer, claim + FRAME_LENGTH, length);
        commitFresh(claim + FRAME_LENGTH, code, length);
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
        commitFresh(claim, code, length);
    }

    /**
     * Delivers up to {@code limit} waiting raw-byte messages without blocking.
     *
     * @param handler receives each message's payload in place.
     * @param limit   the most messages to deliver.
     * @return the number delivered.
     * @throws ChannelException for a message with fds or an IpcIo payload (use a {@link ChannelMessageHandler};
     *                          the message is skipped and its fds closed) or a malformed frame (skipped).
     */
    public int poll(final ChannelHandler handler, final int limit)
    {
        reader.use(Objects.requireNonNull(handler, "handler"), null);
        return readRing(limit);
    }

    /**
     * Delivers up to {@code limit} waiting messages of any kind without blocking.
     *
     * @param handler receives each message in place; the message is released when it returns.
     * @param limit   the most messages to deliver.
     * @return the number delivered.
     * @throws ChannelException for a malformed frame, fds that did not arrive as announced, or an IpcIo object
     *                          table that does not describe the data (the message is skipped, its fds closed).
     */
    public int poll(final ChannelMessageHandler handler, final int limit)
    {
        reader.use(null, Objects.requireNonNull(handler, "handler"));
        return readRing(limit);
    }

    /**
     * Waits up to the timeout for messages, then delivers up to {@code limit} raw-byte messages.
     *
     * @param handler   receives each message's payload in place.
     * @param limit     the most messages to deliver.
     * @param timeoutNs the longest wait; negative waits without bound.
     * @return the number delivered, 0 when the timeout passed.
     * @throws ChannelException {@link ChannelException#DEAD_PEER} when the peer died and nothing is left,
     *                          {@link ChannelException#CLOSED} when the channel was shut down and nothing is left,
     *                          or as {@link #poll(ChannelHandler, int)}.
     */
    public int receive(final ChannelHandler handler, final int limit, final long timeoutNs)
    {
        reader.use(Objects.requireNonNull(handler, "handler"), null);
        return receive(limit, timeoutNs);
    }

    /**
     * Waits up to the timeout for messages, then delivers up to {@code limit} messages of any kind.
     *
     * @param handler   receives each message in place; the message is released when it returns.
     * @param limit     the most messages to deliver.
     * @param timeoutNs the longest wait; negative waits without bound.
     * @return the number delivered, 0 when the timeout passed.
     * @throws ChannelException {@link ChannelException#DEAD_PEER} when the peer died and nothing is left,
     *                          {@link ChannelException#CLOSED} when the channel was shut down and nothing is left,
     *                          or as {@link #poll(ChannelMessageHandler, int)}.
     */
    public int receive(final ChannelMessageHandler handler, final int limit, final long timeoutNs)
    {
        reader.use(null, Objects.requireNonNull(handler, "handler"));
        return receive(limit, timeoutNs);
    }

    private int receive(final int limit, final long timeoutNs)
    {
        final int ready = readRing(limit);
        if (0 != ready)
        {
            return ready;
        }
        // Spin briefly in Java (no downcall), then park in C, which also watches the control socket.
        if (spinUntilReadable())
        {
            final int spun = readRing(limit);
            if (0 != spun)
            {
                return spun;
            }
        }
        final long deadline = timeoutNs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        while (true)
        {
            final long remaining = timeoutNs < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            final int rc = LibHarmoniaChannel.hm_channel_wait_readable(handle, remaining);
            final int after = readRing(limit);
            if (0 != after || -ETIMEDOUT == rc)
            {
                return after;
            }
            if (0 == rc)
            {
                // The wait also ends for a claim not yet committed (after checking the peer, closure and the
                // deadline) so that it can be checked for a dead claimer: wait on until the deadline.
                if (timeoutNs >= 0 && deadline - System.nanoTime() <= 0)
                {
                    return 0;
                }
                continue;
            }
            throw new ChannelException(rc, ChannelException.DEAD_PEER == -rc ?
                "the peer (pid " + peer.pid() + ") died" : "the channel was closed");
        }
    }

    private boolean spinUntilReadable()
    {
        try
        {
            return consumer.await(0);
        }
        catch (final RegionException closed)
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

    /** Links the downcalls of a channel's teardown ahead of time (a long-lived service calls it once at start). */
    public static void linkTeardown()
    {
        NativeLibrary.ensureLoaded();
        LibHarmoniaChannel.linkTeardown();
    }

    /**
     * Says that another thread watches this channel's control socket ({@link HangupWatch}) and calls
     * {@link #shutdown()} when the peer hangs up: waits then stop polling the socket every 2 ms and park for up to
     * 200 ms at a time (closure wakes them at once), so an idle channel costs almost no wake-ups.
     *
     * @param watched true when a watcher calls {@link #shutdown()} on a hang-up.
     */
    public void watchedElsewhere(final boolean watched)
    {
        LibHarmoniaChannel.hm_channel_set_watched(handle, watched ? 1 : 0);
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

    /**
     * Parses and validates frames as the C receiver does ({@code parse_frame}), receives and installs fds, sets
     * IpcIo readers up over the slot, and hands messages to the user's handler.
     */
    private static final class FrameReader implements MessageHandler
    {
        private final MemorySegment handle;
        private final MemorySegment fdScratch;
        private final ChannelMessage message = new ChannelMessage();
        private ChannelHandler bytesHandler;
        private ChannelMessageHandler messageHandler;

        FrameReader(final MemorySegment handle, final MemorySegment fdScratch)
        {
            this.handle = handle;
            this.fdScratch = fdScratch;
        }

        void use(final ChannelHandler bytes, final ChannelMessageHandler messages)
        {
            this.bytesHandler = bytes;
            this.messageHandler = messages;
        }

        @Override
        public void onMessage(final int type, final MemorySegment buffer, final long offset, final int length)
        {
            if (RECORD_MESSAGE != type || length < FRAME_LENGTH)
            {
                throw new ChannelException(-EBADMSG, "malformed frame: type=" + type + " length=" + length);
            }
            final int code = buffer.get(ValueLayout.JAVA_INT, offset);
            final int flags = buffer.get(ValueLayout.JAVA_INT, offset + FRAME_FLAGS);
            final long dataLength = buffer.get(ValueLayout.JAVA_INT, offset + FRAME_DATA_LENGTH) & 0xffff_ffffL;
            final int fdCount = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT, offset + FRAME_FD_COUNT));
            final long tag = buffer.get(ValueLayout.JAVA_LONG, offset + FRAME_FD_TAG);
            final long payload = length - FRAME_LENGTH;
            final boolean ipcIo = 0 != (flags & FLAG_IPCIO);
            if (FRAME_VERSION != buffer.get(ValueLayout.JAVA_BYTE, offset + FRAME_VERSION_OFFSET) ||
                dataLength > payload || fdCount > ChannelMessage.MAX_FDS || (0 != fdCount) != (0 != tag))
            {
                discardFds(tag, fdCount);
                throw new ChannelException(-EBADMSG, "malformed frame of message code=" + code + ": data_length=" +
                    dataLength + " of " + payload + " payload bytes, fd_count=" + fdCount + ", fd_tag=" + tag);
            }
            final long tableOffset = buffer.get(ValueLayout.JAVA_INT, offset + FRAME_TABLE_OFFSET) & 0xffff_ffffL;
            final long objectCount = buffer.get(ValueLayout.JAVA_INT, offset + FRAME_OBJECT_COUNT) & 0xffff_ffffL;
            final byte pointerSize = buffer.get(ValueLayout.JAVA_BYTE, offset + FRAME_POINTER_SIZE);
            if (ipcIo && (POINTER_SIZE != pointerSize ||
                0 != tableOffset % IpcIoFormat.OFFSET_ENTRY_SIZE || tableOffset < dataLength || tableOffset > payload ||
                objectCount * IpcIoFormat.OFFSET_ENTRY_SIZE > payload - tableOffset))
            {
                discardFds(tag, fdCount);
                throw new ChannelException(-EBADMSG, "malformed IpcIo frame of message code=" + code +
                    ": pointer size " + pointerSize + " (ours " +
                    POINTER_SIZE + "), data_length=" + dataLength + ", table_offset=" + tableOffset +
                    ", object_count=" + objectCount + " in " + payload + " payload bytes");
            }
            final long payloadOffset = offset + FRAME_LENGTH;
            if (null != bytesHandler)
            {
                if (0 != fdCount || ipcIo)
                {
                    discardFds(tag, fdCount);
                    throw new ChannelException(-EOPNOTSUPP, "message code=" + code + " carries " + fdCount +
                        " fds" + (ipcIo ? " and an IpcIo payload" : "") +
                        ": a ChannelHandler takes raw bytes only, receive it with a ChannelMessageHandler");
                }
                bytesHandler.onMessage(code, buffer, payloadOffset, (int)dataLength);
                return;
            }
            deliver(code, ipcIo, buffer, payloadOffset, (int)dataLength, (int)tableOffset, (int)objectCount,
                fdCount, tag);
        }

        private void deliver(final int code, final boolean ipcIo, final MemorySegment buffer,
            final long payloadOffset, final int dataLength, final int tableOffset, final int objectCount,
            final int fdCount, final long tag)
        {
            final ChannelMessage message = this.message;
            message.begin(code, ipcIo, buffer, payloadOffset, dataLength);
            try
            {
                if (0 != fdCount)
                {
                    takeFds(code, tag, fdCount, message.fdSlots());
                    message.fdCount(fdCount);
                }
                if (ipcIo)
                {
                    final IpcIoBuffer io = message.reader();
                    io.wrapForReading(buffer.asSlice(payloadOffset, dataLength), dataLength,
                        0 == objectCount ? MemorySegment.NULL :
                            buffer.asSlice(payloadOffset + tableOffset, (long)objectCount * 8), objectCount);
                    if (io.failed())
                    {
                        throw new ChannelException(-EBADMSG, "IpcIo message code=" + code + ": " +
                            io.describeFailure());
                    }
                    // As hm_ipcio_install_fds: the fd objects get this process's numbers, in table order.
                    if (!io.installFds(message.fdSlots(), fdCount))
                    {
                        throw new ChannelException(-EBADMSG, "IpcIo message code=" + code + " came with " + fdCount +
                            " fds for " + io.fdCount() + " fd objects");
                    }
                }
                messageHandler.onMessage(message);
            }
            finally
            {
                message.release();
            }
        }

        /** Receives the fds sent with a tag (one downcall) into {@code into}. */
        private void takeFds(final int code, final long tag, final int count, final int[] into)
        {
            final int rc = LibHarmoniaChannel.hm_channel_take_fds(handle, tag, count, fdScratch);
            if (rc < 0)
            {
                // No batch with that tag and count, a truncated one, or too many batches ahead of their frames:
                // the frame is skipped (as in C), the channel goes on.
                throw new ChannelException(-EPROTO == rc || -ENOBUFS == rc || -EBADMSG == rc ? -EBADMSG : rc,
                    "receiving the " + count + " fds of message code=" + code + " (fd_tag=" + tag + "): " +
                    Errno.describe(rc));
            }
            MemorySegment.copy(fdScratch, ValueLayout.JAVA_INT, 0, into, 0, count);
        }

        /** Takes and closes the fds of a message that is skipped, so they do not pile up on the socket. */
        private void discardFds(final long tag, final int count)
        {
            if (0 == tag || count < 1 || count > ChannelMessage.MAX_FDS ||
                LibHarmoniaChannel.hm_channel_take_fds(handle, tag, count, fdScratch) < 0)
            {
                return;
            }
            for (int i = 0; i < count; i++)
            {
                IpcIoRawData.close(fdScratch.get(ValueLayout.JAVA_INT, 4L * i));
            }
        }
    }
}
