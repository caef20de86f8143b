package io.harmonia.bench.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The physical floor of a cross-process round trip: two processes ping-pong one counter in one cache line of a
 * shared mapping, each spinning until the other's value arrives. A round trip is two cache-line transfers between
 * the cores and nothing else (no record, no header, no zeroing, no wake-up check), so no shared-memory transport
 * can beat it on this machine; the round-trip benchmark reports the ring transports as a ratio to it. The counter
 * is written with release and read with acquire, as the rings publish their records.
 *
 * <p>Protocol: the pinger stores an odd value n and waits for n + 1; the echo waits for n and stores n + 1; a
 * negative value tells the echo to stop.
 */
final class CacheLine
{
    /** Bytes mapped: one page (the counter sits at offset 0, alone in its cache line). */
    static final int LENGTH = 4096;
    private static final VarHandle COUNTER = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment line;
    private long next = 1;

    private CacheLine(final MemorySegment line)
    {
        this.line = line;
    }

    /** Creates the file both processes map: a zeroed page in /dev/shm. */
    static Path createFile() throws IOException
    {
        final Path file = Files.createTempFile(Path.of("/dev/shm"), "harmonia-bench-cacheline-", ".line");
        Files.write(file, new byte[LENGTH]);
        return file;
    }

    /** Maps the file; the arena owns the mapping. */
    static CacheLine map(final Path file, final Arena arena) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return new CacheLine(channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH, arena));
        }
    }

    /** One round trip from the pinger's side. */
    void ping()
    {
        final long sent = next;
        COUNTER.setRelease(line, 0L, sent);
        while ((long)COUNTER.getAcquire(line, 0L) != sent + 1)
        {
            // spin: the floor has no pause either side
        }
        next = sent + 2;
    }

    /** The echo's side: answers every ping until told to stop. */
    void echoUntilStopped()
    {
        long expected = 1;
        while (true)
        {
            final long seen = (long)COUNTER.getAcquire(line, 0L);
            if (seen == expected)
            {
                COUNTER.setRelease(line, 0L, expected + 1);
                expected += 2;
            }
            else if (seen < 0)
            {
                return;
            }
        }
    }

    /** Tells the echo to stop. */
    void stop()
    {
        COUNTER.setRelease(line, 0L, -1L);
    }
}
