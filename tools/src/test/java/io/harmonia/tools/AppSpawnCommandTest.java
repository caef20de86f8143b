package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.spawn.AppSpawnDaemon;
import io.harmonia.tools.cli.ExitCode;

class AppSpawnCommandTest
{
    private final CommandRunner harmonia = new CommandRunner();

    private int appspawn(final String... args)
    {
        final String[] line = new String[args.length + 1];
        line[0] = "appspawn";
        System.arraycopy(args, 0, line, 1, args.length);
        return harmonia.run(line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "start -n x -s /x.so -u 1|start|Missing required option: '--gid=GID'",
        "start -s /x.so -u 1 -g 1|start|Missing required option: '--process-name=NAME'",
        "start -n x -s /x.so -u one -g 1|start|Invalid value for option '--uid': 'one' is not an int",
        "start -n x -s x.so -u 1 -g 1|start|soPath=x.so: must be an absolute path",
        "start -n x -s /x.so -u 0 -g 1|start|uid=0: must be 1..2147483647",
        "start -n x -s /x.so -u 1 -g 1 -c CAP_FLY|start|Invalid value for option '--capabilities' (CAP): "
            + "capability CAP_FLY: unknown name (e.g. CAP_NET_BIND_SERVICE)",
        "start -n x -s /x.so -u 1 -g 1 -t 4294967296|start|Invalid value for option '--access-token-id': "
            + "'4294967296' must be a number in 0..4294967295",
        "start -n x -s /x.so -u 1 -g 1 -z 1|start|Unknown options: '-z', '1'",
        "start -n x -s /x.so -u 1 -g 1 -a|start|Missing required parameter for option '--apl' (APL)",
        "terminate|terminate|Missing required parameter: 'PID'",
        "terminate 12 13|terminate|Unmatched argument at index 3: '13'",
        "dump extra|dump|Unmatched argument at index 2: 'extra'",
        "dump --socket|dump|Missing required parameter for option '--socket' (PATH)",
    })
    void shouldRefuseBadUsageWithExit2AndSendNothing(final String line, final String action, final String message)
    {
        assertEquals(ExitCode.USAGE, appspawn(line.split(" ")), harmonia.err());
        assertTrue(harmonia.err().startsWith("harmonia appspawn " + action + ": error: " + message), harmonia.err());
        assertTrue(harmonia.err().contains("Try 'harmonia appspawn " + action + " --help' for more information."),
            harmonia.err());
    }

    @Test
    void shouldReportAMissingDaemonWithExit3()
    {
        assertEquals(ExitCode.UNAVAILABLE, appspawn("dump", "--socket", "/nonexistent/appspawn.sock"));
        assertTrue(harmonia.err().startsWith(
            "harmonia appspawn dump: error: cannot connect to appspawn at /nonexistent/appspawn.sock: "), harmonia.err());
        assertEquals(ExitCode.UNAVAILABLE, appspawn("--socket", "/nonexistent/appspawn.sock", "terminate", "1"));
        assertTrue(harmonia.err().contains("cannot connect to appspawn at /nonexistent/appspawn.sock"),
            harmonia.err());
    }

    @Test
    void shouldStartListAndTerminateThroughTheDaemon() throws Exception
    {
        Assumptions.assumeTrue(0 == Posix.euid(), "SKIPPED: appspawn against a real daemon needs root");
        final String app = NativeExecutables.locate(NativeExecutables.EXAMPLE_APP).toString();
        try (AppSpawnDaemon daemon = AppSpawnDaemon.start())
        {
            final String socket = daemon.socket().toString();
            assertEquals(0, appspawn("start", "-n", "aa.cold.app", "-s", app, "-u", "65534", "-g", "65534", "-G",
                "65534,100", "-c", "net_bind_service,CAP_KILL", "-t", "99", "-C", "--socket", socket),
                harmonia.err());
            final int pid = Integer.parseInt(harmonia.out().strip());
            final String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            assertTrue(status.contains("CapEff:\t0000000000000420"), status);
            assertTrue(status.contains("Groups:\t100 65534"), status);

            assertEquals(0, appspawn("start", "--json", "--process-name", "aa.json.app", "--so-path", app, "--uid",
                "65534", "--gid", "65534", "--socket", socket), harmonia.err());
            final int jsonPid = new ObjectMapper().readTree(harmonia.out()).get("pid").asInt();
            assertTrue(Files.exists(Path.of("/proc/" + jsonPid)), harmonia.out());

            assertEquals(0, appspawn("dump", "--socket", socket));
            assertTrue(harmonia.out().contains(pid + " ") && harmonia.out().contains("cold")
                && harmonia.out().contains("aa.cold.app"), harmonia.out());

            assertEquals(0, appspawn("--socket", socket, "dump", "--json"));
            final JsonNode children = new ObjectMapper().readTree(harmonia.out()).get("children");
            assertEquals(2, children.size(), harmonia.out());
            final JsonNode cold = pid == children.get(0).get("pid").asInt() ? children.get(0) : children.get(1);
            assertEquals(pid, cold.get("pid").asInt(), harmonia.out());
            assertEquals(65534, cold.get("uid").asInt());
            assertTrue(cold.get("coldStart").asBoolean());
            assertEquals("aa.cold.app", cold.get("name").asText());

            assertEquals(ExitCode.FAILED, appspawn("start", "-n", "aa.missing", "-s", "/nonexistent.so", "-u", "65534",
                "-g", "65534", "--socket", socket));
            assertTrue(harmonia.err().startsWith("harmonia appspawn start: error: step load failed: ENOENT 2 (No such "
                + "file or directory): uid 65534 cannot open /nonexistent.so"), harmonia.err());
            final Path unreadable = Files.createTempFile("harmonia-unreadable-", ".so");
            try
            {
                Files.setPosixFilePermissions(unreadable,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                assertEquals(ExitCode.FAILED, appspawn("start", "-n", "aa.unreadable", "-s", unreadable.toString(), "-u",
                    "65534", "-g", "65534", "--socket", socket));
                assertTrue(harmonia.err().startsWith("harmonia appspawn start: error: step load failed: EACCES 13 "
                    + "(Permission denied): uid 65534 cannot open " + unreadable), harmonia.err());
            }
            finally
            {
                Files.delete(unreadable);
            }

            assertEquals(0, appspawn("terminate", "--json", String.valueOf(jsonPid), "--socket", socket));
            assertEquals(jsonPid, new ObjectMapper().readTree(harmonia.out()).get("terminated").asInt());
            assertEquals(0, appspawn("terminate", String.valueOf(pid), "--socket", socket));
            assertEquals("terminated " + pid, harmonia.out().strip());
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(ExitCode.FAILED, appspawn("terminate", String.valueOf(pid), "--socket", socket));
            assertEquals("harmonia appspawn terminate: error: pid " + pid + " is not a child of appspawn",
                harmonia.err().strip());
        }
    }
}
