package io.harmonia.foundation.ability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityException;
import io.harmonia.ability.AbilityManagerProtocol;
import io.harmonia.ability.ApplicationInfo;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.ability.Want;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The ability manager's RPC object ({@link AbilityManagerProtocol}). Identity is the caller's kernel uid and pid
 * ({@link IPCSkeleton}), read at the top of each request; a malformed request gets 401 for its own call and nothing
 * else happens.
 */
public final class AbilityManagerStub extends RemoteObject
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /** uids below this are system uids (OpenHarmony's apps start at 10000). */
    private static final int FIRST_APP_UID = 10000;

    private final AbilityManagerService service;

    /**
     * The stub of a service.
     *
     * @param service the ability manager.
     */
    public AbilityManagerStub(final AbilityManagerService service)
    {
        super(AbilityManagerProtocol.DESCRIPTOR);
        this.service = service;
    }

    @Override
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        final int uid = IPCSkeleton.getCallingUid();
        final int pid = IPCSkeleton.getCallingPid();
        try
        {
            switch (code)
            {
                case AbilityManagerProtocol.ATTACH_APPLICATION ->
                {
                    final IRemoteObject thread = data.readRemoteObject();
                    if (null == thread)
                    {
                        throw new IllegalArgumentException("field 'thread' is missing");
                    }
                    final ApplicationInfo info = service.attach(pid, uid, thread);
                    reply.writeInt(ServiceReply.OK);
                    reply.writeInt((int)ProcessHandle.current().pid());
                    info.writeTo(reply);
                }
                case AbilityManagerProtocol.START_ABILITY ->
                {
                    final int started = service.startAbility(Want.readFrom(data), uid);
                    reply.writeInt(ServiceReply.OK);
                    reply.writeInt(started);
                }
                case AbilityManagerProtocol.FORCE_STOP ->
                {
                    requireSystem(uid, "force-stop");
                    final String bundleName = data.readString();
                    if (null == bundleName)
                    {
                        throw new IllegalArgumentException("field 'bundleName' is missing");
                    }
                    final boolean stopped = service.forceStop(bundleName);
                    reply.writeInt(ServiceReply.OK);
                    reply.writeBoolean(stopped);
                }
                case AbilityManagerProtocol.DUMP ->
                {
                    requireSystem(uid, "dump");
                    final String json = JSON.writeValueAsString(service.dump());
                    reply.writeInt(ServiceReply.OK);
                    reply.writeString(json);
                }
                default ->
                {
                    return false;
                }
            }
        }
        catch (final AbilityException failed)
        {
            reply.rewindWrite(0);
            ServiceReply.writeError(reply, failed.code(), failed.getMessage());
        }
        catch (final ServiceException failed)
        {
            reply.rewindWrite(0);
            ServiceReply.writeError(reply, failed.code(), failed.getMessage());
        }
        catch (final IllegalArgumentException | JsonProcessingException malformed)
        {
            reply.rewindWrite(0);
            ServiceReply.writeError(reply, ServiceException.PARAMETER_ERROR, malformed.getMessage());
        }
        return true;
    }

    private static void requireSystem(final int uid, final String what)
    {
        if (uid >= FIRST_APP_UID)
        {
            throw new ServiceException(ServiceException.PERMISSION_DENIED, what + " is for root and system uids, not "
                + "uid " + uid, null);
        }
    }
}
