package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.harmonia.ability.AbilityConnector;
import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.ConnectOptions;
import io.harmonia.ability.ElementName;
import io.harmonia.ability.Want;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.bundle.BundleManagerClient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.spawn.AppSpawnDaemon;
import ohos.IdlServiceExtProxy;

/**
 * The seed's IDL example end to end, with the bundles this project's build made (the plugin generated the proxy
 * and the stub): appspawn and a foundation process run; the service bundle (a system app with the
 * AllowAppUsePrivilegeExtension privilege) and the client bundle are installed from target/bundle; the client's
 * UIAbility, a third-party app in its own process, connects and calls processData(1) and insertDataToMap('theKey',
 * 1) through IdlServiceExtProxy and logs (0, 2) and (0); this JVM connects too and calls the plain form. As root.
 */
class SeedServiceIT
{
    private static final long WAIT_MS = 120_000;

    private static Path scratch() throws IOException
    {
        final Path scratch = Files.createTempDirectory(Path.of("/tmp"), "seed-service-");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        return scratch;
    }

    private static List<String> awaitLines(final Path log, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (System.nanoTime() < deadline)
        {
            if (Files.exists(log) && Files.readAllLines(log).size() >= count)
            {
                return Files.readAllLines(log);
            }
            Thread.sleep(10);
        }
        throw new AssertionError(log + " has fewer than " + count + " lines: "
            + (Files.exists(log) ? Files.readAllLines(log) : "no file"));
    }

    @Test
    void theSeedsIdlExampleRunsBetweenTwoBundlesProcesses() throws Exception
    {
        Assumptions.assumeTrue(0 == Posix.euid(), "SKIPPED: bundles' processes run under their own uids: root only");
        final Path basedir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        final Path scratch = scratch();
        final String instance = "seed-it-" + ProcessHandle.current().pid();
        try (AppSpawnDaemon appspawn = AppSpawnDaemon.start())
        {
            final Path installList = scratch.resolve("install_list.json5");
            Files.writeString(installList, "{ install_list: [ { bundleName: 'com.example.myapplication', systemApp: "
                + "true, apl: 'system_basic', allowAppUsePrivilegeExtension: true } ] }");
            final Process foundation = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.harmonia.foundation.FoundationMain", "--instance", instance, "--state-dir",
                scratch.resolve("state").toString(), "--appspawn-socket", appspawn.socket().toString(), "--token-dir",
                appspawn.tokenDirectory().toString(), "--install-list", installList.toString(), "--no-aot-cache",
                "--app-classpath", "@" + System.getProperty("harmonia.test.appClassPathFile"))
                .redirectError(scratch.resolve("foundation.log").toFile()).start();
            try
            {
                final String ready = new BufferedReader(new InputStreamReader(foundation.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
                assertTrue(null != ready && ready.startsWith("foundation ready"), "foundation: "
                    + Files.readString(scratch.resolve("foundation.log")));
                final BundleManagerClient bms = BundleManagerClient.connect(instance);
                bms.install(basedir.resolve("target/bundle/service").toString());
                bms.install(basedir.resolve("target/bundle/client").toString());

                final AbilityManagerClient ams = AbilityManagerClient.connect(instance);
                ams.startAbility(Want.of("com.example.connectextapp", "ClientAbility"));
                final Path data = scratch.resolve("state/data/app/el2/100/base");
                final List<String> client = awaitLines(data.resolve("com.example.connectextapp/files/client.log"), 4);
                assertTrue(client.contains("onConnect callback"), client.toString());
                assertTrue(client.contains("processData, errorCode: 0, retVal: 2"), client.toString());
                assertTrue(client.contains("insertDataToMap, errorCode: 0"), client.toString());

                final AbilityConnector connector = ams.connector();
                final CompletableFuture<IRemoteObject> connected = new CompletableFuture<>();
                final long id = connector.connectServiceExtensionAbility(Want.of("com.example.myapplication",
                    "ServiceExtAbility"), new ConnectOptions()
                    {
                        @Override
                        public void onConnect(final ElementName elementName, final IRemoteObject remote)
                        {
                            connected.complete(remote);
                        }

                        @Override
                        public void onDisconnect(final ElementName elementName)
                        {
                        }

                        @Override
                        public void onFailed(final int code)
                        {
                            connected.completeExceptionally(new AssertionError("onFailed " + code));
                        }
                    });
                final IRemoteObject remote = connected.get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals(42, new IdlServiceExtProxy(remote).processData(41), "the plain form, across processes");
                connector.disconnectServiceExtensionAbility(id).get(WAIT_MS, TimeUnit.MILLISECONDS);

                final List<String> service = Files.readAllLines(data.resolve(
                    "com.example.myapplication/files/events.log"));
                assertEquals(List.of("[ServiceExtAbility] onCreate, want: ServiceExtAbility",
                    "[ServiceExtAbility] onConnect, want: ServiceExtAbility"), service,
                    "one onConnect for both clients");
                System.out.println("SeedServiceIT: client " + client + "; service " + service);
            }
            finally
            {
                foundation.destroy();
                foundation.waitFor(30, TimeUnit.SECONDS);
            }
        }
        finally
        {
            try (Stream<Path> paths = Files.walk(scratch))
            {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
