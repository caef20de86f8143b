package io.harmonia.bindings.channel;

import java.lang.foreign.MemorySegment;

/**
 * Receives raw-byte channel messages in place. A message with fds or an IpcIo payload needs a
 * {@link ChannelMessageHandler}; handed to this one it is refused (and its fds closed).
 */
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
