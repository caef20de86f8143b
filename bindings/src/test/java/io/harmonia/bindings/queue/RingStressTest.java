package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrency stress of the Java ring with explicit outcome tables (after Agrona's jcstress tests): publication
 * is never seen torn, two producers never both get the last slot, nothing is lost or duplicated between racing
 * producers, and a consumer freeing space races cleanly with a claiming producer.
 */
@org.junit.jupiter.api.Timeout(120)
class RingStressTest
{
    private static final int RUNS = 10_000;
    private static SharedRegion oneToOne;
    private static SharedRegion manyToOne;

    @BeforeAll
    static void regions()
    {
        oneToOne = SharedRegion.create("stress-1", new RingSpec(4096, RingKind.ONE_TO_ONE));
        manyToOne = SharedRegion.create("stress-n", new RingSpec(4096, RingKind.MANY_TO_ONE));
    }

    @AfterAll
    static void close()
    {
        oneToOne.close();
        manyToOne.close();
    }

    /** One run's state over a shared ring: the ends and what the actors observed. */
    static final class Run
    {
        final RingProducer producer;
        final RingProducer secondProducer;
        final RingConsumer consumer;
        final List<Long> values = new ArrayList<>();
        int readCount = -1;
        boolean firstOffered;
        boolean secondOffered;

        Run(final RingProducer producer, final RingProducer secondProducer, final RingConsumer consumer)
        {
            this.producer = producer;
            this.secondProducer = secondProducer;
            this.consumer = consumer;
        }

        void read(final int limit)
        {
            readCount = consumer.read((type, buffer, offset, length) ->
            {
                // A torn publication would show a zeroed payload (the space is zeroed after reads) or a bad type.
                values.add(5 == type ? buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : -type);
            }, limit);
        }

        void drain()
        {
            while (consumer.read((type, buffer, offset, length) ->
                values.add(buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset)), 100) > 0)
            {
                // keep draining
            }
        }
    }

    private static boolean offer(final RingProducer producer, final long value)
    {
        final long claim = producer.tryClaim(8);
        if (RingProducer.INSUFFICIENT_CAPACITY == claim)
        {
            return false;
        }
        producer.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, claim, value);
        producer.commit(claim, 5, 8);
        return true;
    }

    @Test
    void aCommittedRecordIsNeverSeenTorn() throws InterruptedException
    {
        try (RingProducer producer = oneToOne.producer(0); RingConsumer consumer = oneToOne.consumer(0))
        {
            new OutcomeTable<Run>()
                .accept("0 []", "the reader ran before the commit was visible")
                .accept("1 [42]", "the reader saw the whole record")
                .run(RUNS, () -> new Run(producer, null, consumer),
                    run -> offer(run.producer, 42),
                    run -> run.read(1),
                    run ->
                    {
                        final String outcome = run.readCount + " " + run.values;
                        run.values.clear();
                        run.drain(); // leave the ring empty for the next run
                        return outcome;
                    });
        }
    }

    @Test
    void twoProducersNeverBothGetTheLastSlot() throws InterruptedException
    {
        new OutcomeTable<Run>()
            .accept("true false", "the first producer won the slot")
            .accept("false true", "the second producer won the slot")
            .run(RUNS / 4, RingStressTest::nearlyFull,
                run -> run.firstOffered = offer(run.producer, 1),
                run -> run.secondOffered = offer(run.secondProducer, 2),
                run ->
                {
                    final String outcome = run.firstOffered + " " + run.secondOffered;
                    run.drain();
                    closeRun(run);
                    return outcome;
                });
    }

    /** A fresh many-to-one region with room for exactly one more 16-byte record. */
    private static Run nearlyFull()
    {
        final SharedRegion region = SharedRegion.create("stress-full", new RingSpec(1024, RingKind.MANY_TO_ONE));
        final RingProducer first = region.producer(0);
        final MemorySegment filler = MemorySegment.ofArray(new byte[8]);
        for (int i = 0; i < 1024 / 16 - 1; i++)
        {
            first.offer(5, filler, 0, 8);
        }
        final Run run = new Run(first, region.producer(0), region.consumer(0));
        regionsToClose.add(region);
        return run;
    }

    private static final List<SharedRegion> regionsToClose = new ArrayList<>();

    private static void closeRun(final Run run)
    {
        run.consumer.close();
        for (final SharedRegion region : regionsToClose)
        {
            region.close();
        }
        regionsToClose.clear();
    }

    @Test
    void racingProducersLoseAndDuplicateNothing() throws InterruptedException
    {
        try (RingProducer first = manyToOne.producer(0); RingProducer second = manyToOne.producer(0);
            RingConsumer consumer = manyToOne.consumer(0))
        {
            new OutcomeTable<Run>()
                .accept("[1, 2]", "the first producer claimed first")
                .accept("[2, 1]", "the second producer claimed first")
                .run(RUNS, () -> new Run(first, second, consumer),
                    run -> offer(run.producer, 1),
                    run -> offer(run.secondProducer, 2),
                    run ->
                    {
                        run.drain();
                        return run.values.toString();
                    });
        }
    }

    @Test
    void aConsumerFreeingSpaceRacesCleanlyWithAClaim() throws InterruptedException
    {
        try (RingProducer producer = oneToOne.producer(0); RingConsumer consumer = oneToOne.consumer(0))
        {
            final long[] next = {0};
            final java.util.Map<String, Integer> seen = new OutcomeTable<Run>()
                .accept("read 1, offered true, in order", "the claim saw the freed space")
                .accept("read 1, offered false, in order", "the claim ran before the space was freed")
                .run(RUNS / 4, () ->
                {
                    // Fill the ring completely (16-byte records) with consecutive values.
                    while (offer(producer, next[0]))
                    {
                        next[0]++;
                    }
                    return new Run(producer, null, consumer);
                },
                    run -> run.read(1),
                    run -> run.firstOffered = offer(run.producer, -1),
                    run ->
                    {
                        final long firstRead = run.values.getFirst();
                        run.values.clear();
                        run.drain();
                        // Everything after the first value must be consecutive, ending in -1 when offered.
                        boolean ordered = true;
                        long expected = firstRead + 1;
                        for (int i = 0; i < run.values.size(); i++)
                        {
                            final long value = run.values.get(i);
                            if (-1 == value && i == run.values.size() - 1 && run.firstOffered)
                            {
                                continue;
                            }
                            ordered &= value == expected++;
                        }
                        return "read " + run.readCount + ", offered " + run.firstOffered + (ordered ? ", in order" :
                            ", OUT OF ORDER " + run.values);
                    });
            assertTrue(seen.size() >= 1);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RingKind.class)
    void aStreamAcrossManyWrapsArrivesWholeAndInOrderWhileBothEndsRun(final RingKind kind) throws Exception
    {
        // Lengths that change the record boundaries lap after lap, on a small ring, with the consumer reading while
        // the producer writes: the consumer steps onto index 0 right after a wrap's padding record, before or
        // after the producer wrote the new claim there, so an old lap's header at index 0 must never be visible.
        final int count = 300_000;
        try (SharedRegion region = SharedRegion.create("stream", new RingSpec(1024, kind));
            RingProducer producer = region.producer(0);
            RingConsumer consumer = region.consumer(0))
        {
            final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            final Thread writer = Thread.ofPlatform().start(() ->
            {
                for (long sequence = 0; sequence < count; sequence++)
                {
                    final int length = 8 + (int)(sequence % 13) * 8;
                    long claim;
                    while (RingProducer.INSUFFICIENT_CAPACITY == (claim = producer.tryClaim(length)))
                    {
                        if (stop.get())
                        {
                            return; // the consumer gave up: the failure is reported below
                        }
                        Thread.onSpinWait();
                    }
                    producer.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, claim, sequence);
                    producer.commit(claim, 5, length);
                }
            });
            final long[] next = {0};
            final long[] errors = {0};
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (next[0] < count && System.nanoTime() < deadline)
            {
                consumer.read((type, buffer, offset, length) ->
                {
                    final long sequence = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                    if (5 != type || sequence != next[0] || length != 8 + (int)(sequence % 13) * 8)
                    {
                        errors[0]++;
                    }
                    next[0] = sequence + 1;
                }, 64);
            }
            stop.set(true);
            writer.join();
            assertTrue(0 == errors[0] && count == next[0],
                kind + ": " + errors[0] + " bad records, last sequence " + (next[0] - 1) + " of " + (count - 1));
        }
    }
}
