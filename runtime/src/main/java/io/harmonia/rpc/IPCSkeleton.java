package io.harmonia.rpc;

import java.util.Objects;

import io.harmonia.bindings.posix.Posix;

/**
 * The identity of the caller of the request being handled on this thread (OpenHarmony's {@code rpc.IPCSkeleton}).
 *
 * <p>Inside {@link RemoteObject#onRemoteMessageRequest} (and code it calls on the same thread) the answers are the
 * caller's: uid and pid from SO_PEERCRED of the connection the request arrived on, the access token id from
 * appspawn's token table for that pid; nothing comes from the request's bytes. Outside a request, and for calls
 * between objects of this process, they are this process's own. Read the identity at the top of the handler: a
 * task that continues on another thread (a future's callback) no longer runs inside the request.
 *
 * <p>{@link #resetCallingIdentity()} makes this thread answer with the process's own identity (for calls made on the
 * process's behalf) and returns the caller's, which {@link #restoreCallingIdentity} puts back.
 */
public final class IPCSkeleton
{
    /** The environment variable in which appspawn hands a child its access token id. */
    public static final String ACCESS_TOKEN_ENV = "HM_ACCESS_TOKEN_ID";
    /** The device id of this machine: calls never cross devices, so every caller is local. */
    public static final String LOCAL_DEVICE_ID = "";

    private IPCSkeleton()
    {
    }

    /**
     * The calling uid.
     *
     * @return the caller's uid, or this process's outside a request.
     */
    public static int getCallingUid()
    {
        return CallContext.current().uid();
    }

    /**
     * The calling pid.
     *
     * @return the caller's pid, or this process's outside a request.
     */
    public static int getCallingPid()
    {
        return CallContext.current().pid();
    }

    /**
     * The calling access token id.
     *
     * @return the caller's token id (0 for a process appspawn did not start), or this process's own.
     */
    public static long getCallingTokenId()
    {
        return CallContext.current().tokenId();
    }

    /**
     * The calling device: always this one.
     *
     * @return {@link #LOCAL_DEVICE_ID}.
     */
    public static String getCallingDeviceID()
    {
        return LOCAL_DEVICE_ID;
    }

    /**
     * This device.
     *
     * @return {@link #LOCAL_DEVICE_ID}.
     */
    public static String getLocalDeviceID()
    {
        return LOCAL_DEVICE_ID;
    }

    /**
     * Whether the caller is on this device: always, since calls never cross devices.
     *
     * @return true.
     */
    public static boolean isLocalCalling()
    {
        return true;
    }

    /**
     * The whole calling identity.
     *
     * @return uid, pid, token id and whether it is this process's own.
     */
    public static CallingIdentity getCallingIdentity()
    {
        return CallContext.current();
    }

    /**
     * This process's own identity: what the methods above answer outside a request.
     *
     * @return uid, pid, token id (from {@link #ACCESS_TOKEN_ENV}, else 0).
     */
    public static CallingIdentity getSelfIdentity()
    {
        return CallContext.SELF;
    }

    /**
     * Makes this thread answer with the process's own identity until {@link #restoreCallingIdentity}.
     *
     * @return the identity that was current (the caller's inside a request), to restore later.
     */
    public static CallingIdentity resetCallingIdentity()
    {
        final CallingIdentity previous = CallContext.current();
        CallContext.replace(CallContext.SELF);
        return previous;
    }

    /**
     * Puts back an identity that {@link #resetCallingIdentity()} returned.
     *
     * @param identity the identity to answer with from now on.
     * @throws RpcException 401 for null.
     */
    public static void restoreCallingIdentity(final CallingIdentity identity)
    {
        if (null == identity)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'identity' is null");
        }
        CallContext.replace(identity);
    }

    /**
     * OpenHarmony's name for {@link #restoreCallingIdentity}.
     *
     * @param identity the identity to answer with from now on.
     * @return true.
     */
    public static boolean setCallingIdentity(final CallingIdentity identity)
    {
        restoreCallingIdentity(identity);
        return true;
    }

    /**
     * Publishes an object at an address of its own, where other processes find it with {@link #connect} (how a
     * well-known service such as samgr is reached). The object stays exported while the publication is open.
     *
     * @param address a filesystem path, or {@code @name} for an abstract socket address.
     * @param object  the object every client gets.
     * @return the publication; close it to stop accepting clients.
     * @throws RpcException 401 for null arguments, 1900002 when the address cannot be bound.
     */
    public static Publication publish(final String address, final RemoteObject object)
    {
        if (null == address || null == object)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field '" + (null == address ? "address" : "object") +
                "' is null");
        }
        try
        {
            return RpcRuntime.get().publish(address, object);
        }
        catch (final io.harmonia.bindings.channel.ChannelException unbound)
        {
            throw new RpcException(RpcException.OS_IOCTL_ERROR, "field 'address' " + address + ": " +
                unbound.getMessage());
        }
    }

    /**
     * Connects to an object published with {@link #publish}.
     *
     * @param address       where it is published.
     * @param timeoutMillis the longest wait for the answer.
     * @return a proxy of the published object.
     * @throws RemoteCallException DEAD_OBJECT when nothing answers there, TIMED_OUT when it does not answer in time.
     */
    public static IRemoteObject connect(final String address, final long timeoutMillis)
    {
        if (null == address)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'address' is null");
        }
        return RpcRuntime.get().connect(address, timeoutMillis);
    }

    /**
     * The most incoming requests this process handles at once (OpenHarmony's default 16).
     *
     * @return the limit.
     */
    public static int getMaxWorkThread()
    {
        return RpcRuntime.get().incoming().maxWorkThreads();
    }

    /**
     * Sets the most incoming requests this process handles at once; more wait in a FIFO queue.
     *
     * @param threads 1..1024.
     * @throws RpcException 401 when out of range.
     */
    public static void setMaxWorkThread(final int threads)
    {
        if (threads < 1 || threads > 1024)
        {
            throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'threads' is " + threads + ", must be 1..1024");
        }
        RpcRuntime.get().incoming().maxWorkThreads(threads);
    }

    /** The process's own identity, read once. */
    static CallingIdentity readSelf()
    {
        long token = 0;
        final String value = System.getenv(ACCESS_TOKEN_ENV);
        if (null != value)
        {
            try
            {
                token = Long.parseUnsignedLong(value.trim());
            }
            catch (final NumberFormatException malformed)
            {
                System.getLogger(IPCSkeleton.class.getName()).log(System.Logger.Level.WARNING,
                    ACCESS_TOKEN_ENV + "=" + Objects.toString(value) + " is not a number; the token id is 0");
            }
        }
        return new CallingIdentity(Posix.uid(), Posix.pid(), token, true);
    }
}
