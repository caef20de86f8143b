package io.harmonia.rpc;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelMessage;
import io.harmonia.bindings.channel.ChannelMessageHandler;

/**
 * This process's requests to the objects of one other process (the owner), over a channel this process opened to
 * the owner's endpoint: requests and control frames go out on ring 0, replies come back on ring 1.
 *
 * <p><b>Who reads the replies.</b> No thread is dedicated to this connection. A thread waiting for a reply takes the
 * receiving role (one CAS) and reads whatever replies are there: its own ends its wait; another thread's is
 * decoded into that thread's reply message and the thread is woken. So a lone caller reads its own reply on its
 * own thread, with no hand-off. When the role holder leaves, it wakes one parked waiter to take over.
 *
 * <p><b>Waiting.</b> A caller polls for {@code spinMicros}, then parks: in the channel's futex while it holds the
 * role (the peer's commit wakes it), otherwise in slices of at most {@link #PARK_SLICE_NS}. Between polls and
 * slices it runs call-backs routed to it (a request from the callee back into this process, see
 * {@link CallerState}), and checks its deadline and the connection's death.
 *
 * <p><b>Death.</b> A role holder whose wait reports the peer dead closes the connection; every waiter then fails
 * with DEAD_OBJECT (parked ones within a slice), and the runtime tells the proxies of the owner.
 */
final class OutgoingConnection extends Connection
{
    private static final int[] NO_FDS = new int[0];
    /** Longest single park of a waiter, so it sees call-backs, deadlines and death in time. */
    static final long PARK_SLICE_NS = 1_000_000L;

    /** The owner's endpoint address: the key under which the runtime keeps this connection. */
    final String address;
    private final AtomicInteger receiving = new AtomicInteger();
    private final ConcurrentLinkedQueue<CallerState> parked = new ConcurrentLinkedQueue<>();
    private final ReplyReader replies = new ReplyReader();

    OutgoingConnection(final RpcRuntime runtime, final Channel channel, final String address)
    {
        super(runtime, channel);
        this.address = address;
    }

    @Override
    OutgoingConnection linkToPeer()
    {
        return this;
    }

    @Override
    void onClosed(final String reason)
    {
        // Waiters notice the close themselves (they check it every poll and slice); wake the parked ones now.
        for (CallerState waiter = parked.poll(); null != waiter; waiter = parked.poll())
        {
            LockSupport.unpark(waiter.thread);
        }
        runtime.outgoingClosed(this, reason);
    }

    // ---- requests ----

    /**
     * A synchronous request: sends it and waits for the reply, which is written into {@code reply}.
     *
     * @return the reply's status: 0, or the {@link CallFailure} status (the exception is built by the caller).
     */
    PendingCall call(final long objectId, final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        final CallerState me = CallerState.current();
        final PendingCall call = me.begin(reply);
        try
        {
            final long deadline = System.nanoTime() + option.getWaitTimeMillis() * 1_000_000L;
            if (!sendOrRecord(Frames.CALL, call.callId, objectId, code, option.getFlags(), data, me, deadline, call))
            {
                return call; // failed to send: the call carries why
            }
            await(me, call, deadline);
            return call;
        }
        catch (final RemoteCallException notSent)
        {
            call.fail(notSent.failure().status(), notSent.getMessage());
            return call;
        }
        finally
        {
            me.end(call);
        }
    }

    /**
     * A one-way request: returns once it is in the ring.
     *
     * @throws RemoteCallException when it could not be sent (dead, too large, the ring stayed full).
     */
    void oneWay(final long objectId, final int code, final MessageSequence data, final MessageOption option)
    {
        final CallerState me = CallerState.current();
        final PendingCall failure = new PendingCall(0, null, null);
        final long deadline = System.nanoTime() + option.getWaitTimeMillis() * 1_000_000L;
        if (!sendOrRecord(Frames.ONEWAY, 0, objectId, code, option.getFlags(), data, me, deadline, failure))
        {
            throw new RemoteCallException(CallFailure.ofStatus(failure.status()),
                new RequestResult(failure.status(), code, data, null), failure.detail());
        }
    }

    /** Sends a CALL or ONEWAY frame; on failure completes {@code outcome} with why and returns false. */
    private boolean sendOrRecord(final int kind, final long callId, final long objectId, final int code,
        final int flags, final MessageSequence data, final CallerState me, final long deadline,
        final PendingCall outcome)
    {
        if (!enter())
        {
            outcome.fail(CallFailure.DEAD_OBJECT.status(), deadDetail());
            return false;
        }
        try
        {
            final MessageCodec.Outgoing body = MessageCodec.plan(runtime, data, peerPid(),
                CallFailure.REQUEST_TOO_LARGE);
            final long[] chain = me.chain;
            final int chainLength = Math.min(chain.length / 2, Frames.MAX_CHAIN - 1);
            long nestedFor = 0;
            for (int i = 0; i < chain.length / 2; i++)
            {
                if (chain[2 * i] == peerPid())
                {
                    nestedFor = chain[2 * i + 1];
                    break;
                }
            }
            final int headerLength = Frames.CALL_HEADER + (chainLength + 1) * Frames.CHAIN_ENTRY;
            final long payload;
            try
            {
                payload = channel.claim(headerLength + body.inlineLength(), Math.max(0, deadline - System.nanoTime()));
            }
            catch (final ChannelException full)
            {
                body.abandon();
                if (full.isDeadPeer() || ChannelException.CLOSED == full.errno())
                {
                    close("the owner (pid " + peerPid() + ") is gone: " + full.getMessage());
                    outcome.fail(CallFailure.DEAD_OBJECT.status(), deadDetail());
                    return false;
                }
                final CallFailure failure = Frames.ONEWAY == kind ? CallFailure.ONE_WAY_LIMIT : CallFailure.BUSY;
                outcome.fail(failure.status(), "the connection to pid " + peerPid() + " had no room for a " +
                    (headerLength + body.inlineLength()) + "-byte request within the wait time: " + full.getMessage());
                return false;
            }
            catch (final IllegalArgumentException tooLarge)
            {
                body.abandon();
                outcome.fail(CallFailure.REQUEST_TOO_LARGE.status(), tooLarge.getMessage());
                return false;
            }
            final MemorySegment buffer = channel.buffer();
            buffer.set(Frames.LONG, payload + Frames.CALL_ID, callId);
            buffer.set(Frames.LONG, payload + Frames.CALL_OBJECT, objectId);
            buffer.set(Frames.LONG, payload + Frames.CALL_NESTED_FOR, nestedFor);
            buffer.set(Frames.INT, payload + Frames.CALL_CODE, code);
            buffer.set(Frames.INT, payload + Frames.CALL_FLAGS,
                (flags & Frames.OPTION_FLAGS) | (body.spilled ? Frames.BODY_SPILLED : 0));
            buffer.set(Frames.INT, payload + Frames.CALL_DATA_LENGTH, body.dataLength);
            buffer.set(Frames.INT, payload + Frames.CALL_OBJECT_COUNT, body.objectCount);
            buffer.set(Frames.INT, payload + Frames.CALL_REF_COUNT, body.references.length);
            buffer.set(Frames.INT, payload + Frames.CALL_CHAIN_COUNT, chainLength + 1);
            long at = payload + Frames.CALL_HEADER;
            buffer.set(Frames.LONG, at, runtime.pid());
            buffer.set(Frames.LONG, at + 8, me.context);
            at += Frames.CHAIN_ENTRY;
            for (int i = 0; i < chainLength; i++)
            {
                buffer.set(Frames.LONG, at, chain[2 * i]);
                buffer.set(Frames.LONG, at + 8, chain[2 * i + 1]);
                at += Frames.CHAIN_ENTRY;
            }
            body.write(buffer, at);
            try
            {
                if (0 == body.fds.length)
                {
                    channel.commit(payload, kind, headerLength + body.inlineLength());
                }
                else
                {
                    channel.commit(payload, kind, headerLength + body.inlineLength(), body.fds);
                }
            }
            catch (final ChannelException gone)
            {
                body.abandon();
                close("the owner (pid " + peerPid() + ") is gone: " + gone.getMessage());
                outcome.fail(CallFailure.DEAD_OBJECT.status(), deadDetail());
                return false;
            }
            body.sent();
            return true;
        }
        finally
        {
            exit();
        }
    }

    /** Waits until the call completes: see the class comment. */
    private void await(final CallerState me, final PendingCall call, final long deadline)
    {
        final long spinUntil = System.nanoTime() + runtime.config().spinNanos();
        while (!call.done())
        {
            if (!me.mailbox.isEmpty())
            {
                runtime.incoming().runCallbacks(me);
                continue;
            }
            if (isClosed())
            {
                call.fail(CallFailure.DEAD_OBJECT.status(), deadDetail());
                continue;
            }
            final long now = System.nanoTime();
            if (now - deadline >= 0)
            {
                if (!call.fail(CallFailure.TIMED_OUT.status(), "no reply from pid " + peerPid() + " within " +
                    "the wait time"))
                {
                    while (!call.done())
                    {
                        Thread.onSpinWait(); // a reader is writing the reply right now
                    }
                }
                break;
            }
            final boolean spinning = now - spinUntil < 0;
            if (receiving.compareAndSet(0, 1))
            {
                try
                {
                    read(me, call, spinning ? 0 : Math.min(deadline - now, PARK_SLICE_NS));
                }
                finally
                {
                    receiving.set(0);
                }
                if (call.done())
                {
                    break;
                }
                continue;
            }
            if (spinning)
            {
                Thread.onSpinWait();
                continue;
            }
            me.parked = true;
            parked.add(me);
            if (!call.done() && me.mailbox.isEmpty() && 0 != receiving.get())
            {
                LockSupport.parkNanos(this, Math.min(deadline - now, PARK_SLICE_NS));
            }
            me.parked = false;
            parked.remove(me);
        }
        // The role may be free with others waiting: wake one to take it.
        final CallerState next = parked.poll();
        if (null != next)
        {
            LockSupport.unpark(next.thread);
        }
    }

    /** Reads replies as the role holder: polls, or parks in the channel for up to {@code parkNs}. */
    private void read(final CallerState me, final PendingCall call, final long parkNs)
    {
        if (!enter())
        {
            return;
        }
        try
        {
            replies.reader = me;
            if (0 == parkNs)
            {
                channel.poll(replies, 16);
            }
            else
            {
                channel.receive(replies, 16, parkNs);
            }
        }
        catch (final ChannelException broken)
        {
            if (broken.isDeadPeer() || ChannelException.CLOSED == broken.errno())
            {
                close("the owner (pid " + peerPid() + ") is gone: " + broken.getMessage());
            }
            else
            {
                close("the owner (pid " + peerPid() + ") sent a malformed frame: " + broken.getMessage());
            }
        }
        catch (final ProtocolViolation violation)
        {
            close("the owner (pid " + peerPid() + ") broke the protocol: " + violation.getMessage());
        }
        finally
        {
            replies.reader = null;
            exit();
        }
    }

    private String deadDetail()
    {
        final String why = closedBecause();
        return "the connection to pid " + peerPid() + " is closed" + (null == why ? "" : ": " + why);
    }

    /** Decodes the replies on ring 1 and completes the calls they answer. */
    private final class ReplyReader implements ChannelMessageHandler
    {
        CallerState reader;
        private final StringBuilder why = new StringBuilder();

        @Override
        public void onMessage(final ChannelMessage message)
        {
            if (Frames.REPLY != message.code())
            {
                throw new ProtocolViolation("a " + Frames.kindName(message.code()) + " frame on the reply ring");
            }
            final MemorySegment buffer = message.buffer();
            final long at = message.offset();
            final int length = message.length();
            if (length < Frames.REPLY_HEADER)
            {
                throw new ProtocolViolation("a reply of " + length + " bytes, the header alone needs " +
                    Frames.REPLY_HEADER);
            }
            final long callId = buffer.get(Frames.LONG, at + Frames.REPLY_ID);
            final int status = buffer.get(Frames.INT, at + Frames.REPLY_STATUS);
            final int flags = buffer.get(Frames.INT, at + Frames.REPLY_FLAGS);
            final long dataLength = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.REPLY_DATA_LENGTH));
            final long objectCount = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.REPLY_OBJECT_COUNT));
            final long referenceCount = Integer.toUnsignedLong(buffer.get(Frames.INT, at + Frames.REPLY_REF_COUNT));
            final int[] fds = takeFds(message);
            final CallerState me = reader;
            final long context = CallerState.contextOf(callId);
            final CallerState waiter = null != me && me.context == context ? me : CallerState.byContext(context);
            final PendingCall found = null == waiter ? null : waiter.find(callId);
            final PendingCall call = null != found && found.claim() ? found : null;
            why.setLength(0);
            // The body is copied into the reply message's own memory when it is large enough (reused call after call).
            final MessageCodec.Incoming body = MessageCodec.read(buffer, at + Frames.REPLY_HEADER, at + length, flags,
                dataLength, objectCount, referenceCount, fds, why,
                null == call || 0 != status ? null : call.reply);
            if (null == body)
            {
                if (null != call)
                {
                    call.deliver(CallFailure.PROTOCOL.status(), "the reply from pid " + peerPid() + " is malformed: " +
                        why);
                    waiter.wake();
                }
                throw new ProtocolViolation("reply to call " + Long.toHexString(callId) + ": " + why);
            }
            if (null == call)
            {
                body.release(runtime, OutgoingConnection.this); // a late reply: its caller gave up
                return;
            }
            deliver(call, status, body);
            if (waiter != me)
            {
                waiter.wake();
            }
        }

        private void deliver(final PendingCall call, final int status, final MessageCodec.Incoming body)
        {
            if (null == call.reply)
            {
                body.release(runtime, OutgoingConnection.this);
                call.deliver(status, 0 == status ? null : "the owner (pid " + peerPid() + ") answered status " + status);
                return;
            }
            if (0 != status)
            {
                body.release(runtime, OutgoingConnection.this);
                call.reply.clearForReply();
                call.deliver(status, "the object at pid " + peerPid() + " answered status " + status);
                return;
            }
            if (body.dataLength > call.reply.getCapacity())
            {
                body.release(runtime, OutgoingConnection.this);
                call.reply.clearForReply();
                call.deliver(CallFailure.REPLY_TOO_LARGE.status(), "the reply has " + body.dataLength +
                    " bytes, the reply message's capacity is " + call.reply.getCapacity());
                return;
            }
            final String malformed = body.load(call.reply, runtime, OutgoingConnection.this);
            call.deliver(null == malformed ? 0 : CallFailure.PROTOCOL.status(),
                null == malformed ? null : "the reply from pid " + peerPid() + " is malformed: " + malformed);
        }
    }

    /** Takes every fd of a received frame: from here on the codec (and then the message) owns them. */
    static int[] takeFds(final ChannelMessage message)
    {
        final int count = message.fdCount();
        if (0 == count)
        {
            return NO_FDS;
        }
        final int[] fds = new int[count];
        for (int i = 0; i < count; i++)
        {
            fds[i] = message.takeFd(i);
        }
        return fds;
    }

    // ---- control frames ----

    /** Sends ACQUIRE (one way): this process now holds a reference, converting the owner's pin of the transfer. */
    void sendAcquire(final long objectId, final long secretLow, final long secretHigh, final long transferId)
    {
        sendControl(Frames.ACQUIRE, Frames.ACQUIRE_LENGTH, objectId, secretLow, secretHigh, transferId);
    }

    /** Sends RELEASE: this process dropped {@code count} references. */
    void sendRelease(final long objectId, final int count)
    {
        sendControl(Frames.RELEASE, Frames.RELEASE_LENGTH, objectId, count, 0, 0);
    }

    /** Sends TRANSFER_DONE: a reference the owner of this connection's peer wrote reached us (or was dropped). */
    void sendTransferDone(final long transferId)
    {
        sendControl(Frames.TRANSFER_DONE, Frames.TRANSFER_DONE_LENGTH, transferId, 0, 0, 0);
    }

    /** Sends HELLO: this process's pid and endpoint address. */
    void sendHello(final byte[] endpointAddress)
    {
        if (!enter())
        {
            return;
        }
        try
        {
            final int length = Frames.align8(Frames.HELLO_HEADER + endpointAddress.length);
            final long payload = channel.claim(length, runtime.config().connectNanos());
            final MemorySegment buffer = channel.buffer();
            buffer.asSlice(payload, length).fill((byte)0);
            buffer.set(Frames.LONG, payload, runtime.instance());
            buffer.set(Frames.INT, payload + 8, runtime.pid());
            buffer.set(Frames.SHORT, payload + 12, (short)endpointAddress.length);
            MemorySegment.copy(endpointAddress, 0, buffer, Frames.BYTE, payload + Frames.HELLO_HEADER,
                endpointAddress.length);
            channel.commit(payload, Frames.HELLO, length);
        }
        catch (final ChannelException failed)
        {
            close("HELLO to pid " + peerPid() + " failed: " + failed.getMessage());
        }
        finally
        {
            exit();
        }
    }

    private void sendControl(final int kind, final int length, final long first, final long second,
        final long third, final long fourth)
    {
        if (!enter())
        {
            return;
        }
        try
        {
            final long payload = channel.claim(length, runtime.config().connectNanos());
            final MemorySegment buffer = channel.buffer();
            buffer.set(Frames.LONG, payload, first);
            if (length > 8)
            {
                buffer.set(Frames.LONG, payload + 8, second);
            }
            if (length > 16)
            {
                buffer.set(Frames.LONG, payload + 16, third);
                buffer.set(Frames.LONG, payload + 24, fourth);
            }
            channel.commit(payload, kind, length);
        }
        catch (final ChannelException failed)
        {
            close("sending " + Frames.kindName(kind) + " to pid " + peerPid() + " failed: " + failed.getMessage());
        }
        finally
        {
            exit();
        }
    }

    /**
     * ACQUIRE_SYNC: takes a reference for an object that a third process passed to us, and waits for the owner's
     * answer (so that the third process may drop its own reference safely afterwards).
     *
     * @return 0, or a {@link CallFailure} status.
     */
    int acquireSync(final long objectId, final long secretLow, final long secretHigh)
    {
        final CallerState me = CallerState.current();
        final PendingCall call = me.begin(null);
        try
        {
            if (!enter())
            {
                return CallFailure.DEAD_OBJECT.status();
            }
            try
            {
                final long payload = channel.claim(8 + Frames.ACQUIRE_LENGTH, runtime.config().connectNanos());
                final MemorySegment buffer = channel.buffer();
                buffer.set(Frames.LONG, payload, call.callId);
                buffer.set(Frames.LONG, payload + 8, objectId);
                buffer.set(Frames.LONG, payload + 16, secretLow);
                buffer.set(Frames.LONG, payload + 24, secretHigh);
                buffer.set(Frames.LONG, payload + 32, 0L);
                channel.commit(payload, Frames.ACQUIRE_SYNC, 8 + Frames.ACQUIRE_LENGTH);
            }
            catch (final ChannelException failed)
            {
                close("ACQUIRE_SYNC to pid " + peerPid() + " failed: " + failed.getMessage());
                return CallFailure.DEAD_OBJECT.status();
            }
            finally
            {
                exit();
            }
            await(me, call, System.nanoTime() + runtime.config().connectNanos());
            return call.status();
        }
        finally
        {
            me.end(call);
        }
    }

    /** A frame that breaks the protocol: the connection is closed. */
    static final class ProtocolViolation extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        ProtocolViolation(final String message)
        {
            super(message, null, false, false);
        }
    }
}
