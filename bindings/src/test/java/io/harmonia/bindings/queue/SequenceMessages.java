package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The sequence-numbered test messages both languages send ({@code seq_message} in
 * native/tests/queue/queue_test_util.h): {u32 producer; u32 reserved; u64 sequence}, type 7.
 */
final class SequenceMessages implements MessageHandler
{
    static final int TYPE = 7;
    static final int MAX_PRODUCERS = 8;

    final long[] next = new long[MAX_PRODUCERS];
    long received;
    long errors;

    @Override
    public void onMessage(final int type, final MemorySegment buffer, final long offset, final int length)
    {
        if (TYPE != type || length < 16)
        {
            errors++;
            return;
        }
        final int producer = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
        final long sequence = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8);
        if (producer < 0 || producer >= MAX_PRODUCERS || sequence != next[producer])
        {
            errors++;
            if (producer >= 0 && producer < MAX_PRODUCERS)
            {
                next[producer] = sequence + 1;
            }
            return;
        }
        next[producer]++;
        received++;
    }

    /** Sends count messages of the given length as producer id, waiting for space when full. */
    static void produce(final RingProducer producer, final int id, final long count, final int length)
    {
        final MemorySegment buffer = producer.buffer();
        for (long sequence = 0; sequence < count; sequence++)
        {
            final long claim = producer.claim(length, 10_000_000_000L);
            if (RingProducer.INSUFFICIENT_CAPACITY == claim)
            {
                throw new IllegalStateException("no space for 10 s at sequence " + sequence);
            }
            buffer.set(ValueLayout.JAVA_INT_UNALIGNED, claim, id);
            buffer.set(ValueLayout.JAVA_INT_UNALIGNED, claim + 4, 0);
            buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, claim + 8, sequence);
            producer.commit(claim, TYPE, length);
        }
    }

    /** Consumes until total messages arrived or nothing came for the timeout. */
    void consume(final RingConsumer consumer, final long total, final long idleTimeoutNs)
    {
        while (received + errors < total)
        {
            final int got = consumer.read(this, 256);
            if (0 == got && !consumer.await(idleTimeoutNs) && 0 == consumer.read(this, 256))
            {
                return;
            }
        }
    }
}
