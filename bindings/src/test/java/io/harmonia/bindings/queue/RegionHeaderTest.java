package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Java process opening a region validates it first: corrupted or mismatched headers are refused, never read. */
class RegionHeaderTest
{
    static Stream<Arguments> corruptions()
    {
        return Stream.of(
            Arguments.of("bad magic",
                (Consumer<MemorySegment>)s -> s.set(ValueLayout.JAVA_INT, 0, 0x1234), 74, "magic="),
            Arguments.of("not initialised", (Consumer<MemorySegment>)s -> s.set(ValueLayout.JAVA_INT, 4, 0), 11,
                "version=0"),
            Arguments.of("next major", (Consumer<MemorySegment>)s -> s.set(ValueLayout.JAVA_INT, 4,
                (RegionLayout.VERSION_MAJOR + 1) << 16), 93, "version=" + (RegionLayout.VERSION_MAJOR + 1) + ".0"),
            Arguments.of("previous major (1.x one-to-one consumers zeroed what they read)",
                (Consumer<MemorySegment>)s -> s.set(ValueLayout.JAVA_INT, 4, (RegionLayout.VERSION_MAJOR - 1) << 16),
                93, "version=" + (RegionLayout.VERSION_MAJOR - 1) + ".0"),
            Arguments.of("flipped capacity bit",
                (Consumer<MemorySegment>)s ->
                    s.set(ValueLayout.JAVA_BYTE, 40, (byte)(s.get(ValueLayout.JAVA_BYTE, 40) ^ 0x10)),
                74, "checksum="),
            Arguments.of("length", (Consumer<MemorySegment>)s -> s.set(ValueLayout.JAVA_LONG, 8, 1L << 20), 74,
                "checksum="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void corruptedHeadersAreRefused(
        final String name, final Consumer<MemorySegment> corrupt, final int errno, final String field)
    {
        try (SharedRegion region = SharedRegion.create("header", new RingSpec(4096, RingKind.MANY_TO_ONE)))
        {
            corrupt.accept(region.segment());
            final RegionException ex =
                assertThrows(RegionException.class, () -> SharedRegion.openPath(region.procPath()));
            assertEquals(errno, ex.errno(), ex.getMessage());
            assertTrue(ex.getMessage().contains(field), ex.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void anIntactRegionOpensAgain(final String name, final Consumer<MemorySegment> ignored)
    {
        try (SharedRegion region = SharedRegion.create("intact", new RingSpec(4096, RingKind.MANY_TO_ONE));
            SharedRegion again = SharedRegion.openPath(region.procPath()))
        {
            assertEquals(region.segment().byteSize(), again.segment().byteSize());
            assertEquals(4096, again.ringCapacity(0));
        }
    }

    @org.junit.jupiter.api.Test
    void aMissingPathIsAClearError()
    {
        final RegionException ex = assertThrows(RegionException.class,
            () -> SharedRegion.openPath("/nonexistent/harmonia-" + ProcessHandle.current().pid()));
        assertEquals(2, ex.errno());
        assertTrue(ex.getMessage().contains("/nonexistent/harmonia-"), ex.getMessage());
    }
}
