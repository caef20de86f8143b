package io.harmonia.bundle;

import java.util.concurrent.CompletableFuture;

import io.harmonia.ability.FoundationServices;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;

/**
 * The seeds' {@code bundleManager} module for app code: {@link #getBundleNameByUid} as a promise, asked of the
 * bundle manager of this process's foundation instance ({@link FoundationServices#instance()}, which the launch
 * file of an app process sets). The connection is made on first use and again after the bundle manager died.
 */
public final class BundleManager
{
    private static final long CALL_MILLIS = 10_000;
    private static IRemoteObject manager;

    private BundleManager()
    {
    }

    /**
     * The bundle a uid belongs to (the seeds' {@code bundleManager.getBundleNameByUid(callerUid)}). Asynchronous:
     * a service that calls it with {@code IPCSkeleton.getCallingUid()} inside a request cannot make the reply depend
     * on it (the seeds' caveat); read the uid at the top of the handler, it is the caller's only there.
     *
     * @param uid the uid.
     * @return completes with the bundle name, or exceptionally with a {@link ServiceException}: 17700021 when no
     *         bundle has the uid, 1900007 when the bundle manager cannot be reached.
     */
    public static CompletableFuture<String> getBundleNameByUid(final int uid)
    {
        final IRemoteObject service;
        try
        {
            service = manager();
        }
        catch (final ServiceException unreachable)
        {
            return CompletableFuture.failedFuture(unreachable);
        }
        return ServiceReply.requestAsync(service, BundleManagerProtocol.GET_BUNDLE_NAME_BY_UID, CALL_MILLIS,
            "looking up uid " + uid, data -> data.writeInt(uid), MessageSequence::readString);
    }

    private static synchronized IRemoteObject manager()
    {
        if (null == manager || manager.isObjectDead())
        {
            manager = FoundationServices.find(FoundationServices.instance(), FoundationServices.BUNDLE_MANAGER);
        }
        return manager;
    }
}
