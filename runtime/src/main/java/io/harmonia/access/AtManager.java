package io.harmonia.access;

import java.util.concurrent.CompletableFuture;

import io.harmonia.ability.FoundationServices;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.rpc.IRemoteObject;

/**
 * The seeds' {@code abilityAccessCtrl.createAtManager()}: asks foundation's access token manager whether an access
 * token holds a permission. The token id a service checks comes from {@code IPCSkeleton.getCallingTokenId()}: the id
 * appspawn started the caller with, looked up by the caller's kernel pid, never taken from the request. A bundle
 * holds a permission when it requested it in module.json5 and either the permission's level is at most the bundle's
 * ability privilege level (from the device's install list) or the install list grants it as an ACL; the permission
 * names are OpenHarmony's (only system-defined permissions exist: the seeds' "no permission customization").
 *
 * <p>Threads: any. Errors: 12100001 ({@link #INVALID_PARAMETER}) thrown for token id 0 or a permission name of 0 or
 * more than 256 characters; an access token manager that cannot be reached answers {@link GrantStatus#PERMISSION_DENIED}
 * (a check fails closed) and the async form completes exceptionally with its 1900007.
 */
public final class AtManager
{
    /** OpenHarmony's "invalid parameter" of the access token API. */
    public static final int INVALID_PARAMETER = 12100001;
    /** The longest permission name. */
    public static final int MAX_PERMISSION_NAME = 256;

    private static final System.Logger LOG = System.getLogger(AtManager.class.getName());
    private static final long CALL_MILLIS = 10_000;

    private final String instance;
    private IRemoteObject manager;

    AtManager(final String instance)
    {
        this.instance = instance;
    }

    /**
     * Whether a token holds a permission, waiting for the answer (the seeds' {@code verifyAccessTokenSync}).
     *
     * @param tokenId        the token (e.g. {@code IPCSkeleton.getCallingTokenId()}).
     * @param permissionName e.g. "ohos.permission.SET_WALLPAPER".
     * @return granted or denied.
     * @throws ServiceException 12100001 for a bad argument.
     */
    public GrantStatus verifyAccessTokenSync(final long tokenId, final String permissionName)
    {
        try
        {
            return checkAccessToken(tokenId, permissionName).join();
        }
        catch (final java.util.concurrent.CompletionException failed)
        {
            LOG.log(System.Logger.Level.WARNING, "verifyAccessTokenSync(" + tokenId + ", " + permissionName
                + ") answered PERMISSION_DENIED: " + failed.getCause());
            return GrantStatus.PERMISSION_DENIED;
        }
    }

    /**
     * Whether a token holds a permission, without waiting.
     *
     * @param tokenId        the token.
     * @param permissionName the permission.
     * @return the status; exceptionally a {@link ServiceException} when the manager cannot be reached.
     * @throws ServiceException 12100001 for a bad argument.
     */
    public CompletableFuture<GrantStatus> checkAccessToken(final long tokenId, final String permissionName)
    {
        if (0 == tokenId)
        {
            throw new ServiceException(INVALID_PARAMETER, "field 'tokenId' is 0", null);
        }
        if (null == permissionName || permissionName.isEmpty() || permissionName.length() > MAX_PERMISSION_NAME)
        {
            throw new ServiceException(INVALID_PARAMETER, "field 'permissionName' "
                + (null == permissionName ? "is null" : "has " + permissionName.length() + " characters, must be 1.."
                + MAX_PERMISSION_NAME), null);
        }
        final IRemoteObject service;
        try
        {
            service = manager();
        }
        catch (final ServiceException unreachable)
        {
            return CompletableFuture.failedFuture(unreachable);
        }
        return ServiceReply.requestAsync(service, AccessTokenManagerProtocol.VERIFY_ACCESS_TOKEN, CALL_MILLIS,
            "verifying " + permissionName + " of token " + tokenId, data ->
            {
                data.writeLong(tokenId);
                data.writeString(permissionName);
            }, reply -> GrantStatus.of(reply.readInt()));
    }

    private synchronized IRemoteObject manager()
    {
        if (null == manager || manager.isObjectDead())
        {
            manager = FoundationServices.find(instance, FoundationServices.ACCESS_TOKEN_MANAGER);
        }
        return manager;
    }
}
