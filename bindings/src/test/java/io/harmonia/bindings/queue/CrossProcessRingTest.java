package io.harmonia.bindings.queue;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rings between real processes in every language pairing: Java to Java (a second JVM), C to Java, Java to C, a
 * region created by C and opened by Java, many-to-one with three producer processes, and a producer killed with
 * SIGKILL in the middle of a claim.
 */
class CrossProcessRingTest
{
    private static final long COUNT = 100_000;

    @Test
    void javaProcessToJavaProcess() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("j2j", new RingSpec(1 << 16, RingKind.ONE_TO_ONE));
            RingConsumer consumer = region.consumer(0))
        {
            final Process producer = Peers.java("produce", region.procPath(), "0", "0", Long.toString(COUNT), "64");
            final SequenceMessages messages = new SequenceMessages();
            messages.consume(consumer, COUNT, 20_000_000_000L);
            assertEquals(0, Peers.exit(producer));
            assertEquals(COUNT, messages.received);
            assertEquals(0, messages.errors);
        }
    }

    @Test
    void cProcessToJava() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("c2j", new RingSpec(1 << 16, RingKind.ONE_TO_ONE));
            RingConsumer consumer = region.consumer(0))
        {
            final Process producer = Peers.c("produce", region.procPath(), "0", "0", Long.toString(COUNT), "32");
            final SequenceMessages messages = new SequenceMessages();
            messages.consume(consumer, COUNT, 10_000_000_000L);
            assertEquals(0, Peers.exit(producer));
            assertEquals(COUNT, messages.received);
            assertEquals(0, messages.errors);
        }
    }

    @Test
    void javaToCProcess() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("j2c", new RingSpec(1 << 16, RingKind.MANY_TO_ONE)))
        {
            final Process consumer = Peers.c("consume", region.procPath(), "0", "1", Long.toString(COUNT));
            final BufferedReader out = Peers.stdout(consumer);
            assertEquals("ready", out.readLine());
            try (RingProducer producer = region.producer(0))
            {
                SequenceMessages.produce(producer, 0, COUNT, 48);
            }
            assertEquals("received " + COUNT + " errors 0", out.readLine());
            assertEquals(0, Peers.exit(consumer));
        }
    }

    @Test
    void regionCreatedByCIsValidatedAndReadByJava() throws Exception
    {
        final Process producer = Peers.c("create-produce", "65536", "1", Long.toString(COUNT), "24");
        final String path = Peers.stdout(producer).readLine();
        assertTrue(path.startsWith("/proc/"), path);
        try (SharedRegion region = SharedRegion.openPath(path); RingConsumer consumer = region.consumer(0))
        {
            assertEquals(RingKind.ONE_TO_ONE, region.ringKind(0));
            final SequenceMessages messages = new SequenceMessages();
            messages.consume(consumer, COUNT, 10_000_000_000L);
            assertEquals(COUNT, messages.received);
            assertEquals(0, messages.errors);
        }
        producer.getOutputStream().close();
        assertEquals(0, Peers.exit(producer));
    }

    @Test
    void manyToOneFromThreeProducerProcessesInTwoLanguages() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("m2o", new RingSpec(1 << 16, RingKind.MANY_TO_ONE));
            RingConsumer consumer = region.consumer(0))
        {
            final List<Process> producers = new ArrayList<>();
            producers.add(Peers.c("produce", region.procPath(), "0", "0", Long.toString(COUNT), "16"));
            producers.add(Peers.c("produce", region.procPath(), "0", "1", Long.toString(COUNT), "40"));
            producers.add(Peers.java("produce", region.procPath(), "0", "2", Long.toString(COUNT), "72"));
            final SequenceMessages messages = new SequenceMessages();
            messages.consume(consumer, 3 * COUNT, 20_000_000_000L);
            for (final Process producer : producers)
            {
                assertEquals(0, Peers.exit(producer));
            }
            assertEquals(3 * COUNT, messages.received);
            assertEquals(0, messages.errors);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(COUNT, messages.next[i], "producer " + i);
            }
        }
    }

    @Test
    void producerKilledMidClaimIsReportedAndSkipped() throws Exception
    {
        try (SharedRegion region = SharedRegion.create("kill", new RingSpec(4096, RingKind.MANY_TO_ONE));
            RingConsumer consumer = region.consumer(0))
        {
            final Process victim = Peers.c("claim-and-hang", region.procPath(), "0");
            assertEquals("claimed", Peers.stdout(victim).readLine());
            victim.destroyForcibly(); // SIGKILL
            final Process survivor = Peers.c("produce", region.procPath(), "0", "1", "1000", "24");
            final SequenceMessages messages = new SequenceMessages();
            int deadReports = 0;
            final long start = System.nanoTime();
            while (messages.received < 1000 && System.nanoTime() - start < 5_000_000_000L)
            {
                final int got = consumer.read(messages, 64);
                if (RingConsumer.PRODUCER_DIED == got)
                {
                    deadReports++;
                }
                else if (0 == got)
                {
                    consumer.await(50_000_000L);
                }
            }
            assertEquals(0, Peers.exit(survivor));
            assertEquals(1000, messages.received);
            assertEquals(0, messages.errors);
            assertEquals(1, deadReports);
            assertEquals(1, consumer.deadClaims());
            victim.waitFor();
        }
    }
}
