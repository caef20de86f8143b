package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.spawn.AppSpawnDaemon;

class AaCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int aa(final String... args)
    {
        out.reset();
        err.reset();
        return AaCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|missing the action",
        "fly|unknown action 'fly'",
        "start -n x -s /x.so -u 1|-u <uid> and -g <gid> are required",
        "start -s /x.so -u 1 -g 1|processName is required",
        "start -n x -s /x.so -u one -g 1|-u 'one': not a number",
        "start -n x -s x.so -u 1 -g 1|soPath=x.so: must be an absolute path",
        "start -n x -s /x.so -u 0 -g 1|uid=0: must be 1..2147483647",
        "start -n x -s /x.so -u 1 -g 1 -c CAP_FLY|capability CAP_FLY: unknown name",
        "start -n x -s /x.so -u 1 -g 1 -t 4294967296|-t '4294967296': must be a number in 0..4294967295",
        "start -n x -s /x.so -u 1 -g 1 -z 1|unknown option '-z'",
        "start -n x -s /x.so -u 1 -g 1 -a|-a needs a value",
        "terminate|terminate takes exactly one pid",
        "dump extra|dump takes no arguments",
        "dump --socket|--socket needs a path",
    })
    void shouldRefuseBadUsageWithExit2(final String line, final String message)
    {
        assertEquals(2, aa(line.isEmpty() ? new String[0] : line.split(" ")));
        assertTrue(err().contains("aa: " + message), err());
        assertTrue(err().contains("usage: aa start"), err());
    }

    @Test
    void shouldReportAMissingDaemonWithExit1()
    {
        assertEquals(1, aa("dump", "--socket", "/nonexistent/appspawn.sock"));
        assertTrue(err().contains("cannot connect to appspawn at /nonexistent/appspawn.sock"), err());
    }

    @Test
    void shouldStartListAndTerminateThroughTheDaemon() throws Exception
    {
        Assumptions.assumeTrue(0 == Posix.euid(), "SKIPPED: aa against a real appspawn needs root");
        final String app = NativeExecutables.locate(NativeExecutables.EXAMPLE_APP).toString();
        try (AppSpawnDaemon daemon = AppSpawnDaemon.start())
        {
            final String socket = daemon.socket().toString();
            assertEquals(0, aa("start", "-n", "aa.cold.app", "-s", app, "-u", "65534", "-g", "65534", "-G",
                "65534,100", "-c", "net_bind_service,CAP_KILL", "-t", "99", "-C", "--socket", socket), err());
            final int pid = Integer.parseInt(out().strip());
            final String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            assertTrue(status.contains("CapEff:\t0000000000000420"), status);
            assertTrue(status.contains("Groups:\t100 65534"), status);

            assertEquals(0, aa("dump", "--socket", socket));
            assertTrue(out().contains(pid + " ") && out().contains("cold") && out().contains("aa.cold.app"), out());

            assertEquals(1, aa("start", "-n", "aa.missing", "-s", "/nonexistent.so", "-u", "65534", "-g", "65534",
                "--socket", socket));
            assertTrue(err().contains("aa: step load failed: ENOENT 2 (No such file or directory): uid 65534 cannot "
                + "open /nonexistent.so"), err());
            final Path unreadable = Files.createTempFile("harmonia-unreadable-", ".so");
            try
            {
                Files.setPosixFilePermissions(unreadable,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                assertEquals(1, aa("start", "-n", "aa.unreadable", "-s", unreadable.toString(), "-u", "65534", "-g",
                    "65534", "--socket", socket));
                assertTrue(err().contains("aa: step load failed: EACCES 13 (Permission denied): uid 65534 cannot open "
                    + unreadable), err());
            }
            finally
            {
                Files.delete(unreadable);
            }

            assertEquals(0, aa("terminate", String.valueOf(pid), "--socket", socket));
            assertEquals("terminated " + pid, out().strip());
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(1, aa("terminate", String.valueOf(pid), "--socket", socket));
            assertTrue(err().contains("is not a child of appspawn"), err());
        }
    }
}
