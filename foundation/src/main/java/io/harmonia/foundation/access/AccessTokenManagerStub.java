package io.harmonia.foundation.access;

import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.access.AccessTokenManagerProtocol;
import io.harmonia.access.AtManager;
import io.harmonia.foundation.ServiceStub;
import io.harmonia.rpc.MessageSequence;

/** The access token manager's RPC object ({@link AccessTokenManagerProtocol}); open to every caller. */
public final class AccessTokenManagerStub extends ServiceStub
{
    private final AccessTokenManagerService service;

    /**
     * The stub of a service.
     *
     * @param service the access token manager.
     */
    public AccessTokenManagerStub(final AccessTokenManagerService service)
    {
        super(AccessTokenManagerProtocol.DESCRIPTOR);
        this.service = service;
    }

    @Override
    protected boolean dispatch(final int code, final MessageSequence data, final MessageSequence reply,
        final Caller caller)
    {
        if (AccessTokenManagerProtocol.VERIFY_ACCESS_TOKEN != code)
        {
            return false;
        }
        final long tokenId = data.readLong();
        final String permission = data.readString();
        if (0 == tokenId || permission.isEmpty() || permission.length() > AtManager.MAX_PERMISSION_NAME)
        {
            throw new ServiceException(AtManager.INVALID_PARAMETER, 0 == tokenId ? "field 'tokenId' is 0"
                : "field 'permissionName' has " + permission.length() + " characters, must be 1.."
                + AtManager.MAX_PERMISSION_NAME, null);
        }
        reply.writeInt(ServiceReply.OK);
        reply.writeInt(service.verify(tokenId, permission).value());
        return true;
    }
}
