package io.harmonia.foundation.ability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityManagerProtocol;
import io.harmonia.ability.ApplicationInfo;
import io.harmonia.ability.ServiceReply;
import io.harmonia.ability.Want;
import io.harmonia.foundation.ServiceStub;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;

/** The ability manager's RPC object ({@link AbilityManagerProtocol}). */
public final class AbilityManagerStub extends ServiceStub
{
    private static final ObjectMapper JSON = new ObjectMapper();

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
    protected boolean dispatch(final int code, final MessageSequence data, final MessageSequence reply,
        final Caller caller) throws JsonProcessingException
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
                final ApplicationInfo info = service.attach(caller.pid(), caller.uid(), thread);
                reply.writeInt(ServiceReply.OK);
                reply.writeInt((int)ProcessHandle.current().pid());
                info.writeTo(reply);
            }
            case AbilityManagerProtocol.START_ABILITY ->
            {
                final int started = service.startAbility(Want.readFrom(data), caller.uid());
                reply.writeInt(ServiceReply.OK);
                reply.writeInt(started);
            }
            case AbilityManagerProtocol.FORCE_STOP ->
            {
                requireSystem(caller, "force-stop");
                final boolean stopped = service.forceStop(required(data.readString(), "bundleName"));
                reply.writeInt(ServiceReply.OK);
                reply.writeBoolean(stopped);
            }
            case AbilityManagerProtocol.DUMP ->
            {
                requireSystem(caller, "dump");
                final String json = JSON.writeValueAsString(service.dump());
                reply.writeInt(ServiceReply.OK);
                reply.writeString(json);
            }
            default ->
            {
                return false;
            }
        }
        return true;
    }
}
