package io.harmonia.bindings.queue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring boundary table (the same cases as native/tests/queue/test_ring.c), on the Java flyweights. */
class RingTest
{
    private record Message(int type, int length, byte first)
    {
    }

    private static List<Message> drain(final RingConsumer consumer)
    {
        final List<Message> messages = new ArrayList<>();
        // Bounded: a broken ring could deliver stale records for ever; the comparison then shows them.
        while (messages.size() < 200 && consumer.read((type, buffer, offset, length) ->
            messages.add(new Message(type, length, 0 == length ? 0 : buffer.get(ValueLayout.JAVA_BYTE, offset))),
            64) > 0)
        {
            // keep reading
        }
        return messages;
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1000, 512, 1536, Integer.MAX_VALUE, -1 })
    void badCapacitiesAreRefusedWithTheFieldNamed(final int capacity)
    {
        final RegionException ex = assertThrows(RegionException.class,
            () -> SharedRegion.create("bad", new RingSpec(capacity, RingKind.ONE_TO_ONE)));
        assertEquals(22, ex.errno());
        assertTrue(ex.getMessage().contains("rings[0].capacity=" + Integer.toUnsignedString(capacity)),
            ex.getMessage());
    }

    @Test
    void ringCountIsBounded()
    {
        final RingSpec[] nine = new RingSpec[9];
        java.util.Arrays.fill(nine, new RingSpec(1024, RingKind.ONE_TO_ONE));
        final RegionException ex = assertThrows(RegionException.class, () -> SharedRegion.create("nine", nine));
        assertTrue(ex.getMessage().contains("ring_count=9"), ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void messagesArriveInOrderAcrossTheWrap(final RingKind kind)
    {
        try (SharedRegion region = SharedRegion.create("wrap", new RingSpec(1024, kind));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(100);
            byte sent = 0;
            byte read = 0;
            for (int round = 0; round < 50; round++)
            {
                for (int i = 0; i < 5; i++)
                {
                    payload.fill(sent++);
                    assertTrue(producer.offer(3, payload, 0, 100));
                }
                final List<Message> messages = drain(consumer);
                assertEquals(5, messages.size());
                for (final Message message : messages)
                {
                    assertEquals(new Message(3, 100, read++), message);
                }
            }
        }
    }

    @Test
    void aFullRingIsBackPressureNotADrop()
    {
        try (SharedRegion region = SharedRegion.create("full", new RingSpec(1024, RingKind.MANY_TO_ONE));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(56);
            int accepted = 0;
            while (producer.offer(1, payload, 0, 56))
            {
                accepted++;
            }
            assertEquals(16, accepted);
            final long start = System.nanoTime();
            assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.claim(56, 20_000_000L));
            assertTrue(System.nanoTime() - start >= 20_000_000L);
            assertEquals(4, consumer.read((type, buffer, offset, length) -> { }, 4));
            assertTrue(producer.offer(1, payload, 0, 56));
            assertEquals(13, drain(consumer).size());
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aCommitShorterThanItsClaimLeavesPaddingThatTheConsumerSkips(final RingKind kind)
    {
        try (SharedRegion region = SharedRegion.create("short", new RingSpec(1024, kind));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0))
        {
            for (int round = 0; round < 40; round++) // past several wraps of the 1 KiB ring
            {
                final long claim = producer.tryClaim(100);
                region.segment().set(ValueLayout.JAVA_BYTE, claim, (byte)round);
                producer.commit(claim, 3, 1 + round % 5);
                final byte[] tail = {(byte)(round + 1)};
                assertTrue(producer.offer(4, MemorySegment.ofArray(tail), 0, 1));
                assertEquals(List.of(new Message(3, 1 + round % 5, (byte)round), new Message(4, 1, (byte)(round + 1))),
                    drain(consumer), "round " + round);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void oldLapsAreNeverReadWhateverTheRecordBoundaries(final RingKind kind)
    {
        // A one-to-one consumer does not zero what it read: the producer clears the header after each record it
        // claims. Records of changing lengths put new boundaries over old ones, lap after lap; a stale header of
        // an old lap would show as an extra, lost or out-of-order message.
        final java.util.Random random = new java.util.Random(4);
        try (SharedRegion region = SharedRegion.create("laps", new RingSpec(1024, kind));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment message = arena.allocate(120);
            int sent = 0;
            int received = 0;
            for (int round = 0; round < 2000; round++)
            {
                final int batch = 1 + random.nextInt(6);
                final List<Message> expected = new ArrayList<>();
                for (int i = 0; i < batch; i++)
                {
                    final int length = 1 + random.nextInt(120);
                    message.set(ValueLayout.JAVA_BYTE, 0, (byte)sent);
                    if (!producer.offer(1 + sent % 7, message, 0, length))
                    {
                        break;
                    }
                    expected.add(new Message(1 + sent % 7, length, (byte)sent));
                    sent++;
                }
                final List<Message> got = new ArrayList<>();
                for (int reads = 0; reads < 4 && got.size() <= batch; reads++) // bounded: stale records could loop
                {
                    consumer.read((type, buffer, offset, length) ->
                        got.add(new Message(type, length, buffer.get(ValueLayout.JAVA_BYTE, offset))), batch + 1);
                }
                assertEquals(expected, got, "round " + round);
                received += got.size();
            }
            assertEquals(sent, received);
        }
    }

    @Test
    void aSuccessorProducerStartsAtTheConsumerWhenTheDeadOwnersTailStoreWasLost()
    {
        try (SharedRegion region = SharedRegion.create("successor", new RingSpec(1024, RingKind.ONE_TO_ONE));
            RingConsumer consumer = region.consumer(0);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment message = arena.allocate(100);
            try (RingProducer first = region.producer(0))
            {
                for (int i = 0; i < 3; i++)
                {
                    assertTrue(first.offer(1, message, 0, 100));
                }
            }
            assertEquals(3, drain(consumer).size());
            // What an owner killed between publishing a wrap's padding (R2) and storing its tail (R4) leaves: the
            // consumer has moved past the shared tail.
            final long tailOffset = RegionLayout.HEADER_LENGTH + RegionLayout.TAIL_OFFSET;
            region.segment().set(ValueLayout.JAVA_LONG, tailOffset,
                region.segment().get(ValueLayout.JAVA_LONG, tailOffset) - 112);
            try (RingProducer successor = region.producer(0))
            {
                message.set(ValueLayout.JAVA_BYTE, 0, (byte)42);
                assertTrue(successor.offer(2, message, 0, 1));
            }
            assertEquals(List.of(new Message(2, 1, (byte)42)), drain(consumer));
        }
    }

    @Test
    void claimsAreChecked()
    {
        try (SharedRegion region = SharedRegion.create("claims", new RingSpec(1024, RingKind.ONE_TO_ONE));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0))
        {
            assertEquals(120, producer.maxMessageLength());
            assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(121));
            assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(-5));
            final long claim = producer.tryClaim(120);
            assertTrue(claim > 0);
            assertTrue(drain(consumer).isEmpty(), "a claimed record is not readable before commit");
            assertThrows(IllegalArgumentException.class, () -> producer.commit(claim, 0, 120));
            assertThrows(IllegalArgumentException.class, () -> producer.commit(claim, -5, 120));
            assertThrows(IllegalArgumentException.class, () -> producer.commit(claim + 7, 1, 120));
            assertThrows(IllegalArgumentException.class, () -> producer.commit(-1, 1, 120));
            assertThrows(IllegalArgumentException.class, () -> producer.commit(claim, 1, 121));
            producer.commit(claim, 9, 120);
            assertThrows(IllegalStateException.class, () -> producer.commit(claim, 9, 120));
            assertEquals(List.of(new Message(9, 120, (byte)0)), drain(consumer));
            final long aborted = producer.tryClaim(40);
            producer.abort(aborted);
            assertThrows(IllegalStateException.class, () -> producer.abort(aborted));
            assertTrue(producer.offer(2, MemorySegment.NULL, 0, 0));
            assertEquals(List.of(new Message(2, 0, (byte)0)), drain(consumer));
        }
    }

    @Test
    void aThrowingHandlerStillConsumesWhatItWasGiven()
    {
        try (SharedRegion region = SharedRegion.create("throw", new RingSpec(4096, RingKind.ONE_TO_ONE));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(8);
            for (int i = 1; i <= 3; i++)
            {
                assertTrue(producer.offer(i, payload, 0, 8));
            }
            assertThrows(IllegalStateException.class, () -> consumer.read((type, buffer, offset, length) ->
            {
                if (2 == type)
                {
                    throw new IllegalStateException("handler failed");
                }
            }, 10));
            assertEquals(List.of(new Message(3, 8, (byte)0)), drain(consumer));
        }
    }

    @Test
    void aRingHasOneConsumerProcessAndADeadOnesSlotIsTakenOver() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("owners", new RingSpec(1024, RingKind.ONE_TO_ONE)))
        {
            final Process other = Peers.c("consume", region.procPath(), "0", "1", "1");
            assertEquals("ready", Peers.stdout(other).readLine());
            final RegionException busy = assertThrows(RegionException.class, () -> region.consumer(0));
            assertEquals(16, busy.errno());
            assertTrue(busy.getMessage().contains("held by live process " + other.pid()), busy.getMessage());
            other.destroyForcibly();
            other.waitFor();
            try (RingConsumer consumer = region.consumer(0))
            {
                assertFalse(consumer.await(1_000_000L));
            }
        }
    }

    @Test
    void useAfterCloseFailsCleanlyAndCloseIsIdempotent()
    {
        final SharedRegion region = SharedRegion.create("closed", new RingSpec(1024, RingKind.ONE_TO_ONE));
        final RingProducer producer = region.producer(0);
        region.close();
        region.close();
        assertThrows(IllegalStateException.class, () -> producer.tryClaim(8));
    }

    @Test
    void markClosedWakesAWaiter() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("mark", new RingSpec(1024, RingKind.ONE_TO_ONE));
            RingConsumer consumer = region.consumer(0))
        {
            final Thread closer = Thread.ofPlatform().start(() ->
            {
                try
                {
                    Thread.sleep(50);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                region.markClosed();
            });
            final RegionException ex = assertThrows(RegionException.class, () -> consumer.await(5_000_000_000L));
            assertEquals(32, ex.errno());
            assertTrue(region.isMarkedClosed());
            closer.join();
        }
    }
}
