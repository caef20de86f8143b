package io.harmonia.foundation.access;

import io.harmonia.access.GrantStatus;
import io.harmonia.foundation.bundle.BundleManagerService;
import io.harmonia.foundation.bundle.BundleRecord;

/**
 * Foundation's access token manager (OpenHarmony's AccessTokenKit, the authority behind the seeds'
 * {@code verifyAccessTokenSync}): answers whether an access token holds a permission, from the bundle database. A
 * token is a bundle's (the id the bundle manager allocated at install, which appspawn starts the bundle's processes
 * with); it holds a permission it requested in module.json5 that {@link PermissionDefinitions#grantable} allows for
 * its APL and ACLs. Any other token (0, a process appspawn did not start, an uninstalled bundle's) holds nothing.
 * Thread-safe: each answer reads the database.
 */
public final class AccessTokenManagerService
{
    private final BundleManagerService bundles;

    /**
     * The manager over a bundle database.
     *
     * @param bundles the bundle manager.
     */
    public AccessTokenManagerService(final BundleManagerService bundles)
    {
        this.bundles = bundles;
    }

    /**
     * Whether a token holds a permission.
     *
     * @param tokenId    the token.
     * @param permission the permission's name.
     * @return granted or denied.
     */
    public GrantStatus verify(final long tokenId, final String permission)
    {
        return bundles.byAccessToken(tokenId).filter(bundle -> holds(bundle, permission))
            .map(bundle -> GrantStatus.PERMISSION_GRANTED).orElse(GrantStatus.PERMISSION_DENIED);
    }

    /**
     * Whether a bundle holds a permission.
     *
     * @param bundle     the bundle.
     * @param permission the permission's name.
     * @return true when it requested it and may be granted it.
     */
    public static boolean holds(final BundleRecord bundle, final String permission)
    {
        return bundle.manifest().module().requestPermissions().stream()
            .anyMatch(request -> request.name().equals(permission))
            && PermissionDefinitions.grantable(permission, bundle.apl(), bundle.allowedAcls());
    }
}
