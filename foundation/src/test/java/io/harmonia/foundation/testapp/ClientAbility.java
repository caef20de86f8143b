package io.harmonia.foundation.testapp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ConnectOptions;
import io.harmonia.ability.ElementName;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.UIAbility;
import io.harmonia.ability.UIAbilityContext;
import io.harmonia.ability.Want;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.rpc.RpcException;

/**
 * A client UIAbility for the tests: at each start whose Want has a {@code control} parameter it publishes a control
 * object at the address it names, through which a test makes this app (its uid, its token, its focus) call the
 * callers' API of its context ({@link ClientControl}), and reads what its ConnectOptions were told. The control
 * object never changes the focus, so a test can drive a client that is in the background.
 */
public class ClientAbility extends UIAbility
{
    private final Map<String, Publication> controls = new ConcurrentHashMap<>();

    /** For the host. */
    public ClientAbility()
    {
    }

    @Override
    public void onCreate(final Want want)
    {
        publish(want);
    }

    @Override
    public void onNewWant(final Want want)
    {
        publish(want);
    }

    private void publish(final Want want)
    {
        if (want.parameters().get("control") instanceof String address)
        {
            controls.computeIfAbsent(address, key -> IPCSkeleton.publish(key, new ClientControl(getContext())));
        }
    }

    /** The control object's requests. */
    public static final class ClientControl extends RemoteObject
    {
        /** Start: int family, Want; reply int code (0). */
        public static final int START = 1;
        /** Stop: int family, Want; reply int code. */
        public static final int STOP = 2;
        /** Connect: int family, Want; reply long connection id. */
        public static final int CONNECT = 3;
        /** Disconnect: int family, long id; reply int code. */
        public static final int DISCONNECT = 4;
        /** The events so far: reply int count, strings ("onConnect ID ELEMENT", "onDisconnect ID", "onFailed ID CODE"). */
        public static final int EVENTS = 5;
        /**
         * A raw request on a connection's remote: long id, int code, int value, int ints to read; reply int status
         * (0; the call's errCode when it failed, e.g. 4 when the handler returned false; the RPC code of a read
         * that failed), then the ints read.
         */
        public static final int CALL = 6;

        private static final long WAIT_SECONDS = 120;

        private final UIAbilityContext context;
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final Map<Long, IRemoteObject> remotes = new ConcurrentHashMap<>();

        ClientControl(final UIAbilityContext context)
        {
            super("harmonia.test.ClientControl");
            this.context = context;
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case START, STOP ->
                {
                    final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
                    final Want want = Want.readFrom(data);
                    final boolean start = START == code;
                    reply.writeInt(outcome(ExtensionAbilityType.SERVICE == type
                        ? start ? context.startServiceExtensionAbility(want) : context.stopServiceExtensionAbility(want)
                        : start ? context.startAppServiceExtensionAbility(want)
                            : context.stopAppServiceExtensionAbility(want)));
                }
                case CONNECT ->
                {
                    final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
                    final Want want = Want.readFrom(data);
                    // The callbacks may come before connect returned the id: they wait for it.
                    final CompletableFuture<Long> id = new CompletableFuture<>();
                    final ConnectOptions options = new ConnectOptions()
                    {
                        @Override
                        public void onConnect(final ElementName elementName, final IRemoteObject remote)
                        {
                            remotes.put(id.join(), remote);
                            events.add("onConnect " + id.join() + " " + elementName);
                        }

                        @Override
                        public void onDisconnect(final ElementName elementName)
                        {
                            events.add("onDisconnect " + id.join());
                        }

                        @Override
                        public void onFailed(final int failure)
                        {
                            events.add("onFailed " + id.join() + " " + failure);
                        }
                    };
                    id.complete(ExtensionAbilityType.SERVICE == type
                        ? context.connectServiceExtensionAbility(want, options)
                        : context.connectAppServiceExtensionAbility(want, options));
                    reply.writeLong(id.join());
                }
                case DISCONNECT ->
                {
                    final ExtensionAbilityType type = ExtensionAbilityType.ofWire(data.readInt());
                    final long id = data.readLong();
                    reply.writeInt(outcome(ExtensionAbilityType.SERVICE == type
                        ? context.disconnectServiceExtensionAbility(id)
                        : context.disconnectAppServiceExtensionAbility(id)));
                }
                case EVENTS ->
                {
                    final List<String> copy = List.copyOf(events);
                    reply.writeInt(copy.size());
                    copy.forEach(reply::writeString);
                }
                case CALL -> call(data, reply);
                default ->
                {
                    return false;
                }
            }
            return true;
        }

        private void call(final MessageSequence data, final MessageSequence reply)
        {
            final IRemoteObject remote = remotes.get(data.readLong());
            final int requestCode = data.readInt();
            final int value = data.readInt();
            final int count = data.readInt();
            if (null == remote)
            {
                reply.writeInt(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR);
                return;
            }
            // The app calls as itself, not on behalf of the test that drives it (matters for a service of its own
            // process, which sees the calling thread's identity).
            final io.harmonia.rpc.CallingIdentity driver = IPCSkeleton.resetCallingIdentity();
            try (MessageSequence request = MessageSequence.create(); MessageSequence answer = MessageSequence.create())
            {
                request.writeInt(value);
                final int[] ints = new int[count];
                try
                {
                    remote.sendMessageRequest(requestCode, request, answer, new MessageOption()).join();
                    for (int i = 0; i < count; i++)
                    {
                        ints[i] = answer.readInt();
                    }
                }
                catch (final CompletionException failed)
                {
                    reply.writeInt(failed.getCause() instanceof RemoteCallException call ? call.result().errCode()
                        : RpcException.COMMUNICATION_ERROR);
                    return;
                }
                catch (final RpcException unreadable)
                {
                    reply.writeInt(unreadable.code());
                    return;
                }
                reply.writeInt(0);
                for (final int read : ints)
                {
                    reply.writeInt(read);
                }
            }
            finally
            {
                IPCSkeleton.restoreCallingIdentity(driver);
            }
        }

        private static int outcome(final CompletableFuture<Void> request)
        {
            try
            {
                request.get(WAIT_SECONDS, TimeUnit.SECONDS);
                return 0;
            }
            catch (final java.util.concurrent.ExecutionException failed)
            {
                return failed.getCause() instanceof AbilityException refused ? refused.code() : -2;
            }
            catch (final java.util.concurrent.TimeoutException late)
            {
                return -3;
            }
            catch (final InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
                return -4;
            }
        }
    }
}
