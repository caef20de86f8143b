package io.harmonia.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.Want;
import io.harmonia.bundle.BundleErrors;
import io.harmonia.bundle.BundleManagerClient;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * Foundation as its own process, driven through the RPC clients as tools and apps drive it: installs and queries,
 * SIGKILL of foundation (no app process outlives it, no caller hangs, the next foundation kills orphans and keeps
 * every uid), and installs interrupted by SIGKILL (no trace after the restart); as root.
 */
class FoundationProcessTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path scratch;
    private Path state;
    private AppSpawnDaemon appspawn;
    private FoundationProcess foundation;
    private String instance;

    @BeforeEach
    void setUp() throws IOException
    {
        FoundationFixture.requireRoot("foundation with app processes");
        FoundationFixture.appClassPath();
        scratch = FoundationFixture.scratch("harmonia-fp-");
        state = scratch.resolve("state");
        appspawn = AppSpawnDaemon.start();
        instance = FoundationFixture.instance("fp");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != foundation)
        {
            foundation.close();
        }
        if (null != appspawn)
        {
            appspawn.close();
        }
        FoundationFixture.remove(scratch);
    }

    private void startFoundation(final boolean aot) throws IOException
    {
        foundation = FoundationProcess.start(instance, state, appspawn.socket(), aot);
    }

    private Path bundle(final String name, final int version) throws IOException
    {
        return TestBundles.folder(scratch.resolve("src").resolve(name + "-" + version),
            TestBundles.manifest(name, version), true);
    }

    private static boolean alive(final long pid)
    {
        return Files.exists(Path.of("/proc/" + pid));
    }

    private static void await(final java.util.function.BooleanSupplier condition, final long millis, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void toolsAndAppsReachTheServicesOverRpc() throws Exception
    {
        startFoundation(false);
        final BundleManagerClient bms = BundleManagerClient.connect(instance);
        final BundleManagerClient.Installed installed = bms.install(bundle("com.example.alpha", 1).toString());
        assertEquals(new BundleManagerClient.Installed("com.example.alpha", 20010000, 1, false), installed);
        assertTrue(bms.install(bundle("com.example.alpha", 2).toString()).updated());
        assertEquals("com.example.alpha", bms.getBundleNameByUid(20010000));
        final JsonNode info = JSON.readTree(bms.getBundleInfo("com.example.alpha"));
        assertEquals(2, info.get("versionCode").asInt());
        assertEquals("EntryAbility", info.get("manifest").get("module").get("abilities").get(0).get("name").asText());
        assertEquals(1, JSON.readTree(bms.list()).size());
        final ServiceException relative = assertThrows(ServiceException.class, () -> bms.install("relative/path"));
        assertEquals(401, relative.code());
        assertEquals("field 'path' relative/path: must be absolute", relative.getMessage());
        final ServiceException unknownUid = assertThrows(ServiceException.class, () -> bms.getBundleNameByUid(5));
        assertEquals(BundleErrors.UID_NOT_FOUND, unknownUid.code());

        final AbilityManagerClient ams = AbilityManagerClient.connect(instance);
        final int pid = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/status")).contains("\nUid:\t20010000\t"));
        final JsonNode dump = JSON.readTree(ams.dump());
        assertEquals("com.example.alpha/EntryAbility", dump.get("focused").asText());
        assertTrue(ams.forceStop("com.example.alpha"));
        await(() -> !alive(pid), 5000, "force-stopped pid " + pid);
        bms.uninstall("com.example.alpha");
        final ServiceException gone = assertThrows(ServiceException.class,
            () -> bms.getBundleInfo("com.example.alpha"));
        assertEquals(BundleErrors.BUNDLE_NOT_FOUND, gone.code());
        assertEquals("bundle com.example.alpha is not installed", gone.getMessage());
    }

    @Test
    void malformedRequestsFailTheirOwnCallAndTheServicesKeepServing() throws Exception
    {
        startFoundation(false);
        for (final String service : List.of(io.harmonia.ability.FoundationServices.ABILITY_MANAGER,
            io.harmonia.ability.FoundationServices.BUNDLE_MANAGER))
        {
            final io.harmonia.rpc.IRemoteObject remote = io.harmonia.rpc.IPCSkeleton.connect(
                io.harmonia.ability.FoundationServices.address(instance, service), 5000);
            for (int code = 1; code <= 6; code++)
            {
                try (io.harmonia.rpc.MessageSequence data = io.harmonia.rpc.MessageSequence.create();
                    io.harmonia.rpc.MessageSequence reply = io.harmonia.rpc.MessageSequence.create())
                {
                    data.writeInt(-7);
                    data.writeLong(0x7fffffffffffffffL);
                    try
                    {
                        remote.sendMessageRequestSync(code, data, reply, new io.harmonia.rpc.MessageOption());
                        final int result = reply.readInt();
                        assertTrue(0 != result || code >= 4, service + " code " + code + " accepted garbage");
                    }
                    catch (final io.harmonia.rpc.RemoteCallException refused)
                    {
                        assertTrue(refused.failure() == io.harmonia.rpc.CallFailure.NOT_HANDLED
                            || refused.failure() == io.harmonia.rpc.CallFailure.HANDLER_FAILED, refused.toString());
                    }
                }
            }
        }
        final BundleManagerClient bms = BundleManagerClient.connect(instance);
        assertEquals("com.example.alpha", bms.install(bundle("com.example.alpha", 1).toString()).bundleName());
        assertTrue(alive(AbilityManagerClient.connect(instance).startAbility(Want.of("com.example.alpha",
            "EntryAbility"))));
    }

    @Test
    void killingFoundationLeavesNoAppProcessAndNoHangAndUidsSurvive() throws Exception
    {
        startFoundation(false);
        final BundleManagerClient bms = BundleManagerClient.connect(instance);
        bms.install(bundle("com.example.alpha", 1).toString());
        bms.install(bundle("com.example.beta", 1).toString());
        final AbilityManagerClient ams = AbilityManagerClient.connect(instance);
        final int alpha = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        final int beta = ams.startAbility(Want.of("com.example.beta", "EntryAbility"));

        foundation.kill();
        final long killed = System.nanoTime();
        await(() -> !alive(alpha) && !alive(beta), 3000, "app processes outlived foundation");
        System.out.println("app processes gone " + (System.nanoTime() - killed) / 1_000_000 + " ms after SIGKILL");
        final long before = System.nanoTime();
        final ServiceException dead = assertThrows(ServiceException.class,
            () -> ams.startAbility(Want.of("com.example.alpha", "EntryAbility")));
        assertEquals(ServiceException.UNREACHABLE, dead.code());
        assertTrue(System.nanoTime() - before < 2_000_000_000L, "a call to the dead foundation fails at once");
        assertEquals(List.of(), appspawn.connect().dump().stream().filter(child -> child.uid() >= 20010000).toList());

        startFoundation(false);
        final BundleManagerClient again = BundleManagerClient.connect(instance);
        assertEquals("com.example.alpha", again.getBundleNameByUid(20010000));
        assertEquals("com.example.beta", again.getBundleNameByUid(20010001));
        final int fresh = AbilityManagerClient.connect(instance).startAbility(Want.of("com.example.alpha",
            "EntryAbility"));
        assertTrue(alive(fresh));
    }

    @Test
    void anInstallKilledAtAnyMomentLeavesNoTrace() throws Exception
    {
        startFoundation(true);
        final BundleManagerClient first = BundleManagerClient.connect(instance);
        first.install(bundle("com.example.kept", 1).toString());
        final Path source = bundle("com.example.killed", 1);
        int interrupted = 0;
        for (final long delay : new long[] {150, 600, 1500, 3000})
        {
            final BundleManagerClient bms = BundleManagerClient.connect(instance);
            final CompletableFuture<BundleManagerClient.Installed> install = CompletableFuture.supplyAsync(
                () -> bms.install(source.toString()));
            Thread.sleep(delay);
            foundation.kill();
            boolean completed;
            try
            {
                install.get(10, TimeUnit.SECONDS);
                completed = true;
            }
            catch (final java.util.concurrent.ExecutionException failed)
            {
                assertEquals(ServiceException.UNREACHABLE, ((ServiceException)failed.getCause()).code(),
                    failed.getCause().getMessage());
                completed = false;
            }
            startFoundation(true);
            final BundleManagerClient after = BundleManagerClient.connect(instance);
            if (completed)
            {
                after.uninstall("com.example.killed");
            }
            else
            {
                interrupted++;
                final ServiceException absent = assertThrows(ServiceException.class,
                    () -> after.getBundleInfo("com.example.killed"));
                assertEquals(BundleErrors.BUNDLE_NOT_FOUND, absent.code());
            }
            final StateLayout layout = new StateLayout(state);
            assertFalse(Files.exists(layout.code().resolve("com.example.killed")), "code left after " + delay + " ms");
            assertFalse(Files.exists(layout.data("el2", 100, "com.example.killed")), "data left after " + delay);
            assertFalse(Files.exists(layout.data("el1", 100, "com.example.killed")), "data left after " + delay);
            assertEquals(List.of(), FileTreesView.list(layout.staging()), "staging left after " + delay);
            assertEquals("com.example.kept", after.getBundleNameByUid(20010000));
            await(() -> noProcessOfUid(20010001), 5000, "a training JVM outlived foundation");
        }
        assertTrue(interrupted > 0, "no install was interrupted; the test proves nothing");
        final BundleManagerClient.Installed finished = BundleManagerClient.connect(instance).install(source.toString());
        assertEquals(20010001, finished.uid(), "the interrupted installs allocated nothing");
    }

    private static boolean noProcessOfUid(final int uid)
    {
        try (var processes = Files.list(Path.of("/proc")))
        {
            return processes.filter(path -> path.getFileName().toString().matches("\\d+")).noneMatch(path ->
            {
                try
                {
                    return Files.readString(path.resolve("status")).contains("\nUid:\t" + uid + "\t");
                }
                catch (final IOException gone)
                {
                    return false;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Lists a folder (empty when missing). */
    private static final class FileTreesView
    {
        static List<Path> list(final Path folder) throws IOException
        {
            return io.harmonia.foundation.bundle.FileTrees.list(folder);
        }
    }
}
