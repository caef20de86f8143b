package io.harmonia.foundation.ability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.Want;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.foundation.Foundation;
import io.harmonia.foundation.FoundationFixture;
import io.harmonia.foundation.TestBundles;
import io.harmonia.foundation.bundle.BundleRecord;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * App processes for real: appspawn starts a JVM under the bundle's uid, it attaches, runs its UIAbilities as the
 * ability manager schedules them, and its death is seen at once; as root. Foundation runs in this JVM and the test
 * calls its services directly; FoundationProcessTest drives a separate foundation process through the RPC clients.
 */
class AppProcessTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path scratch;
    private AppSpawnDaemon appspawn;
    private Foundation foundation;
    private Ams ams;

    /** The ability manager as a client sees it, called in this process (the caller is root). */
    private record Ams(AbilityManagerService service)
    {
        int startAbility(final Want want)
        {
            try
            {
                return service.startAbility(want, 0);
            }
            catch (final io.harmonia.ability.AbilityException failed)
            {
                throw new ServiceException(failed.code(), failed.getMessage(), failed);
            }
        }

        boolean forceStop(final String bundleName)
        {
            return service.forceStop(bundleName);
        }

        String dump() throws IOException
        {
            return JSON.writeValueAsString(service.dump());
        }
    }
    private String instance;

    @BeforeEach
    void setUp() throws IOException
    {
        FoundationFixture.requireRoot("app processes");
        scratch = FoundationFixture.scratch("harmonia-ams-");
        appspawn = AppSpawnDaemon.start();
        instance = FoundationFixture.instance("ams");
        foundation = Foundation.start(FoundationFixture.config(instance, scratch.resolve("state"), appspawn.socket(),
            scratch.resolve("none"), false));
        ams = new Ams(foundation.abilities());
    }

    @AfterEach
    void tearDown() throws IOException
    {
        if (null != foundation)
        {
            foundation.close();
        }
        if (null != appspawn)
        {
            System.out.println("appspawn log:\n" + appspawn.log() + "\napp output:\n" + appspawn.appOutput());
            appspawn.close();
        }
        FoundationFixture.remove(scratch);
    }

    private BundleRecord install(final String name) throws Exception
    {
        return foundation.bundles().install(TestBundles.folder(scratch.resolve("src").resolve(name),
            TestBundles.manifest(name, 1), true));
    }

    private static String status(final int pid) throws IOException
    {
        return Files.readString(Path.of("/proc/" + pid + "/status"));
    }

    private static List<String> events(final BundleRecord bundle) throws IOException
    {
        final Path log = Path.of(bundle.dataDir(), "files", "events.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private JsonNode dump() throws IOException
    {
        return JSON.readTree(ams.dump());
    }

    private static void awaitGone(final int pid) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertTrue(!Files.exists(Path.of("/proc/" + pid)), "pid " + pid + " still exists");
    }

    @Test
    void anAbilityRunsInItsBundlesProcessUnderItsUid() throws Exception
    {
        final BundleRecord bundle = install("com.example.alpha");
        final int pid = ams.startAbility(Want.builder().bundleName("com.example.alpha").abilityName("EntryAbility")
            .parameter("note", "first").build());
        final String status = status(pid);
        assertTrue(status.contains("\nUid:\t" + bundle.uid() + "\t" + bundle.uid() + "\t" + bundle.uid()), status);
        assertTrue(status.contains("\nGid:\t" + bundle.gid() + "\t"), status);
        assertTrue(status.contains("\nGroups:\t" + bundle.gid() + " \n") || status.contains("\nGroups:\t"
            + bundle.gid() + "\n"), status);
        assertTrue(status.contains("\nCapEff:\t0000000000000000"), status);
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/environ")).contains("HM_ACCESS_TOKEN_ID="
            + Integer.toUnsignedString(bundle.accessTokenId())));
        assertEquals(List.of("EntryAbility onCreate first", "EntryAbility onForeground"), events(bundle));

        assertEquals(pid, ams.startAbility(Want.of("com.example.alpha", "SecondAbility")), "one process per bundle");
        assertEquals(pid, ams.startAbility(Want.builder().bundleName("com.example.alpha").abilityName("EntryAbility")
            .parameter("note", "again").build()));
        assertEquals(List.of("EntryAbility onCreate first", "EntryAbility onForeground", "EntryAbility onBackground",
            "SecondAbility onCreate ", "SecondAbility onForeground", "SecondAbility onBackground",
            "EntryAbility onNewWant again", "EntryAbility onForeground"), events(bundle));
        final JsonNode dump = dump();
        assertEquals("com.example.alpha/EntryAbility", dump.get("focused").asText());
        assertEquals(pid, dump.get("processes").get(0).get("pid").asInt());
        assertEquals("ATTACHED", dump.get("processes").get(0).get("state").asText());
        assertEquals("EntryAbility", foundation.abilities().focusedAbilityOf(bundle.uid()));
    }

    @Test
    void refusalsCarryOpenHarmonysCodes() throws Exception
    {
        install("com.example.alpha");
        final ServiceException noBundle = assertThrows(ServiceException.class,
            () -> ams.startAbility(Want.of("com.example.none", "EntryAbility")));
        assertEquals(AbilityErrors.RESOLVE_FAILED, noBundle.code());
        assertEquals("bundle com.example.none is not installed", noBundle.getMessage());
        final ServiceException noAbility = assertThrows(ServiceException.class,
            () -> ams.startAbility(Want.of("com.example.alpha", "Nope")));
        assertEquals(AbilityErrors.RESOLVE_FAILED, noAbility.code());
        final ServiceException throwing = assertThrows(ServiceException.class,
            () -> ams.startAbility(Want.of("com.example.alpha", "ThrowingAbility")));
        assertEquals(AbilityErrors.INNER, throwing.code());
        assertTrue(throwing.getMessage().contains("thrown on purpose by ThrowingAbility"), throwing.getMessage());
        // the process survives its ability's failure
        final int pid = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        assertTrue(Files.exists(Path.of("/proc/" + pid)));
    }

    @Test
    void aKilledProcessIsForgottenAtOnceAndTheNextStartIsFresh() throws Exception
    {
        final BundleRecord bundle = install("com.example.alpha");
        final int first = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        Posix.kill(first, 9);
        awaitGone(first);
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (0 != dump().get("processes").size() && System.nanoTime() < deadline)
        {
            Thread.sleep(2);
        }
        assertEquals(0, dump().get("processes").size(), "the record is cleaned");
        assertTrue(dump().get("focused").isNull());
        final int second = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        assertNotEquals(first, second);
        assertEquals(2, events(bundle).stream().filter(line -> line.equals("EntryAbility onCreate ")).count());

        assertTrue(ams.forceStop("com.example.alpha"));
        awaitGone(second);
        assertEquals(0, dump().get("processes").size());
        assertEquals(false, ams.forceStop("com.example.alpha"));
    }

    @Test
    void uninstallAndUpdateStopTheProcess() throws Exception
    {
        install("com.example.alpha");
        final int pid = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        foundation.bundles().install(TestBundles.folder(scratch.resolve("src/v2"),
            TestBundles.manifest("com.example.alpha", 2), true));
        awaitGone(pid);
        final int updated = ams.startAbility(Want.of("com.example.alpha", "EntryAbility"));
        foundation.bundles().uninstall("com.example.alpha");
        awaitGone(updated);
        assertEquals(0, dump().get("processes").size());
    }

    @Test
    void onlyProcessesTheManagerStartedMayAttach()
    {
        final ServiceException refused = assertThrows(ServiceException.class, () -> foundation.abilities().attach(
            (int)ProcessHandle.current().pid(), 0, new io.harmonia.rpc.RemoteObject("x")));
        assertEquals(201, refused.code());
    }
}
