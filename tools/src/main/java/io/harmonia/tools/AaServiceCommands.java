package io.harmonia.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.harmonia.ability.AbilityConnector;
import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.AbilityManagerProtocol;
import io.harmonia.ability.ConnectOptions;
import io.harmonia.ability.ElementName;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.Want;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RequestResult;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.WantOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code aa} actions for service extensions beyond {@code start}: {@code stop-service}, {@code connect} (connect,
 * send one request, print the reply, disconnect) and OpenHarmony's test hook {@code force-timeout}. The caller is the
 * tool's own process: as root it is a native caller, which every rule lets through except 801 off a 2-in-1 device.
 */
final class AaServiceCommands
{
    private AaServiceCommands()
    {
    }

    /** The family of a target that must be a service extension. */
    private static ExtensionAbilityType serviceType(final FoundationClient command, final WantOptions target)
    {
        final ExtensionAbilityType type = command.extensionType(target.bundleName(), target.abilityName());
        if (null == type)
        {
            throw CommandFailure.failed(target.bundleName() + "/" + target.abilityName() + " is not a service "
                + "extension (type \"service\" or \"appService\") of the bundle (code 16000002)");
        }
        return type;
    }

    /** {@code aa stop-service -b BUNDLE -a ABILITY}. */
    @Command(name = "stop-service", description = {"Stop a service extension (service or appService): its clients "
        + "are disconnected, then its onDestroy runs."})
    static final class StopService extends FoundationClient
    {
        @Mixin
        private WantOptions target;

        @Override
        public Integer call()
        {
            final Want want = target.build();
            final ExtensionAbilityType type = serviceType(this, target);
            await(call(() -> AbilityManagerClient.connect(instance())).connector().stop(type, want),
                AbilityManagerProtocol.EXTENSION_WAIT_MILLIS);
            return print(Map.of("bundleName", target.bundleName(), "abilityName", target.abilityName(), "stopped",
                true), "stop service ability successfully: " + want.element() + System.lineSeparator());
        }
    }

    /** {@code aa connect -b BUNDLE -a ABILITY [--code N] [--int V]... [--string S]... [--reply-ints N]}. */
    @Command(name = "connect", description = {"Connect to a service extension, send it one request and print the "
        + "reply, then disconnect.", "The request holds the --int and --string values in the order given (ints "
        + "first, then strings); the reply is printed as the ints it holds (--reply-ints N reads N, else as many as "
        + "it has)."})
    static final class Connect extends FoundationClient
    {
        @Mixin
        private WantOptions target;

        @Option(names = "--code", paramLabel = "N", description = "The request code (default: ${DEFAULT-VALUE}, the "
            + "seeds' REQUEST_CODE).")
        private int code = 1;

        @Option(names = "--int", paramLabel = "V", description = "An int to write into the request.")
        private List<Integer> ints = new ArrayList<>();

        @Option(names = "--string", paramLabel = "S", description = "A string to write into the request.")
        private List<String> strings = new ArrayList<>();

        @Option(names = "--reply-ints", paramLabel = "N", description = "How many ints to read from the reply "
            + "(default: all).")
        private int replyInts = -1;

        @Option(names = "--timeout", paramLabel = "MS", description = "The longest wait for the connection and for "
            + "the reply (default: ${DEFAULT-VALUE}).")
        private long timeoutMillis = 60_000;

        @Override
        public Integer call()
        {
            final Want want = target.build();
            final ExtensionAbilityType type = serviceType(this, target);
            final AbilityConnector connector = call(() -> AbilityManagerClient.connect(instance())).connector();
            final CompletableFuture<IRemoteObject> connected = new CompletableFuture<>();
            final CompletableFuture<Void> ended = new CompletableFuture<>();
            final long id = connector.connect(type, want, new ConnectOptions()
            {
                @Override
                public void onConnect(final ElementName elementName, final IRemoteObject remote)
                {
                    connected.complete(remote);
                }

                @Override
                public void onDisconnect(final ElementName elementName)
                {
                    connected.completeExceptionally(CommandFailure.failed("the service ended the connection"));
                    ended.complete(null);
                }

                @Override
                public void onFailed(final int failure)
                {
                    connected.completeExceptionally(CommandFailure.failed("connecting to " + want.element()
                        + " failed (code " + failure + ")"));
                    ended.complete(null);
                }
            });
            final IRemoteObject remote = awaitConnected(connected, want);
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("element", want.element().toString());
            result.put("connectionId", id);
            result.put("code", code);
            try
            {
                result.put("reply", request(remote));
            }
            finally
            {
                await(connector.disconnect(type, id), timeoutMillis);
                awaitEnd(ended);
            }
            return print(result, "connected to " + want.element() + " (connection " + id + ")" + System.lineSeparator()
                + "request " + code + " " + ints + (strings.isEmpty() ? "" : " " + strings) + System.lineSeparator()
                + "reply: " + result.get("reply") + System.lineSeparator() + "disconnected" + System.lineSeparator());
        }

        private IRemoteObject awaitConnected(final CompletableFuture<IRemoteObject> connected, final Want want)
        {
            try
            {
                return connected.get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException failed)
            {
                throw failed.getCause() instanceof CommandFailure reason ? reason
                    : CommandFailure.failed(failed.getCause().toString());
            }
            catch (final TimeoutException late)
            {
                throw CommandFailure.failed("no connection to " + want.element() + " within " + timeoutMillis + " ms");
            }
            catch (final InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
                throw CommandFailure.failed("interrupted");
            }
        }

        /** Waits a little for onDisconnect, so the tool exits after the connection ended. */
        private void awaitEnd(final CompletableFuture<Void> ended)
        {
            try
            {
                ended.get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException | TimeoutException late)
            {
                // the disconnect was taken; its news may come later
            }
            catch (final InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }

        private List<Integer> request(final IRemoteObject remote)
        {
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                ints.forEach(data::writeInt);
                strings.forEach(data::writeString);
                final MessageOption option = new MessageOption();
                option.setWaitTimeMillis(timeoutMillis);
                final RequestResult sent;
                try
                {
                    sent = remote.sendMessageRequestSync(code, data, reply, option);
                }
                catch (final RemoteCallException failed)
                {
                    throw CommandFailure.failed("request " + code + " failed: " + failed.getMessage() + " (errCode "
                        + failed.result().errCode() + ")");
                }
                final List<Integer> values = new ArrayList<>();
                final int count = replyInts < 0 ? sent.reply().getReadableBytes() / Integer.BYTES : replyInts;
                for (int i = 0; i < count; i++)
                {
                    values.add(reply.readInt());
                }
                return values;
            }
        }
    }

    /** {@code aa force-timeout ABILITY STATE | clean}. */
    @Command(name = "force-timeout", description = {"Test hook (OpenHarmony's): from now on the STATE step of every "
        + "instance of ABILITY expires as soon as it is scheduled; 'clean' clears every one.", "STATE: INITIAL (load), "
        + "INACTIVE (onCreate), COMMAND (onRequest), CONNECT (onConnect), DISCONNECT (onDisconnect), TERMINATING "
        + "(onDestroy). Root and system uids only."})
    static final class ForceTimeout extends FoundationClient
    {
        @Parameters(index = "0", paramLabel = "ABILITY", description = "The ability, or 'clean'.")
        private String abilityName;

        @Parameters(index = "1", arity = "0..1", paramLabel = "STATE", description = "The step.")
        private String state = "";

        @Override
        public Integer call()
        {
            call(() ->
            {
                AbilityManagerClient.connect(instance()).forceTimeout(abilityName, state);
                return null;
            });
            return print(Map.of("abilityName", abilityName, "state", state), "force timeout ok"
                + System.lineSeparator());
        }
    }
}
