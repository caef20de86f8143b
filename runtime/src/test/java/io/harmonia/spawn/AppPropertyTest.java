package io.harmonia.spawn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class AppPropertyTest
{
    /** The same golden vector the C codec test checks (native/tests/spawn/golden). */
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", "."))
        .resolve("../native/tests/spawn/golden/app_property_v2.hex");

    private static byte[] golden() throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (final String line : Files.readAllLines(GOLDEN))
        {
            if (line.startsWith("#") || line.isBlank())
            {
                continue;
            }
            for (final String token : line.trim().split("\\s+"))
            {
                bytes.write(Integer.parseInt(token, 16));
            }
        }
        return bytes.toByteArray();
    }

    /** The request of the golden vector: every field set, a cold start, capabilities 10 and 40, a data directory. */
    static SpawnRequest goldenRequest()
    {
        return SpawnRequest.builder()
            .processName("com.example.demo")
            .bundleName("com.example")
            .soPath("/system/lib/libdemo.so")
            .ids(10001, 10002)
            .gids(10002, 1008, 3003)
            .accessTokenId(0x12345678)
            .capabilities(10, 40)
            .apl("system_core")
            .dataDir("/data/app/com.example")
            .coldStart(true)
            .build();
    }

    @Test
    void shouldWriteTheGoldenBytes() throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(AppProperty.SIZE);
            segment.fill((byte)0x5A); // every byte must be written, padding included
            assertEquals(AppProperty.SIZE, AppProperty.encode(goldenRequest(), segment));
            assertArrayEquals(golden(), segment.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void shouldWriteAtAnyAlignment() throws IOException
    {
        final byte[] expected = golden();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment area = arena.allocate(AppProperty.SIZE + 8);
            for (int offset = 0; offset < 8; offset++)
            {
                final MemorySegment slice = area.asSlice(offset, AppProperty.SIZE);
                AppProperty.encode(goldenRequest(), slice);
                assertArrayEquals(expected, slice.toArray(ValueLayout.JAVA_BYTE), "offset " + offset);
            }
        }
    }

    @Test
    void shouldWriteHeadersOfOtherMessages()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(AppProperty.HEADER_SIZE);
            AppProperty.writeHeader(segment, AppProperty.TYPE_DUMP, AppProperty.HEADER_SIZE);
            assertArrayEquals(new byte[] {'H', 'M', 'S', 'P', 2, 0, 4, 0, 16, 0, 0, 0, 0, 0, 0, 0},
                segment.toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
