package io.harmonia.access;

/**
 * The requests of foundation's access token manager (OpenHarmony's AccessTokenKit), published at
 * {@code @harmonia.<instance>.atm}. Replies follow {@link io.harmonia.ability.ServiceReply}.
 */
public final class AccessTokenManagerProtocol
{
    /** The interface descriptor. */
    public static final String DESCRIPTOR = "harmonia.AccessTokenManager";
    /**
     * Whether a token holds a permission: data = long tokenId, string permissionName; reply after 0 = int grant
     * status (0 granted, -1 denied). Anyone may ask; 12100001 for token id 0 or a name of 0 or more than 256
     * characters.
     */
    public static final int VERIFY_ACCESS_TOKEN = 1;

    private AccessTokenManagerProtocol()
    {
    }
}
