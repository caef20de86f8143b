package io.harmonia.rpc;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelMessage;
import io.harmonia.bindings.channel.ChannelMessageHandler;

/**
 * Another process's requests to this process's objects, over a channel the other process opened to this process's
 * endpoint (or to an endpoint where an object is published): requests and control frames arrive on ring 0, replies
 * leave on ring 1.
 *
 * <p><b>Readers.</b> One thread at a time holds the reading role. It reads a frame, and for a request to run it gives
 * the role up and runs the handler itself, on the request copied out of the ring (no hand-off on the common path);
 * then it tries to take the role again, and retires if another thread has it. A handler that runs longer than
 * {@code promoteMicros} gets a second reader for the connection from the {@link IncomingCalls} housekeeper, so a slow
 * handler never stops the connection. Requests found behind the first one in a batch go to worker threads. A
 * reader with nothing to read polls for {@code spinMicros}, then parks in the channel's futex.
 *
 * <p><b>Untrusted input.</b> Every frame is checked against its length and the limits in {@link Frames} before use;
 * a frame that breaks them closes this connection (the peer sees its calls fail) and nothing else.
 */
final class IncomingConnection extends Connection
{
    /** Longest wait of an idle reader: a close or the peer's death wakes it at once (the death watch shuts the
     * channel down), so this only bounds how long a reader sleeps without looking. */
    private static final long IDLE_PARK_NS = 1_000_000_000L;

    /** The caller identity of every request on this connection: kernel uid and pid, appspawn's token id. */
    final CallingIdentity caller;
    /** The object published where this connection was accepted (object id {@link Frames#ROOT_OBJECT}), or null. */
    final RemoteObject root;
    private volatile String peerAddress;
    private final AtomicInteger reading = new AtomicInteger();
    /** When the last reader started a handler and left the role free; 0 when none runs or one was promoted. */
    final AtomicLong handlerSince = new AtomicLong();
    private final FrameDecoder decoder = new FrameDecoder();
    /** One-way requests of this connection waiting or running; the array is also the monitor. */
    private final int[] oneWays = new int[1];

    IncomingConnection(final RpcRuntime runtime, final Channel channel, final RemoteObject root)
    {
        super(runtime, channel);
        this.root = root;
        this.caller = new CallingIdentity(peer.uid(), peer.pid(), runtime.tokenOf(peer.pid()), false);
    }

    @Override
    OutgoingConnection linkToPeer()
    {
        final String address = peerAddress;
        if (null == address)
        {
            throw new RpcException(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR, "pid " + peerPid() +
                " did not say where its endpoint listens (no HELLO)");
        }
        return runtime.outgoing(address, peerPid());
    }

    @Override
    void onClosed(final String reason)
    {
        runtime.incomingClosed(this, reason);
    }

    /**
     * Blocks this connection's reader while {@code limit} one-way requests of this connection wait or run.
     */
    void awaitOneWayRoom(final int limit)
    {
        synchronized (oneWays)
        {
            while (oneWays[0] >= limit && !isClosed())
            {
                try
                {
                    oneWays.wait(10);
                }
                catch (final InterruptedException interrupted)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            oneWays[0]++;
        }
    }

    private boolean atOneWayLimit()
    {
        synchronized (oneWays)
        {
            return oneWays[0] >= runtime.config().oneWayQueue();
        }
    }

    /** A one-way request of this connection finished. */
    void oneWayDone()
    {
        synchronized (oneWays)
        {
            oneWays[0]--;
            oneWays.notifyAll();
        }
    }

    /** Whether a reader holds the role. */
    boolean hasReader()
    {
        return 0 != reading.get();
    }

    /**
     * A reader thread's life: read and run requests until another reader takes over or the connection closes.
     */
    void serve()
    {
        final IncomingCalls calls = runtime.incoming();
        while (!isClosed())
        {
            if (!reading.compareAndSet(0, 1))
            {
                return; // another reader has the connection
            }
            Runnable work;
            try
            {
                work = readOne();
            }
            finally
            {
                reading.set(0);
            }
            if (null != work)
            {
                final long started = System.nanoTime() | 1; // never 0, which means "none"
                handlerSince.set(started);
                calls.handlerStarted(started);
                try
                {
                    calls.runHeld(work);
                }
                finally
                {
                    handlerSince.compareAndSet(started, 0);
                }
            }
        }
    }

    /**
     * Reads until there is a request for this thread to run (with a work permit taken), the connection closes, or
     * another reader should take over.
     */
    private Runnable readOne()
    {
        if (!enter())
        {
            return null;
        }
        try
        {
            long lastActive = System.nanoTime();
            final long spin = runtime.config().spinNanos();
            while (!isClosed())
            {
                decoder.runHere = null;
                final int read;
                if (System.nanoTime() - lastActive < spin)
                {
                    read = channel.poll(decoder, 16);
                }
                else
                {
                    read = channel.receive(decoder, 16, IDLE_PARK_NS);
                }
                if (null != decoder.runHere)
                {
                    return decoder.runHere;
                }
                if (0 != read)
                {
                    lastActive = System.nanoTime();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            return null;
        }
        catch (final ChannelException broken)
        {
            close(broken.isDeadPeer() || ChannelException.CLOSED == broken.errno()
                ? "the client (pid " + peerPid() + ") is gone: " + broken.getMessage()
                : "the client (pid " + peerPid() + ") sent a malformed frame: " + broken.getMessage());
            return decoder.runHere;
        }
        catch (final OutgoingConnection.ProtocolViolation violation)
        {
            close("the client (pid " + peerPid() + ") broke the protocol: " + violation.getMessage());
            return decoder.runHere;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Sends the reply of a synchronous request. A reply that cannot be encoded goes out as the status REPLY_TOO_LARGE
     * with no data; a closed connection drops it.
     */
    void sendReply(final long callId, final int status, final MessageSequence reply)
    {
        if (!enter())
        {
            return;
        }
        try
        {
            MessageCodec.Outgoing body = null;
            int finalStatus = status;
            if (0 == status && null != reply)
            {
                try
                {
                    body = MessageCodec.plan(runtime, reply, peerPid(), CallFailure.REPLY_TOO_LARGE);
                }
                catch (final RemoteCallException tooLarge)
                {
                    finalStatus = tooLarge.failure().status();
                }
            }
            final int bodyLength = null == body ? 0 : body.inlineLength();
            final long payload;
            try
            {
                payload = channel.claim(Frames.REPLY_HEADER + bodyLength, runtime.config().connectNanos());
            }
            catch (final ChannelException | IllegalArgumentException failed)
            {
                if (null != body)
                {
                    body.abandon();
                }
                if (failed instanceof IllegalArgumentException)
                {
                    sendReply(callId, CallFailure.REPLY_TOO_LARGE.status(), null);
                }
                else
                {
                    close("replying to pid " + peerPid() + " failed: " + failed.getMessage());
                }
                return;
            }
            final MemorySegment buffer = channel.buffer();
            buffer.set(Frames.LONG, payload + Frames.REPLY_ID, callId);
            buffer.set(Frames.INT, payload + Frames.REPLY_STATUS, finalStatus);
            buffer.set(Frames.INT, payload + Frames.REPLY_FLAGS, null != body && body.spilled ? Frames.BODY_SPILLED : 0);
            buffer.set(Frames.INT, payload + Frames.REPLY_DATA_LENGTH, null == body ? 0 : body.dataLength);
            buffer.set(Frames.INT, payload + Frames.REPLY_OBJECT_COUNT, null == body ? 0 : body.objectCount);
            buffer.set(Frames.INT, payload + Frames.REPLY_REF_COUNT, null == body ? 0 : body.references.length);
            buffer.set(Frames.INT, payload + 28, 0);
            try
            {
                if (null == body)
                {
                    channel.commit(payload, Frames.REPLY, Frames.REPLY_HEADER);
                    return;
                }
                body.write(buffer, payload + Frames.REPLY_HEADER);
                if (0 == body.fds.length)
                {
                    channel.commit(payload, Frames.REPLY, Frames.REPLY_HEADER + bodyLength);
                }
                else
                {
                    channel.commit(payload, Frames.REPLY, Frames.REPLY_HEADER + bodyLength, body.fds);
                }
                body.sent();
            }
            catch (final ChannelException gone)
            {
                body.abandon();
                close("replying to pid " + peerPid() + " failed: " + gone.getMessage());
            }
        }
        finally
        {
            exit();
        }
    }

    /** Decodes the frames of ring 0; requests are handed to {@link IncomingCalls}. */
    private final class FrameDecoder implements ChannelMessageHandler
    {
        /** Work this reader runs itself once it returns from the poll (it holds a work permit for it). */
        Runnable runHere;
        private final StringBuilder why = new StringBuilder();

        @Override
        public void onMessage(final ChannelMessage message)
        {
            final MemorySegment buffer = message.buffer();
            final long at = message.offset();
            final int length = message.length();
            switch (message.code())
            {
                case Frames.CALL, Frames.ONEWAY -> request(message, buffer, at, length);
                case Frames.ACQUIRE -> acquire(buffer, at, length, false);
                case Frames.ACQUIRE_SYNC -> acquire(buffer, at, length, true);
                case Frames.RELEASE ->
                {
                    expect(length, Frames.RELEASE_LENGTH, "RELEASE");
                    final long count = buffer.get(Frames.LONG, at + 8);
                    if (count < 1 || count > Integer.MAX_VALUE)
                    {
                        throw new OutgoingConnection.ProtocolViolation("RELEASE of " + count + " references");
                    }
                    runtime.objects().release(peerPid(), buffer.get(Frames.LONG, at), (int)count);
                }
                case Frames.TRANSFER_DONE ->
                {
                    expect(length, Frames.TRANSFER_DONE_LENGTH, "TRANSFER_DONE");
                    runtime.transferDoneBy(buffer.get(Frames.LONG, at), peerPid());
                }
                case Frames.HELLO -> hello(buffer, at, length);
                default -> throw new OutgoingConnection.ProtocolViolation("a " + Frames.kindName(message.code()) +
                    " frame on the request ring");
            }
        }

        private void expect(final int length, final int expected, final String kind)
        {
            if (length != expected)
            {
                throw new OutgoingConnection.ProtocolViolation(kind + " of " + length + " bytes, expected " + expected);
            }
        }

        private void hello(final MemorySegment buffer, final long at, final int length)
        {
            if (length < Frames.HELLO_HEADER)
            {
                throw new OutgoingConnection.ProtocolViolation("HELLO of " + length + " bytes");
            }
            final int addressLength = Short.toUnsignedInt(buffer.get(Frames.SHORT, at + 12));
            if (addressLength < 1 || addressLength > Frames.MAX_ADDRESS_BYTES ||
                Frames.HELLO_HEADER + addressLength > length)
            {
                throw new OutgoingConnection.ProtocolViolation("HELLO with an address of " + addressLength +
                    " bytes in " + length);
            }
            final byte[] address = new byte[addressLength];
            MemorySegment.copy(buffer, Frames.BYTE, at + Frames.HELLO_HEADER, address, 0, addressLength);
            peerAddress = new String(address, StandardCharsets.UTF_8);
        }

        private void acquire(final MemorySegment buffer, final long at, final int length, final boolean answer)
        {
            final int offset = answer ? 8 : 0;
            expect(length, offset + Frames.ACQUIRE_LENGTH, answer ? "ACQUIRE_SYNC" : "ACQUIRE");
            final int status = runtime.objects().acquire(peerPid(), buffer.get(Frames.LONG, at + offset),
                buffer.get(Frames.LONG, at + offset + 8), buffer.get(Frames.LONG, at + offset + 16),
                buffer.get(Frames.LONG, at + offset + 24));
            if (answer)
            {
                sendReply(buffer.get(Frames.LONG, at), status, null);
            }
        }

        private void request(final ChannelMessage message, final MemorySegment buffer, final long at,
            final int length)
        {
            final boolean oneWay = Frames.ONEWAY == message.code();
            if (length < Frames.CALL_HEADER)
            {
                throw new OutgoingConnection.ProtocolViolation("a request of " + length + " bytes, the header alone " +
                    "needs " + Frames.CALL_HEADER);
            }
            final long callId = buffer.get(Frames.LONG, at + Frames.CALL_ID);
            final long objectId = buffer.get(Frames.LONG, at + Frames.CALL_OBJECT);
            final long nestedFor = buffer.get(Frames.LONG, at + Frames.CALL_NESTED_FOR);
            final int code = buffer.get(Frames.INT, at + Frames.CALL_CODE);
            final int flags = buffer.get(Frames.INT, at + Frames.CALL_FLAGS);
            final long dataLength = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.CALL_DATA_LENGTH));
            final long objectCount = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.CALL_OBJECT_COUNT));
            final long referenceCount = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.CALL_REF_COUNT));
            final long chainCount = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.CALL_CHAIN_COUNT));
            if (chainCount > Frames.MAX_CHAIN || Frames.CALL_HEADER + chainCount * Frames.CHAIN_ENTRY > length)
            {
                throw new OutgoingConnection.ProtocolViolation("a request with " + chainCount + " chain entries (limit " +
                    Frames.MAX_CHAIN + ") in " + length + " bytes");
            }
            final long[] chain = new long[(int)chainCount * 2];
            MemorySegment.copy(buffer, Frames.LONG, at + Frames.CALL_HEADER, chain, 0, chain.length);
            if (0 != chain.length && chain[0] != peerPid())
            {
                // The first entry names the calling thread: it must be of the calling process (kernel pid).
                throw new OutgoingConnection.ProtocolViolation("a request whose chain starts at pid " + chain[0] +
                    ", not the caller's " + peerPid());
            }
            final int[] fds = OutgoingConnection.takeFds(message);
            why.setLength(0);
            final MessageCodec.Incoming body = MessageCodec.read(buffer,
                at + Frames.CALL_HEADER + chainCount * Frames.CHAIN_ENTRY, at + length, flags, dataLength,
                objectCount, referenceCount, fds, why);
            if (null == body)
            {
                throw new OutgoingConnection.ProtocolViolation("request code " + code + ": " + why);
            }
            final MessageSequence data = MessageSequence.forReceiving();
            final String malformed = body.load(data, runtime, IncomingConnection.this);
            if (null != malformed)
            {
                throw new OutgoingConnection.ProtocolViolation("request code " + code + ": " + malformed);
            }
            if (!oneWay && Frames.ROOT_OBJECT == objectId)
            {
                answerRoot(callId, data);
                return;
            }
            final ExportedObject target = runtime.objects().forCall(peerPid(), objectId);
            final IncomingRequest request = new IncomingRequest(IncomingConnection.this, oneWay, callId, target,
                objectId, code, flags & Frames.OPTION_FLAGS, data, chain);
            if (0 != nestedFor && !oneWay && runtime.incoming().routeCallback(nestedFor, request))
            {
                return;
            }
            if (oneWay && null != runHere && atOneWayLimit())
            {
                // accept() will wait for this connection's one-way requests to drain: run what this reader
                // holds first, or it might be what they wait for.
                final Runnable pending = runHere;
                runHere = null;
                runtime.incoming().runHeld(pending);
            }
            final Runnable work = runtime.incoming().accept(request, null == runHere);
            if (null != work)
            {
                runHere = work;
            }
        }

        /** A client of a published endpoint asks for the object published there. */
        private void answerRoot(final long callId, final MessageSequence data)
        {
            data.reclaim();
            if (null == root)
            {
                sendReply(callId, CallFailure.UNKNOWN_OBJECT.status(), null);
                return;
            }
            final MessageSequence reply = MessageSequence.create();
            try
            {
                reply.writeRemoteObject(root);
                sendReply(callId, 0, reply);
            }
            finally
            {
                reply.reclaim();
            }
        }
    }
}
