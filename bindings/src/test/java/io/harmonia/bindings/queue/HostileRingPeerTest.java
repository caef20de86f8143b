package io.harmonia.bindings.queue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile C peer ({@code hm_queue_peer hostile}, a separate process with its own mapping of the region) writes
 * anything into the ring control words and records, at their boundary values and at random, while the Java
 * consumers read and a Java producer sends. Every failure must be a {@link RegionException} for that ring (EPROTO,
 * or EBUSY when the peer planted a live pid in an owner slot), or, from a commit of a claim the peer rewrote into
 * another claim or none, the documented {@link IllegalArgumentException} or {@link IllegalStateException} (the raw
 * ring API cannot tell that from a caller's mistake; a channel can, and answers EPROTO); never another exception (an
 * index out of bounds, a misaligned access),
 * a crash or a hang. Every message delivered lies inside its ring.
 */
class HostileRingPeerTest
{
    private static final long SECONDS = 3;
    private static final int CAPACITY = 4096;
    private static final int EPROTO = 71;
    private static final int EBUSY = 16;

    private long delivered;
    private long violations;
    private long claimsLost;

    @Test
    void javaRingsSurviveAHostilePeer()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + 60), this::run);
    }

    private void run() throws Exception
    {
        final long seed = System.nanoTime();
        try (SharedRegion region = SharedRegion.create("hostile-java",
                new RingSpec(CAPACITY, RingKind.ONE_TO_ONE), new RingSpec(CAPACITY, RingKind.MANY_TO_ONE),
                new RingSpec(CAPACITY, RingKind.MANY_TO_ONE));
            Arena arena = Arena.ofConfined())
        {
            final Process peer =
                Peers.c("hostile", region.procPath(), "3", Long.toString(SECONDS), Long.toString(seed));
            final RingConsumer[] consumers = new RingConsumer[2];
            final MessageHandler[] handlers = {inside(region, 0), inside(region, 1)};
            RingProducer producer = null;
            final MemorySegment message = arena.allocate(96);
            final long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            for (int i = 0; System.nanoTime() < end; i++)
            {
                for (int ring = 0; ring < 2; ring++)
                {
                    consumers[ring] = consume(region, ring, consumers[ring], handlers[ring], i);
                }
                producer = produce(region, producer, message, i);
            }
            for (final RingConsumer consumer : consumers)
            {
                if (null != consumer)
                {
                    consumer.close();
                }
            }
            if (null != producer)
            {
                producer.close();
            }
            assertEquals(0, Peers.exit(peer), "the hostile peer (seed " + seed + ") ran to its end");
        }
        System.out.printf("hostile ring peer: %d records delivered, %d violations (EPROTO), %d claims lost%n",
            delivered, violations, claimsLost);
        assertTrue(violations > 0, "the peer broke the rings");
        assertTrue(delivered > 0, "well-formed records got through");
    }

    /** A handler that checks every message lies inside the ring and reads its last byte. */
    private MessageHandler inside(final SharedRegion region, final int ring)
    {
        final long data = region.ringOffset(ring) + RegionLayout.RING_CONTROL_LENGTH;
        final int capacity = region.ringCapacity(ring);
        return (type, buffer, offset, length) ->
        {
            assertTrue(type >= 1, "a delivered type " + type);
            assertTrue(length >= 0 && offset >= data && offset + length <= data + capacity,
                "message at " + offset + " of " + length + " bytes outside the ring [" + data + ", " +
                    (data + capacity) + ")");
            if (length > 0)
            {
                buffer.get(ValueLayout.JAVA_BYTE, offset + length - 1);
            }
            delivered++;
        };
    }

    private RingConsumer consume(
        final SharedRegion region, final int ring, final RingConsumer current, final MessageHandler handler,
        final int iteration)
    {
        RingConsumer consumer = current;
        try
        {
            if (null == consumer)
            {
                consumer = region.consumer(ring);
            }
            if (2 == iteration % 3)
            {
                consumer.await(20_000);
            }
            else
            {
                consumer.read(handler, 1 + iteration % 7);
            }
            return consumer;
        }
        catch (final RegionException refused)
        {
            assertTrue(EPROTO == refused.errno() || EBUSY == refused.errno() || 32 == refused.errno(),
                refused.getMessage());
            if (EPROTO == refused.errno())
            {
                violations++;
                assertTrue(refused.getMessage().contains("ring " + ring), refused.getMessage());
            }
            if (null != consumer && 32 != refused.errno())
            {
                consumer.close();
                return null;
            }
            return consumer;
        }
    }

    private RingProducer produce(
        final SharedRegion region, final RingProducer current, final MemorySegment message, final int iteration)
    {
        RingProducer producer = current;
        try
        {
            if (null == producer)
            {
                producer = region.producer(2);
            }
            final int length = iteration * 13 % 96;
            if (0 == iteration % 2)
            {
                producer.offer(5, message, 0, length);
                return producer;
            }
            final long claim = producer.tryClaim(length);
            if (RingProducer.INSUFFICIENT_CAPACITY != claim)
            {
                final long data = region.ringOffset(2) + RegionLayout.RING_CONTROL_LENGTH;
                assertTrue(claim >= data && claim + length <= data + CAPACITY, "claim outside the ring: " + claim);
                producer.buffer().asSlice(claim, length).fill((byte)7);
                try
                {
                    producer.commit(claim, 5, length);
                }
                catch (final IllegalStateException | IllegalArgumentException rewritten)
                {
                    claimsLost++; // the peer turned our claim into another, or into no claim, before the commit
                }
            }
            return producer;
        }
        catch (final RegionException refused)
        {
            assertEquals(EPROTO, refused.errno(), refused.getMessage());
            violations++;
            if (null != producer)
            {
                producer.close();
            }
            return null;
        }
    }
}
