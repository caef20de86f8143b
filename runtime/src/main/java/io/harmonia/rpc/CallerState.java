package io.harmonia.rpc;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What the RPC runtime knows about one thread of this process: its context id (process-unique, never reused), the
 * synchronous calls it waits for (a stack: a call-back it runs while waiting may itself call out), the call-backs
 * routed to it while it waits, and the call chain of the request it is handling.
 *
 * <p>Call ids carry the context: {@code callId = context << 24 | sequence}, so whichever thread reads a reply can
 * find the waiter without a shared map on the fast path (the waiter usually reads its own reply).
 *
 * <p>Wake-ups: a waiter sets {@link #parked} (volatile) and re-checks before it parks; a deliverer completes the call
 * (volatile) and then reads {@link #parked}: one of the two sees the other's store, so no wake-up is lost.
 */
final class CallerState
{
    private static final AtomicLong CONTEXTS = new AtomicLong();
    private static final ConcurrentHashMap<Long, WeakReference<CallerState>> BY_CONTEXT = new ConcurrentHashMap<>();
    private static final ThreadLocal<CallerState> CURRENT = ThreadLocal.withInitial(CallerState::new);
    /** Bits of the sequence in a call id. */
    static final int SEQUENCE_BITS = 24;

    final long context = CONTEXTS.incrementAndGet();
    final Thread thread = Thread.currentThread();
    /** Call-backs routed to this thread while it waits (written by readers, taken by this thread). */
    final ConcurrentLinkedQueue<IncomingRequest> mailbox = new ConcurrentLinkedQueue<>();
    volatile boolean parked;

    private int sequence;
    /** The innermost call this thread waits for; read by other threads' readers, written by this thread. */
    private volatile PendingCall waiting;

    /** The chain of the request this thread is handling: (instance, context) pairs, innermost first. */
    long[] chain = new long[0];

    private CallerState()
    {
        BY_CONTEXT.put(context, new WeakReference<>(this));
    }

    static CallerState current()
    {
        return CURRENT.get();
    }

    /** The state of a live thread with that context, or null. */
    static CallerState byContext(final long context)
    {
        final WeakReference<CallerState> reference = BY_CONTEXT.get(context);
        final CallerState state = null == reference ? null : reference.get();
        if (null == state && null != reference)
        {
            BY_CONTEXT.remove(context, reference);
        }
        return state;
    }

    /** Drops the entries of threads that are gone (the housekeeper calls this now and then). */
    static void purge()
    {
        BY_CONTEXT.values().removeIf(reference -> null == reference.get());
    }

    static long contextOf(final long callId)
    {
        return callId >>> SEQUENCE_BITS;
    }

    /** Starts waiting for a new call: pushes it on this thread's stack. */
    PendingCall begin(final MessageSequence reply)
    {
        sequence = (sequence + 1) & ((1 << SEQUENCE_BITS) - 1);
        final PendingCall call = new PendingCall(context << SEQUENCE_BITS | sequence, reply, waiting);
        waiting = call;
        return call;
    }

    /** Stops waiting for the innermost call. */
    void end(final PendingCall call)
    {
        waiting = call.outer;
    }

    /** The reply message this thread's synchronous handlers reuse, or null while one holds it. */
    private MessageSequence spareReply = MessageSequence.create();

    /** The spare reply, emptied, or a new message while a handler of this thread holds the spare. */
    MessageSequence takeSpareReply()
    {
        final MessageSequence spare = spareReply;
        if (null == spare)
        {
            return MessageSequence.create();
        }
        spareReply = null;
        spare.clearForReply();
        return spare;
    }

    /** Gives the spare back after the reply was sent (another message is reclaimed instead). */
    void returnSpareReply(final MessageSequence reply)
    {
        if (null == spareReply)
        {
            spareReply = reply;
        }
        else
        {
            reply.reclaim();
        }
    }

    /** Whether this thread waits for a reply (so a call-back can be routed to it). */
    boolean isWaiting()
    {
        return null != waiting;
    }

    /** The call of this thread with that id, if it still waits for it. */
    PendingCall find(final long callId)
    {
        for (PendingCall call = waiting; null != call; call = call.outer)
        {
            if (call.callId == callId)
            {
                return call;
            }
        }
        return null;
    }

    /** Wakes this thread if it parked (see the class comment for the ordering). */
    void wake()
    {
        if (parked)
        {
            LockSupport.unpark(thread);
        }
    }

    /** Routes a call-back to this waiting thread. */
    void post(final IncomingRequest request)
    {
        mailbox.add(request);
        wake();
    }
}
