package io.harmonia.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;

/** The Java client against the real daemon (root only: the daemon changes uids and capabilities). */
class SpawnClientTest
{
    private static AppSpawnDaemon daemon;

    @BeforeAll
    static void startDaemon()
    {
        Assumptions.assumeTrue(0 == Posix.euid(),
            "SKIPPED: appspawn client tests need root to run the daemon (euid " + Posix.euid() + ")");
        daemon = AppSpawnDaemon.start();
    }

    @AfterAll
    static void stopDaemon()
    {
        if (null != daemon)
        {
            daemon.close();
        }
    }

    private static SpawnRequest.Builder exampleApp(final String name)
    {
        return SpawnRequest.builder()
            .processName(name)
            .bundleName("com.example")
            .soPath(NativeExecutables.locate(NativeExecutables.EXAMPLE_APP).toString())
            .ids(65534, 65534)
            .gids(65534, 4242)
            .capabilities(Capabilities.NET_BIND_SERVICE)
            .accessTokenId(7);
    }

    static Map<String, String> status(final int pid) throws IOException
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            final int colon = line.indexOf(':');
            fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return fields;
    }

    private static void awaitGone(final SpawnClient client, final int pid) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline
            && (Files.exists(Path.of("/proc/" + pid)) || client.dump().stream().anyMatch(c -> c.pid() == pid)))
        {
            Thread.sleep(5);
        }
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "pid " + pid + " is still there: " + daemon.log());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldStartAnAppWithItsIdentity(final boolean cold) throws Exception
    {
        try (SpawnClient client = daemon.connect())
        {
            final String name = "java.example." + (cold ? "cold" : "warm");
            final int pid = client.spawn(exampleApp(name).coldStart(cold).build());
            final Map<String, String> status = status(pid);
            assertEquals(name.substring(0, 15), status.get("Name"), "the kernel keeps 15 bytes");
            assertEquals("65534\t65534\t65534\t65534", status.get("Uid"));
            assertEquals("65534\t65534\t65534\t65534", status.get("Gid"));
            assertEquals("4242 65534", status.get("Groups"));
            for (final String set : List.of("CapInh", "CapPrm", "CapEff", "CapAmb", "CapBnd"))
            {
                assertEquals("0000000000000400", status.get(set), set);
            }
            assertEquals("1", status.get("NoNewPrivs"));
            final List<ChildInfo> children = client.dump();
            final ChildInfo info = children.stream().filter(c -> c.pid() == pid).findFirst().orElseThrow();
            assertEquals(65534, info.uid());
            assertEquals(cold, info.coldStart());
            assertTrue(info.ready());
            assertEquals(name, info.name());
            assertTrue(Math.abs(System.currentTimeMillis() - info.startTimeMs()) < 60_000);
            // "Ready" means the entry is about to be called; the app prints its line a moment later, so wait for
            // it before terminating (a loaded machine once let the kill land first).
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!daemon.appOutput().contains("running as pid " + pid) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertTrue(daemon.appOutput().contains(
                "example app '" + name + "' running as pid " + pid + ", uid 65534, access token 7"), daemon.appOutput());
            assertTrue(client.terminate(pid));
            awaitGone(client, pid);
            assertFalse(client.terminate(pid), "no longer the daemon's child");
        }
    }

    @Test
    void shouldNameTheFailedStep()
    {
        try (SpawnClient client = daemon.connect())
        {
            final SpawnException missing = assertThrows(SpawnException.class,
                () -> client.spawn(exampleApp("java.missing").soPath("/nonexistent/libapp.so").build()));
            assertEquals(SpawnStep.LOAD, missing.step());
            assertEquals(2, missing.detail()); // ENOENT
            assertEquals("step load failed: ENOENT 2 (No such file or directory): uid 65534 cannot open "
                + "/nonexistent/libapp.so", missing.getMessage());

            final String noEntry = NativeExecutables.locate("libharmonia.so").toString(); // a library without HmAppMain
            final SpawnException entry = assertThrows(SpawnException.class,
                () -> client.spawn(exampleApp("java.no.entry").soPath(noEntry).coldStart(true).build()));
            assertEquals(SpawnStep.ENTRY, entry.step());

            final SpawnException refused = assertThrows(SpawnException.class,
                () -> client.spawn(exampleApp("java.refused").capabilities(41).build()));
            assertEquals(SpawnStep.REQUEST, refused.step());
            assertEquals(RequestField.CAPABILITIES, refused.field());

            final SpawnException pid = assertThrows(SpawnException.class, () -> client.terminate(0));
            assertEquals(RequestField.PID, pid.field());
            assertTrue(client.dump().isEmpty(), "failed spawns leave no entry");
        }
    }

    /**
     * A child starts from a clean slate whatever the daemon's state: this daemon was started by a JVM, which raised
     * its own soft RLIMIT_NOFILE (and so the daemon's) to the hard limit, and holds Maven's environment.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldStartAppsFromACleanSlate(final boolean cold) throws Exception
    {
        final Path dataDir = Files.createTempDirectory("harmonia-data-");
        try (SpawnClient client = daemon.connect())
        {
            Files.setAttribute(dataDir, "unix:uid", 65534);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            final int pid = client.spawn(exampleApp("java.slate").dataDir(dataDir.toString()).coldStart(cold).build());
            final byte[] environ = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
            final List<String> variables = Arrays.stream(new String(environ, StandardCharsets.UTF_8).split("\0"))
                .filter(v -> !v.isEmpty()).toList();
            assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HM_ACCESS_TOKEN_ID=7"), variables);
            assertEquals(dataDir, Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")));
            final Map<String, String> status = status(pid);
            assertEquals("0077", status.get("Umask"));
            assertEquals("0000000000000000", status.get("SigBlk"));
            assertEquals("0000000000000000", status.get("SigIgn"));
            final String files = Files.readAllLines(Path.of("/proc/" + pid + "/limits")).stream()
                .filter(line -> line.startsWith("Max open files")).findFirst().orElseThrow();
            assertEquals("1024", files.split("\\s+")[3], files);
            assertTrue(client.terminate(pid));
            awaitGone(client, pid);
        }
        finally
        {
            Files.delete(dataDir);
        }
    }

    /** A library in a folder the app's uid cannot enter (a checkout in a mode-700 home folder, for one). */
    @Test
    void shouldNameThePathAndTheUidThatCouldNotOpenTheLibrary() throws Exception
    {
        final Path folder = Files.createTempDirectory("harmonia-private-");
        final Path library = folder.resolve("libapp.so");
        try (SpawnClient client = daemon.connect())
        {
            Files.copy(NativeExecutables.locate(NativeExecutables.EXAMPLE_APP), library);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            final SpawnException refused = assertThrows(SpawnException.class,
                () -> client.spawn(exampleApp("java.private").soPath(library.toString()).build()));
            assertEquals(SpawnStep.LOAD, refused.step());
            assertEquals("step load failed: EACCES 13 (Permission denied): uid 65534 cannot open " + library,
                refused.getMessage());
            final long deadline = System.nanoTime() + 5_000_000_000L;
            final String because = folder + " is mode 0700, owner uid 0 gid 0: uid 65534 may not search it";
            while (!daemon.log().contains(because) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertTrue(daemon.log().contains("uid 65534 cannot open " + library + ": " + because), daemon.log());
        }
        finally
        {
            Files.deleteIfExists(library);
            Files.delete(folder);
        }
    }
}
