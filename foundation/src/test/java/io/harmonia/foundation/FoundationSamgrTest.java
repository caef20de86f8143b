package io.harmonia.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.FoundationServices;
import io.harmonia.bundle.BundleManagerClient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.wire.EntryInfo;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * Foundation in a real samgr server (harmonia-samgr in its own JVM): its services are registered under OpenHarmony's
 * ids 180, 401 and 3503 by its pid, the objects samgr hands out answer real calls, SIGKILL of foundation removes the
 * entries, a second foundation cannot take the ids, a named instance without {@code --samgr} registers nothing,
 * and a configured samgr that is not there stops the start with its address; as root.
 */
class FoundationSamgrTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] IDS = {FoundationServices.ABILITY_MGR_SERVICE_ID,
        FoundationServices.BUNDLE_MGR_SERVICE_SYS_ABILITY_ID, FoundationServices.ACCESS_TOKEN_MANAGER_SERVICE_ID};

    private Path scratch;
    private AppSpawnDaemon appspawn;
    private Process samgrServer;
    private String samgrAddress;
    private FoundationProcess foundation;

    @BeforeEach
    void setUp() throws IOException
    {
        FoundationFixture.requireRoot("foundation with appspawn");
        FoundationFixture.appClassPath();
        scratch = FoundationFixture.scratch("harmonia-fsamgr-");
        appspawn = AppSpawnDaemon.start();
        samgrAddress = "@harmonia-test-samgr-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        samgrServer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            SamgrServerMain.class.getName(), "--address", samgrAddress, "--exit-with-stdin")
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String ready = new BufferedReader(new InputStreamReader(samgrServer.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        assertEquals("ready " + samgrAddress, ready);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (null != foundation)
        {
            foundation.close();
        }
        if (null != samgrServer)
        {
            samgrServer.getOutputStream().close();
            if (!samgrServer.waitFor(10, TimeUnit.SECONDS))
            {
                samgrServer.destroyForcibly().waitFor();
            }
        }
        if (null != appspawn)
        {
            appspawn.close();
        }
        FoundationFixture.remove(scratch);
    }

    private FoundationProcess startFoundation(final String instance, final String... extra) throws IOException
    {
        return FoundationProcess.start(instance, scratch.resolve(instance), appspawn.socket(), false, extra);
    }

    @Test
    void servicesAreRegisteredByIdAndAnswerThroughTheObjectsSamgrHandsOut() throws Exception
    {
        foundation = startFoundation(FoundationFixture.instance("samgr"), "--samgr", samgrAddress);
        final SamgrClient samgr = SamgrClient.connect(samgrAddress, 5_000);
        for (final int id : IDS)
        {
            final List<EntryInfo> entries = samgr.dump(SamgrKey.ability(id));
            assertEquals(1, entries.size(), "one entry for " + id);
            assertEquals(foundation.pid(), entries.get(0).providerPid(), "registered by foundation: " + id);
        }

        final IRemoteObject bmsObject = samgr.checkSystemAbility(FoundationServices.BUNDLE_MGR_SERVICE_SYS_ABILITY_ID);
        assertNotNull(bmsObject, "401 in samgr");
        final BundleManagerClient bms = BundleManagerClient.of(bmsObject);
        final Path bundle = TestBundles.folder(scratch.resolve("src/alpha"),
            TestBundles.manifest("com.example.alpha", 1), true);
        assertEquals("com.example.alpha", bms.install(bundle.toString()).bundleName());
        assertEquals("com.example.alpha", JSON.readTree(bms.list()).get(0).get("bundleName").asText());

        final AbilityManagerClient ams = AbilityManagerClient.of(samgr.getSystemAbility(
            FoundationServices.ABILITY_MGR_SERVICE_ID, 1_000));
        assertEquals(foundation.pid(), ams.ownerPid());
        assertTrue(JSON.readTree(ams.dump()).has("processes"), ams.dump());

        final IRemoteObject found = FoundationServices.lookUp(samgrAddress, FoundationServices.BUNDLE_MANAGER);
        assertNotNull(found, "FoundationServices.lookUp finds 401");
        assertEquals("com.example.alpha", JSON.readTree(BundleManagerClient.of(found).list()).get(0)
            .get("bundleName").asText());

        foundation.kill();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (null != samgr.checkSystemAbility(FoundationServices.BUNDLE_MGR_SERVICE_SYS_ABILITY_ID)
            && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        for (final int id : IDS)
        {
            assertNull(samgr.checkSystemAbility(id), "samgr dropped " + id + " within 5 s of foundation's death");
        }
        assertNull(FoundationServices.lookUp(samgrAddress, FoundationServices.ABILITY_MANAGER));
        foundation = null;
    }

    @Test
    void aSecondFoundationCannotTakeTheIdsAndANamedInstanceWithoutSamgrRegistersNothing() throws Exception
    {
        foundation = startFoundation(FoundationFixture.instance("first"), "--samgr", samgrAddress);
        final IOException refused = assertThrows(IOException.class,
            () -> startFoundation(FoundationFixture.instance("second"), "--samgr", samgrAddress).close());
        assertTrue(refused.getMessage().contains("the samgr server at " + samgrAddress
            + " refused foundation's services"), refused.getMessage());

        try (FoundationProcess named = startFoundation(FoundationFixture.instance("named")))
        {
            final SamgrClient samgr = SamgrClient.connect(samgrAddress, 5_000);
            for (final int id : IDS)
            {
                assertEquals(foundation.pid(), samgr.dump(SamgrKey.ability(id)).get(0).providerPid(),
                    "the named instance left " + id + " to the first foundation (pid " + named.pid() + ")");
            }
        }
    }

    @Test
    void aConfiguredSamgrThatIsNotThereStopsTheStartNamingItsAddress()
    {
        final String nowhere = "@harmonia-test-no-samgr-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        assertNull(FoundationServices.lookUp(nowhere, FoundationServices.BUNDLE_MANAGER), "nothing answers there");
        final long started = System.nanoTime();
        final IOException failed = assertThrows(IOException.class,
            () -> startFoundation(FoundationFixture.instance("nosamgr"), "--samgr", nowhere).close());
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(failed.getMessage().contains("no samgr server answered at " + nowhere + " within "
            + SamgrRegistration.START_WAIT_MILLIS + " ms"), failed.getMessage());
        assertTrue(tookMillis >= SamgrRegistration.START_WAIT_MILLIS && tookMillis < 40_000,
            "waited the bound, not forever: " + tookMillis + " ms");
    }
}
