package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.RemoteProxy;
import io.harmonia.rpc.RpcException;
import ohos.IIdlServiceExt;
import ohos.IdlServiceExtProxy;

/**
 * The seed's IDL example across processes: a second JVM publishes the generated stub's implementation, this JVM
 * calls it through the generated proxy over a real connection.
 */
class CrossProcessIdlTest
{
    private static Process startPeer(final String address, final String... mode) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
            "-Xmx64m", "-cp", System.getProperty("java.class.path"), IdlPeerMain.class.getName(), address));
        command.addAll(List.of(mode));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        assertTrue(null != line && line.startsWith("ready"), "the peer did not start: " + line);
        return process;
    }

    @Test
    void processDataAndInsertDataToMapAcrossProcesses() throws Exception
    {
        final String address = "@harmonia-idl-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Process peer = startPeer(address);
        try
        {
            final IRemoteObject remote = IPCSkeleton.connect(address, 5000);
            assertTrue(remote instanceof RemoteProxy, "a proxy of the other process's object");
            final IIdlServiceExt proxy = new IdlServiceExtProxy(remote);
            final CompletableFuture<int[]> processed = new CompletableFuture<>();
            proxy.processData(1, (errCode, returnValue) -> processed.complete(new int[] {errCode, returnValue}));
            final int[] result = processed.get(10, TimeUnit.SECONDS);
            assertEquals(0, result[0]);
            assertEquals(2, result[1]);
            final CompletableFuture<Integer> inserted = new CompletableFuture<>();
            proxy.insertDataToMap("theKey", 1, inserted::complete);
            assertEquals(0, inserted.get(10, TimeUnit.SECONDS));
            assertEquals(2, proxy.processData(1), "the plain Java form");
        }
        finally
        {
            peer.destroy();
            peer.waitFor();
        }
    }

    @Test
    void aServiceThatNeverAnswersGivesAClearErrorNotAHang() throws Exception
    {
        final String address = "@harmonia-idl-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Process peer = startPeer(address, "uid-check");
        try
        {
            final IIdlServiceExt proxy = new IdlServiceExtProxy(IPCSkeleton.connect(address, 5000));
            final RpcException failure = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(RpcException.class, () -> proxy.processData(1)));
            assertEquals(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, failure.code(), failure.getMessage());
        }
        finally
        {
            peer.destroy();
            peer.waitFor();
        }
    }
}
