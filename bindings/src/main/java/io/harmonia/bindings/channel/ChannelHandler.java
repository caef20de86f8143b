package io.harmonia.bindings.channel;

import java.lang.foreign.MemorySegment;

/** Receives channel messages in place. */
@FunctionalInterface
public interface ChannelHandler
{
    /**
     * One message; its bytes are valid only during the call.
     *
     * @param code   the message code the sender gave.
     * @param buffer the channel's shared region.
     * @param offset where the payload starts.
     * @param length the payload length.
     */
    void onMessage(int code, MemorySegment buffer, long offset, int length);
}
