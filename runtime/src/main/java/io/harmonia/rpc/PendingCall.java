package io.harmonia.rpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One synchronous call a thread waits for. Exactly one party completes it: the reader that got the reply, the
 * death of the connection, or the waiter itself when its deadline passed. A reader first claims the call
 * ({@link #claim}: PENDING to DELIVERING), decodes the reply into {@link #reply}, then publishes the status
 * (volatile); the waiter reads the reply only after it saw a final status, and a waiter whose deadline passes
 * while a delivery is under way waits for that delivery instead of leaving the reply half-written.
 */
final class PendingCall
{
    /** Not completed yet. */
    static final int PENDING = Integer.MIN_VALUE;
    /** A reader is writing the reply. */
    static final int DELIVERING = Integer.MIN_VALUE + 1;

    private static final VarHandle STATUS;

    static
    {
        try
        {
            STATUS = MethodHandles.lookup().findVarHandle(PendingCall.class, "status", int.class);
        }
        catch (final ReflectiveOperationException impossible)
        {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    final long callId;
    final MessageSequence reply;
    final PendingCall outer;
    /** PENDING, DELIVERING, then 0 or a {@link CallFailure} status. */
    private volatile int status = PENDING;
    /** What went wrong, for the exception (written before the final status). */
    private String detail;

    PendingCall(final long callId, final MessageSequence reply, final PendingCall outer)
    {
        this.callId = callId;
        this.reply = reply;
        this.outer = outer;
    }

    /** Whether a final status is set. */
    boolean done()
    {
        return status > DELIVERING;
    }

    int status()
    {
        return status;
    }

    String detail()
    {
        return detail;
    }

    /** A reader takes the call to write its reply. @return false when someone else completed or claimed it. */
    boolean claim()
    {
        return STATUS.compareAndSet(this, PENDING, DELIVERING);
    }

    /** Publishes the final status after a {@link #claim}. */
    void deliver(final int finalStatus, final String why)
    {
        detail = why;
        status = finalStatus;
    }

    /** Completes a call that nobody claimed (death, deadline). @return false when it was already completed or claimed. */
    boolean fail(final int finalStatus, final String why)
    {
        if (!STATUS.compareAndSet(this, PENDING, DELIVERING))
        {
            return false;
        }
        deliver(finalStatus, why);
        return true;
    }
}
