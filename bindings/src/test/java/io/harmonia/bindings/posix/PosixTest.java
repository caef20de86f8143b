package io.harmonia.bindings.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PosixTest
{
    /** The kernel's own view, from /proc/self/status ("Uid:\treal\teffective\tsaved\tfs"). */
    private static int statusField(final String field, final int column) throws IOException
    {
        final String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith(field + ":"))
            .findFirst()
            .orElseThrow();
        return Integer.parseInt(line.split("\\s+")[column]);
    }

    @Test
    void idsMatchTheKernel() throws IOException
    {
        assertEquals(statusField("Uid", 1), Posix.uid());
        assertEquals(statusField("Uid", 2), Posix.euid());
        assertEquals(statusField("Gid", 1), Posix.gid());
        assertEquals(ProcessHandle.current().pid(), Posix.pid());
    }

    @Test
    void userAndGroupLookupsRoundTrip()
    {
        assertEquals(Optional.of("root"), Posix.userName(0));
        assertEquals(0, Posix.uidOf("root").orElseThrow());
        assertEquals(0, Posix.gidOf(Posix.groupName(0).orElseThrow()).orElseThrow());
        assertTrue(Posix.uidOf("no-such-user-harmonia").isEmpty());
        assertTrue(Posix.groupName(0x7ffffff0).isEmpty());
    }

    @Test
    void spawnedChildExitCodeIsReported()
    {
        final long pid = Posix.spawn(List.of("sh", "-c", "exit 7"));
        final ExitStatus status = Posix.waitpid(pid);
        assertEquals(new ExitStatus(pid, 7, 0), status);
        assertTrue(status.exited());
    }

    @Test
    void killedChildReportsTheSignalAndIsReapedOnce()
    {
        final long pid = Posix.spawn(List.of("sleep", "30"));
        assertTrue(Posix.tryWaitpid(pid).isEmpty(), "a sleeping child has not ended");
        Posix.kill(pid, 9);
        final ExitStatus status = Posix.waitpid(pid);
        assertEquals(9, status.signal());
        assertFalse(status.exited());
        final PosixException again = assertThrows(PosixException.class, () -> Posix.waitpid(pid));
        assertEquals(10, again.errno(), again.getMessage()); // ECHILD: nothing left to reap
    }

    @Test
    void killOfAMissingProcessReportsEsrch()
    {
        final long pid = Posix.spawn(List.of("true"));
        Posix.waitpid(pid);
        final PosixException failure = assertThrows(PosixException.class, () -> Posix.kill(pid, 0));
        assertEquals(3, failure.errno()); // ESRCH
        assertTrue(failure.getMessage().contains("kill(pid=" + pid + ", signal=0)"), failure.getMessage());
    }

    @Test
    void spawnRejectsAnEmptyArgv()
    {
        final IllegalArgumentException failure =
            assertThrows(IllegalArgumentException.class, () -> Posix.spawn(List.of()));
        assertTrue(failure.getMessage().contains("argv.size()=0"));
    }
}
