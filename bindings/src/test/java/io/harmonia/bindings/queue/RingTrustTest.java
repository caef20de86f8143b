package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trust model of docs/architecture.md section 3.2 for the Java ends, one rule per case, with the peer's writes
 * made by hand at exact values (as native/tests/queue/test_ring_trust.c does for C): every violation is a
 * {@link RegionException} with EPROTO naming the field, its value and the limit; nothing is read or written
 * outside the ring.
 */
class RingTrustTest
{
    private static final int CAPACITY = 1024;
    private static final int DEAD_PID = 0x7fff_fff0;

    private static SharedRegion region(final RingKind kind)
    {
        return SharedRegion.create("java-trust", new RingSpec(CAPACITY, kind));
    }

    private static long data(final SharedRegion region)
    {
        return region.ringOffset(0) + RegionLayout.RING_CONTROL_LENGTH;
    }

    /** What the peer writes: a record header at a byte index of the ring. */
    private static void putHeader(final SharedRegion region, final int index, final int length, final int type)
    {
        region.segment().set(ValueLayout.JAVA_LONG, data(region) + index, RegionLayout.header(length, type));
    }

    private static void putPosition(final SharedRegion region, final int field, final long position)
    {
        region.segment().set(ValueLayout.JAVA_LONG, region.ringOffset(0) + field, position);
    }

    private static void assertSays(final RegionException refused, final String part)
    {
        assertEquals(RegionException.PROTOCOL_VIOLATION, refused.errno(), refused.getMessage());
        assertTrue(refused.getMessage().contains(part), "\"" + refused.getMessage() + "\" says \"" + part + "\"");
    }

    @Test
    void theHeaderIsNotReadAgainAfterValidation()
    {
        try (SharedRegion region = region(RingKind.MANY_TO_ONE))
        {
            final MemorySegment header = region.segment();
            header.asSlice(RegionLayout.RING_COUNT_OFFSET, 4).fill((byte)0xff);
            header.asSlice(RegionLayout.RINGS_OFFSET, RegionLayout.RING_DESCRIPTOR_LENGTH).fill((byte)0x7f);
            assertEquals(1, region.ringCount());
            assertEquals(CAPACITY, region.ringCapacity(0));
            assertEquals(RingKind.MANY_TO_ONE, region.ringKind(0));
            try (RingConsumer consumer = region.consumer(0))
            {
                assertEquals(0, consumer.read((type, buffer, offset, length) -> { }, 1));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ONE_TO_ONE, 4, 1, record at position 16: length=4 must be 8..1008",
        "MANY_TO_ONE, 1009, 1, record at position 16: length=1009 must be 8..1008",
        "MANY_TO_ONE, 2147483647, 1, length=2147483647 must be 8..1008",
        "ONE_TO_ONE, 16, 0, record at position 16: type=0 must be >= 1 (a message) or -1 (padding)",
        "MANY_TO_ONE, 16, -2, type=-2 must be >= 1",
        "MANY_TO_ONE, 16, -2147483648, type=-2147483648 must be >= 1",
    })
    void committedRecordsAreBounded(final RingKind kind, final int length, final int type, final String says)
    {
        try (SharedRegion region = region(kind); RingConsumer consumer = region.consumer(0))
        {
            putHeader(region, 0, 16, 1);
            putHeader(region, 16, length, type);
            putPosition(region, RegionLayout.TAIL_OFFSET, 64);
            final List<Integer> lengths = new ArrayList<>();
            final MessageHandler handler = (t, buffer, offset, l) -> lengths.add(l);
            assertEquals(1, consumer.read(handler, 8), "the good record first");
            assertSays(assertThrows(RegionException.class, () -> consumer.read(handler, 8)), says);
            assertSays(assertThrows(RegionException.class, () -> consumer.read(handler, 8)), says);
            assertEquals(List.of(8), lengths);
            assertTrue(consumer.violation().contains(says), consumer.violation());
        }
    }

    @Test
    void consumerOpenRefusesAHeadThatIsNoPosition()
    {
        try (SharedRegion region = region(RingKind.MANY_TO_ONE))
        {
            for (final long head : new long[] {3, -8, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62})
            {
                putPosition(region, RegionLayout.HEAD_OFFSET, head);
                assertSays(assertThrows(RegionException.class, () -> region.consumer(0)), "head=" + head);
            }
            putPosition(region, RegionLayout.HEAD_OFFSET, 64);
            region.consumer(0).close(); // the refusals released the consumer slot
        }
    }

    @Test
    void claimsRefuseATailThatIsNoPosition()
    {
        try (SharedRegion region = region(RingKind.MANY_TO_ONE); RingProducer producer = region.producer(0))
        {
            putPosition(region, RegionLayout.TAIL_OFFSET, 5);
            assertSays(assertThrows(RegionException.class, () -> producer.tryClaim(8)), "ring 0: tail=5 must be");
            final MemorySegment ring = region.segment().asSlice(data(region), CAPACITY);
            assertEquals(-1, ring.mismatch(MemorySegment.ofArray(new byte[CAPACITY])), "nothing written");
        }
        try (SharedRegion region = region(RingKind.ONE_TO_ONE))
        {
            putPosition(region, RegionLayout.TAIL_OFFSET, Long.MIN_VALUE);
            assertSays(assertThrows(RegionException.class, () -> region.producer(0)), "tail=" + Long.MIN_VALUE);
            putPosition(region, RegionLayout.TAIL_OFFSET, 0);
            region.producer(0).close(); // the refusal released the producer slot
        }
    }

    @Test
    void aCommitChecksTheClaimedHeaderItReadsBack()
    {
        try (SharedRegion region = region(RingKind.MANY_TO_ONE); RingProducer producer = region.producer(0))
        {
            final long claim = producer.tryClaim(16);
            putHeader(region, 0, -CAPACITY - 8, 1);
            assertSays(assertThrows(RegionException.class, () -> producer.commit(claim, 1, 16)),
                "the claimed header at offset " + claim + " was overwritten: length=-1032");
            putHeader(region, 0, Integer.MIN_VALUE, 1);
            assertSays(assertThrows(RegionException.class, () -> producer.abort(claim)), "length=-2147483648");
            putHeader(region, 0, 24, 1);
            assertThrows(IllegalStateException.class, () -> producer.commit(claim, 1, 16));
        }
    }

    @Test
    void freeSpaceTakesAnyHead()
    {
        try (SharedRegion region = region(RingKind.MANY_TO_ONE); RingProducer producer = region.producer(0))
        {
            putPosition(region, RegionLayout.TAIL_OFFSET, 4096);
            putPosition(region, RegionLayout.HEAD_OFFSET, 4096 - 5L * CAPACITY);
            assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(8), "a head far behind: full");
            putPosition(region, RegionLayout.HEAD_OFFSET, Long.MAX_VALUE);
            final long claim = producer.tryClaim(8);
            assertTrue(claim >= data(region) && claim + 8 <= data(region) + CAPACITY, "inside the ring: " + claim);
        }
    }

    @Test
    void aDeadClaimMustHaveAClaimLength() throws InterruptedException
    {
        for (final int length : new int[] {Integer.MIN_VALUE, -4, -CAPACITY - 8})
        {
            try (SharedRegion region = region(RingKind.MANY_TO_ONE); RingConsumer consumer = region.consumer(0))
            {
                putHeader(region, 0, length, DEAD_PID);
                putPosition(region, RegionLayout.TAIL_OFFSET, 64);
                RegionException refused = null;
                for (int poll = 0; poll < 200_000 && null == refused; poll++)
                {
                    try
                    {
                        assertEquals(0, consumer.read((type, buffer, offset, l) -> { }, 1));
                    }
                    catch (final RegionException broken)
                    {
                        refused = broken;
                    }
                    if (0 == poll % 1024)
                    {
                        Thread.sleep(0, 200_000);
                    }
                }
                assertTrue(null != refused, "length " + length + " refused");
                assertSays(refused, "claimed record at position 0: length=" + length);
            }
        }
    }
}
