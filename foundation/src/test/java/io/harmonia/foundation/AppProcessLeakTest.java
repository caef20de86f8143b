package io.harmonia.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.Want;
import io.harmonia.bundle.BundleManagerClient;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * 200 app processes started and force-stopped one after another through a foundation process: each runs as its
 * bundle's uid and is reaped, and foundation ends with the fds and threads it had after the first few starts;
 * appspawn ends with no child; as root.
 */
class AppProcessLeakTest
{
    private static final int STARTS = 200;
    private static final int WARM_UP = 10;

    @Test
    void twoHundredStartsLeakNothing() throws Exception
    {
        FoundationFixture.requireRoot("app processes");
        FoundationFixture.appClassPath();
        final Path scratch = FoundationFixture.scratch("harmonia-leak-");
        final String instance = FoundationFixture.instance("leak");
        try (AppSpawnDaemon appspawn = AppSpawnDaemon.start();
            FoundationProcess foundation = FoundationProcess.start(instance, scratch.resolve("state"),
                appspawn.socket(), true))
        {
            final BundleManagerClient bms = BundleManagerClient.connect(instance);
            final int uid = bms.install(TestBundles.folder(scratch.resolve("src"),
                TestBundles.manifest("com.example.leak", 1), true).toString()).uid();
            final AbilityManagerClient ams = AbilityManagerClient.connect(instance);
            long fds = 0;
            long threads = 0;
            int previous = 0;
            for (int i = 0; i < STARTS; i++)
            {
                final int pid;
                try
                {
                    pid = ams.startAbility(Want.of("com.example.leak", "EntryAbility"));
                }
                catch (final RuntimeException failed)
                {
                    throw new AssertionError("start " + i + " failed: " + failed.getMessage() + "\nfoundation:\n"
                        + tail(foundation.log()) + "\nappspawn:\n" + tail(appspawn.log()) + "\napps:\n"
                        + tail(appspawn.appOutput()), failed);
                }
                assertTrue(pid != previous, "start " + i + " reused pid " + pid);
                assertTrue(Files.readString(Path.of("/proc/" + pid + "/status")).contains("\nUid:\t" + uid + "\t"),
                    "start " + i);
                assertTrue(ams.forceStop("com.example.leak"), "start " + i);
                previous = pid;
                if (WARM_UP == i)
                {
                    fds = count(foundation.pid(), "fd");
                    threads = count(foundation.pid(), "task");
                }
            }
            awaitNoChildren(appspawn);
            // Threads of the RPC pool and the pidfd watches end on their own; allow the few in flight.
            final long fdsAfter = count(foundation.pid(), "fd");
            final long threadsAfter = count(foundation.pid(), "task");
            System.out.println("foundation after " + WARM_UP + " starts: " + fds + " fds, " + threads
                + " threads; after " + STARTS + ": " + fdsAfter + " fds, " + threadsAfter + " threads");
            assertTrue(fdsAfter <= fds + 4, "fds grew from " + fds + " to " + fdsAfter);
            assertTrue(threadsAfter <= threads + 4, "threads grew from " + threads + " to " + threadsAfter);
        }
        finally
        {
            FoundationFixture.remove(scratch);
        }
    }

    private static String tail(final String text)
    {
        return text.substring(Math.max(0, text.length() - 3000));
    }

    private static long count(final long pid, final String folder) throws IOException
    {
        try (var entries = Files.list(Path.of("/proc/" + pid + "/" + folder)))
        {
            return entries.count();
        }
    }

    private static void awaitNoChildren(final AppSpawnDaemon appspawn) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        List<?> children = appspawn.connect().dump();
        while (!children.isEmpty() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
            children = appspawn.connect().dump();
        }
        assertEquals(List.of(), children, "appspawn still has children (not reaped)");
    }
}
