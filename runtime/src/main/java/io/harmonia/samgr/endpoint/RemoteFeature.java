package io.harmonia.samgr.endpoint;

import java.lang.System.Logger.Level;

import io.harmonia.rpc.CallFailure;
import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.ClientFactories;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.samgr.registry.INotify;
import io.harmonia.samgr.registry.RemoteInvoker;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;

/**
 * The consumer side of one remote API: the provider's object, how a client proxy's {@code invoke} reaches it, and
 * what happens when the provider goes (samgr_lite's {@code default_client.c}).
 *
 * <p>A call to a provider that is known dead, or that answers {@code EC_NOSERVICE} (the API was withdrawn, so its
 * Invoke did not run), looks the key up again once and, when another object is registered under it now (a restarted
 * provider), sends the call there; upstream re-queries on the next call in the same way. A call that fails after it
 * may have reached the provider is never repeated. The provider's death also drops the proxy from samgr's cache at
 * once, so the next {@code getFeatureApi} resolves afresh.
 */
final class RemoteFeature implements RemoteInvoker, DeathRecipient
{
    private static final System.Logger LOG = System.getLogger(RemoteFeature.class.getName());

    final SamgrKey key;
    private final SamgrEndpoint endpoint;
    private final ClientFactories.Factory factory;
    private volatile IRemoteObject target;
    private volatile IClientProxy proxy;

    RemoteFeature(final SamgrEndpoint endpoint, final SamgrKey key, final IRemoteObject target,
        final ClientFactories.Factory factory)
    {
        this.endpoint = endpoint;
        this.key = key;
        this.target = target;
        this.factory = factory;
    }

    /** Sets the proxy this invoker serves and starts watching the provider. */
    void bind(final IClientProxy client)
    {
        this.proxy = client;
        watch(target);
    }

    IClientProxy proxy()
    {
        return proxy;
    }

    private void watch(final IRemoteObject object)
    {
        try
        {
            object.registerDeathRecipient(this, 0);
        }
        catch (final RpcException alreadyDead)
        {
            onRemoteDied();
        }
    }

    @Override
    public void onRemoteDied()
    {
        endpoint.providerDied(this);
    }

    @Override
    public int invoke(final int funcId, final MessageSequence request, final Object owner, final INotify notify)
    {
        if (!SamgrProtocol.isValidFuncId(funcId))
        {
            return ErrorCode.EC_INVALID.code();
        }
        final MessageSequence data = null == request ? MessageSequence.create() : request;
        try
        {
            IRemoteObject current = liveTarget(false);
            if (null == current)
            {
                return ErrorCode.EC_NOSERVICE.code();
            }
            if (null == notify)
            {
                return oneWay(current, funcId, data);
            }
            final int status = call(current, funcId, data, owner, notify);
            if (ErrorCode.EC_NOSERVICE.code() != status)
            {
                return status;
            }
            // The provider answered that the API left, so its Invoke did not run: the call may go to whoever
            // registered the API since (a restarted provider), once.
            current = liveTarget(true);
            return null == current ? status : call(current, funcId, data, owner, notify);
        }
        finally
        {
            if (null == request)
            {
                data.reclaim();
            }
        }
    }

    /** The provider's object, looked up again when it is dead (or {@code relookup} says its API left). */
    private IRemoteObject liveTarget(final boolean relookup)
    {
        final IRemoteObject current = target;
        if (!relookup && !current.isObjectDead())
        {
            return current;
        }
        final IRemoteObject fresh = endpoint.lookUpAgain(key);
        if (null == fresh || fresh.isObjectDead() || fresh == current)
        {
            return null;
        }
        target = fresh;
        watch(fresh);
        return fresh;
    }

    private int oneWay(final IRemoteObject current, final int funcId, final MessageSequence data)
    {
        try (MessageSequence reply = MessageSequence.create())
        {
            current.sendMessageRequestSync(SamgrProtocol.codeOfFuncId(funcId), data, reply, endpoint.oneWayOption());
            return ErrorCode.EC_SUCCESS.code();
        }
        catch (final RemoteCallException failed)
        {
            return transportStatus(failed, funcId);
        }
    }

    private int call(final IRemoteObject current, final int funcId, final MessageSequence data, final Object owner,
        final INotify notify)
    {
        try (MessageSequence reply = MessageSequence.create())
        {
            try
            {
                current.sendMessageRequestSync(SamgrProtocol.codeOfFuncId(funcId), data, reply,
                    endpoint.callOption());
            }
            catch (final RemoteCallException failed)
            {
                return transportStatus(failed, funcId);
            }
            final int status;
            try
            {
                status = reply.readInt();
            }
            catch (final RpcException empty)
            {
                LOG.log(Level.WARNING, key + ": funcId " + funcId + " got a reply without a status");
                return ErrorCode.EC_PROTOCOL.code();
            }
            if (0 != status)
            {
                return status;
            }
            try
            {
                notify.handle(owner, 0, reply);
            }
            catch (final RuntimeException thrown)
            {
                LOG.log(Level.WARNING, key + ": the notify of funcId " + funcId + " threw", thrown);
                return ErrorCode.EC_FAILURE.code();
            }
            return 0;
        }
    }

    private int transportStatus(final RemoteCallException failed, final int funcId)
    {
        LOG.log(Level.DEBUG, () -> key + ": funcId " + funcId + " failed: " + failed.getMessage());
        // A call that failed in flight may have run at the provider: it is answered, never repeated. The next call
        // finds the provider dead and looks the API up again.
        return CallFailure.TIMED_OUT == failed.failure() ? ErrorCode.EC_TIMEOUT.code() : ErrorCode.EC_COMMU.code();
    }

    @Override
    public void released(final IClientProxy released)
    {
        target.unregisterDeathRecipient(this, 0);
        if (null != factory)
        {
            try
            {
                factory.destroyer().destroy(key.service(), key.feature(), released);
            }
            catch (final RuntimeException thrown)
            {
                LOG.log(Level.WARNING, key + ": the client proxy's destroyer threw", thrown);
            }
        }
    }
}
