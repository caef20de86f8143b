package io.harmonia.foundation.ability;

import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityManagerProtocol;
import io.harmonia.ability.ApplicationInfo;
import io.harmonia.ability.ExtensionAbilityType;
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

    /** Extension starts and stops answer when their steps finished, without holding an RPC thread meanwhile. */
    @Override
    protected CompletionStage<Void> dispatchLater(final int code, final MessageSequence data,
        final MessageSequence reply, final Caller caller)
    {
        if (AbilityManagerProtocol.START_EXTENSION != code && AbilityManagerProtocol.STOP_EXTENSION != code)
        {
            return null;
        }
        final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
        final Want want = Want.readFrom(data);
        return (AbilityManagerProtocol.START_EXTENSION == code
            ? service.startExtension(type, want, caller.uid(), caller.pid())
            : service.stopExtension(type, want, caller.uid(), caller.pid()))
            .thenRun(() -> reply.writeInt(ServiceReply.OK));
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
            case AbilityManagerProtocol.CONNECT_EXTENSION ->
            {
                final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
                final Want want = Want.readFrom(data);
                final IRemoteObject callback = data.readRemoteObject();
                service.connectExtension(type, want, callback, caller.uid(), caller.pid());
                reply.writeInt(ServiceReply.OK);
            }
            case AbilityManagerProtocol.DISCONNECT_EXTENSION ->
            {
                final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
                service.disconnectExtension(type, data.readRemoteObject(), caller.pid());
                reply.writeInt(ServiceReply.OK);
            }
            case AbilityManagerProtocol.TERMINATE_SELF ->
            {
                service.terminateSelf(caller.pid(), required(data.readString(), "abilityName"));
                reply.writeInt(ServiceReply.OK);
            }
            case AbilityManagerProtocol.FORCE_TIMEOUT ->
            {
                requireSystem(caller, "force-timeout");
                service.forceTimeout(data.readString(), data.readString());
                reply.writeInt(ServiceReply.OK);
            }
            default ->
            {
                return false;
            }
        }
        return true;
    }
}
