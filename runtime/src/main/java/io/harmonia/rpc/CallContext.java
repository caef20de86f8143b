package io.harmonia.rpc;

/**
 * The calling identity of the request a thread is handling. A handler's dispatch {@link #enter}s the caller's
 * identity and {@link #exit}s back to what was there before, so nested requests (a call back into this process
 * while a thread waits) see their own caller and the outer one is restored afterwards.
 */
final class CallContext
{
    /** This process's identity: the answer outside a request. */
    static final CallingIdentity SELF = IPCSkeleton.readSelf();

    private static final ThreadLocal<CallingIdentity[]> CURRENT = ThreadLocal.withInitial(() -> new CallingIdentity[] {SELF});

    private CallContext()
    {
    }

    static CallingIdentity current()
    {
        return CURRENT.get()[0];
    }

    static void replace(final CallingIdentity identity)
    {
        CURRENT.get()[0] = identity;
    }

    /**
     * Makes {@code caller} this thread's identity.
     *
     * @return the identity to give back to {@link #exit}.
     */
    static CallingIdentity enter(final CallingIdentity caller)
    {
        final CallingIdentity[] slot = CURRENT.get();
        final CallingIdentity previous = slot[0];
        slot[0] = caller;
        return previous;
    }

    static void exit(final CallingIdentity previous)
    {
        CURRENT.get()[0] = previous;
    }
}
