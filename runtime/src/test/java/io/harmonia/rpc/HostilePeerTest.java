package io.harmonia.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A process that was never given a reference tries to call, acquire and break an endpoint with hand-made frames:
 * each attempt fails for it alone, and the endpoint keeps serving everyone else.
 */
class HostilePeerTest
{
    private static List<String> runHostile(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
            HostilePeerMain.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            for (String line = out.readLine(); null != line; line = out.readLine())
            {
                lines.add(line);
            }
        }
        assertEquals(0, process.waitFor(), "the hostile process ended normally: " + lines);
        return lines;
    }

    /** An object this process exported to a peer, so it sits in the object table under a guessable id. */
    private static RemoteObject exportedObject(final IRemoteObject peer)
    {
        final RemoteObject target = new ObjectPassingTest.Counter();
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeRemoteObject(target);
            peer.sendMessageRequestSync(RpcPeerMain.BOUNCE, data, reply, new MessageOption());
            data.rewindRead(0);
        }
        return target;
    }

    @Test
    void aProcessWithoutTheReferenceCannotCallOrAcquireTheObject() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process peer = RemoteCallTest.startPeer("serve", address);
        try
        {
            final IRemoteObject service = IPCSkeleton.connect(address, 5000);
            final RemoteObject target = exportedObject(service);
            final ExportedObject exported = target.exported;
            assertTrue(null != exported || 0 == RpcRuntime.get().objects().size(), "exported or already released");
            final long objectId = null == exported ? 1 : exported.id;
            final List<String> lines = runHostile("forge", RpcRuntime.get().address(), Long.toString(objectId));
            assertEquals(List.of("call " + CallFailure.UNKNOWN_OBJECT.status(),
                "acquire " + CallFailure.UNKNOWN_OBJECT.status(),
                "call-after " + CallFailure.UNKNOWN_OBJECT.status()), lines);
            assertEquals(0, ((ObjectPassingTest.Counter)target).calls.get(), "the object never ran for the forger");
        }
        finally
        {
            peer.destroy();
            peer.waitFor();
        }
    }

    @Test
    void garbageFramesCloseOnlyTheSendersConnection() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process peer = RemoteCallTest.startPeer("serve", address);
        try
        {
            final IRemoteObject service = IPCSkeleton.connect(address, 5000);
            // At this process's endpoint (the peer's own connections to us are untouched) and at the peer's
            // published address, 25 connections each.
            runHostile("garbage", RpcRuntime.get().address(), "1", "25");
            runHostile("garbage", address, "1000", "25");
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                data.writeInt(12345);
                service.sendMessageRequestSync(RpcPeerMain.SEED_VALUE_ONLY, data, reply, new MessageOption());
                assertEquals(12345, reply.readInt(), "the peer still serves");
            }
            assertTrue(peer.isAlive());
        }
        finally
        {
            peer.destroy();
            peer.waitFor();
        }
    }
}
