package io.harmonia.bindings.queue;

import java.lang.foreign.MemorySegment;

/** Receives records in place during {@link RingConsumer#read}. */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * One committed record. The bytes are valid only during the call: the space is zeroed and reused after.
     *
     * @param type   the message type (&gt;= 1).
     * @param buffer the whole region.
     * @param offset where the message bytes start in {@code buffer}.
     * @param length the message length.
     */
    void onMessage(int type, MemorySegment buffer, long offset, int length);
}
