package io.harmonia.ability;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The object an app process attaches to the ability manager with ({@link AppThreadProtocol}); the ability manager
 * schedules the process's lifecycle work through it. Only the process that received it at attach (the ability
 * manager) holds a reference (the RPC layer refuses callers without one), and requests from any other process are
 * refused as well: the caller's kernel pid must be the one the ability manager's attach reply named. A request that
 * arrives before the attach reply has been read waits for it (at most {@value #BIND_WAIT_MILLIS} ms).
 */
final class ApplicationThread extends RemoteObject
{
    static final long BIND_WAIT_MILLIS = 5_000;

    private final AbilityHost host;
    private final ExtensionHost extensions = new ExtensionHost();
    private final CountDownLatch bound = new CountDownLatch(1);
    private volatile int managerPid = -1;

    ApplicationThread(final AbilityHost host)
    {
        super(AppThreadProtocol.DESCRIPTOR);
        this.host = host;
    }

    void bind(final ApplicationInfo info, final int abilityManagerPid, final AbilityConnector connector)
    {
        host.bind(info, connector);
        extensions.bind(info, connector);
        managerPid = abilityManagerPid;
        bound.countDown();
    }

    @Override
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        final int caller = IPCSkeleton.getCallingPid();
        try
        {
            bound.await(BIND_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (caller != managerPid)
        {
            ServiceReply.writeError(reply, ServiceException.PERMISSION_DENIED, "only the ability manager (pid "
                + managerPid + ") schedules this process, not pid " + caller);
            return true;
        }
        try
        {
            switch (code)
            {
                case AppThreadProtocol.SCHEDULE_LAUNCH_ABILITY ->
                {
                    final String abilityName = data.readString();
                    final String srcEntry = data.readString();
                    host.launch(abilityName, srcEntry, Want.readFrom(data));
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.SCHEDULE_FOREGROUND ->
                {
                    host.foreground(data.readString());
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.SCHEDULE_BACKGROUND ->
                {
                    host.background(data.readString());
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.SCHEDULE_DESTROY ->
                {
                    host.destroy(data.readString());
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.DUMP ->
                {
                    final Map<String, AbilityState> states = host.states();
                    reply.writeInt(ServiceReply.OK);
                    reply.writeInt((int)ProcessHandle.current().pid());
                    reply.writeInt(states.size());
                    states.forEach((name, state) ->
                    {
                        reply.writeString(name);
                        reply.writeInt(state.ordinal());
                    });
                }
                case AppThreadProtocol.SCHEDULE_EXIT ->
                {
                    host.destroyAll();
                    extensions.destroyAll();
                    Thread.ofPlatform().name("harmonia-app-exit").start(() -> System.exit(0));
                }
                case AppThreadProtocol.SCHEDULE_CREATE_EXTENSION ->
                {
                    final long recordId = data.readLong();
                    final String abilityName = data.readString();
                    final String srcEntry = data.readString();
                    final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
                    extensions.create(recordId, abilityName, srcEntry, type, Want.readFrom(data));
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.SCHEDULE_COMMAND_EXTENSION ->
                {
                    final long recordId = data.readLong();
                    final Want want = Want.readFrom(data);
                    extensions.command(recordId, want, data.readInt());
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.SCHEDULE_CONNECT_EXTENSION ->
                {
                    final long recordId = data.readLong();
                    final RemoteObject remote = extensions.connect(recordId, Want.readFrom(data));
                    reply.writeInt(ServiceReply.OK);
                    reply.writeBoolean(null != remote);
                    if (null != remote)
                    {
                        reply.writeRemoteObject(remote);
                    }
                }
                case AppThreadProtocol.SCHEDULE_DISCONNECT_EXTENSION ->
                {
                    final long recordId = data.readLong();
                    extensions.disconnect(recordId, Want.readFrom(data));
                    reply.writeInt(ServiceReply.OK);
                }
                case AppThreadProtocol.SCHEDULE_DESTROY_EXTENSION ->
                {
                    extensions.destroy(data.readLong());
                    reply.writeInt(ServiceReply.OK);
                }
                default ->
                {
                    return false;
                }
            }
        }
        catch (final AbilityException failed)
        {
            ServiceReply.replaceWithError(reply, failed.code(), failed.getMessage());
        }
        catch (final IllegalArgumentException malformed)
        {
            ServiceReply.replaceWithError(reply, ServiceException.PARAMETER_ERROR, malformed.getMessage());
        }
        catch (final RuntimeException thrown)
        {
            ServiceReply.replaceWithError(reply, AbilityErrors.INNER, "an ability callback threw: " + thrown);
        }
        return true;
    }
}
