package io.harmonia.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;

/**
 * The access-token table: written by the real daemon for the apps it starts and read back; and what the reader
 * refuses to trust, shown on hand-made tables (root only: the cases change owners).
 */
class AccessTokenTableTest
{
    private static final int NOBODY = 65534;
    private static final int SELF = (int)ProcessHandle.current().pid();

    private Path directory;

    @BeforeEach
    void needRoot() throws IOException
    {
        Assumptions.assumeTrue(0 == Posix.euid(),
            "SKIPPED: the token-table tests change file owners and run the daemon, which need root (euid "
                + Posix.euid() + ")");
        directory = Files.createTempDirectory("harmonia-tokens-");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeTable() throws IOException
    {
        if (null == directory)
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path path : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    private Path entry(final int pid, final String content) throws IOException
    {
        final Path file = directory.resolve(Integer.toString(pid));
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static long ownStartTime() throws IOException
    {
        return AccessTokenTable.startTime(SELF);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReadBackTheTokenTheDaemonStartedAnAppWith(final boolean cold) throws Exception
    {
        try (AppSpawnDaemon daemon = AppSpawnDaemon.start(); SpawnClient client = daemon.connect())
        {
            final int token = 0xCAFE1234; // above Integer.MAX_VALUE as an unsigned id
            final int pid = client.spawn(SpawnRequest.builder()
                .processName("java.token." + (cold ? "cold" : "warm"))
                .soPath(NativeExecutables.locate(NativeExecutables.EXAMPLE_APP).toString())
                .ids(NOBODY, NOBODY)
                .accessTokenId(token)
                .coldStart(cold)
                .build());
            final AccessTokenTable table = daemon.tokenTable();
            assertEquals(OptionalLong.of(0xCAFE1234L), table.lookup(pid));
            assertEquals(OptionalLong.empty(), table.lookup(SELF), "not an app of the daemon");
            assertTrue(client.terminate(pid));
            final Path file = daemon.tokenDirectory().resolve(Integer.toString(pid));
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.exists(file) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertFalse(Files.exists(file), "the entry goes when the app is reaped: " + daemon.log());
            assertEquals(OptionalLong.empty(), table.lookup(pid));
        }
    }

    @Test
    void shouldTrustAnEntryOnlyWithTheLiveStartTime() throws IOException
    {
        final AccessTokenTable table = AccessTokenTable.of(directory);
        entry(SELF, "7 " + ownStartTime() + "\n");
        assertEquals(OptionalLong.of(7), table.lookup(SELF));
        entry(SELF, "7 " + (ownStartTime() + 1) + "\n");
        assertEquals(OptionalLong.empty(), table.lookup(SELF), "a reused pid");
        entry(0x3FFFFFF0, "7 0\n");
        assertEquals(OptionalLong.empty(), table.lookup(0x3FFFFFF0), "a process that is gone");
        assertEquals(OptionalLong.empty(), table.lookup(0));
        assertEquals(OptionalLong.empty(), table.lookup(-1));
    }

    @Test
    void shouldRefuseEntriesThatAreNotTheDaemons() throws IOException
    {
        final AccessTokenTable table = AccessTokenTable.of(directory);
        final Path file = entry(SELF, "7 " + ownStartTime() + "\n");
        assertEquals(OptionalLong.of(7), table.lookup(SELF));

        Files.setAttribute(file, "unix:uid", NOBODY);
        assertEquals(OptionalLong.empty(), table.lookup(SELF), "a file of another uid");
        assertEquals(OptionalLong.of(7), new AccessTokenTable(directory, NOBODY).lookup(SELF),
            "unless that uid is the daemon's");
        Files.setAttribute(file, "unix:uid", 0);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(OptionalLong.empty(), table.lookup(SELF), "a group-writable file");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(OptionalLong.empty(), table.lookup(SELF), "a world-writable directory");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

        Files.setAttribute(directory, "unix:uid", NOBODY);
        assertEquals(OptionalLong.empty(), table.lookup(SELF), "a directory of another uid");
        Files.setAttribute(directory, "unix:uid", 0);

        Files.delete(file);
        final Path target = Files.writeString(directory.resolve("elsewhere"), "7 " + ownStartTime() + "\n");
        Files.createSymbolicLink(file, target);
        assertEquals(OptionalLong.empty(), table.lookup(SELF), "a symbolic link");
        Files.delete(file);

        entry(SELF, "7 " + ownStartTime() + "\n");
        assertEquals(OptionalLong.of(7), table.lookup(SELF), "trusted again once it is the daemon's");
    }

    @Test
    void shouldReadNothingFromMalformedEntries() throws IOException
    {
        final AccessTokenTable table = AccessTokenTable.of(directory);
        final long start = ownStartTime();
        for (final String content : new String[] {"", "7", "7 " + start, "7  " + start + "\n", "-7 " + start + "\n",
            "4294967296 " + start + "\n", "7 " + start + "\nextra", "0x7 " + start + "\n", " 7 " + start + "\n",
            "7 " + start + " 9\n", "x".repeat(100)})
        {
            entry(SELF, content);
            assertEquals(OptionalLong.empty(), table.lookup(SELF), "'" + content + "'");
        }
        entry(SELF, "4294967295 " + start + "\n");
        assertEquals(OptionalLong.of(4294967295L), table.lookup(SELF));
        entry(SELF, "0 " + start + "\n");
        assertEquals(OptionalLong.of(0), table.lookup(SELF), "an app started without a token");
    }

    @Test
    void shouldFindTheSystemTableFromThePropertyOrTheDefault()
    {
        final String before = System.getProperty(AccessTokenTable.DIRECTORY_PROPERTY);
        try
        {
            System.clearProperty(AccessTokenTable.DIRECTORY_PROPERTY);
            assertEquals(Path.of("/run/harmonia/tokens"), AccessTokenTable.system().directory());
            System.setProperty(AccessTokenTable.DIRECTORY_PROPERTY, directory.toString());
            assertEquals(directory, AccessTokenTable.system().directory());
        }
        finally
        {
            if (null == before)
            {
                System.clearProperty(AccessTokenTable.DIRECTORY_PROPERTY);
            }
            else
            {
                System.setProperty(AccessTokenTable.DIRECTORY_PROPERTY, before);
            }
        }
    }
}
