package io.harmonia.bindings.channel;

/** Receives channel messages of every kind (raw bytes or IpcIo, with or without fds) in place. */
@FunctionalInterface
public interface ChannelMessageHandler
{
    /**
     * One message. It, its payload and every view from it are valid only during the call: when the handler
     * returns (or throws) the channel closes the fds nobody took, unmaps raw-data mappings and frees the slot.
     *
     * @param message the message (reused by the channel for the next one).
     */
    void onMessage(ChannelMessage message);
}
