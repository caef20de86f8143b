package io.harmonia.samgr.broadcast;

import io.harmonia.samgr.Request;

/** Publication ({@code Provider}). */
public interface Provider
{
    /**
     * Publishes data on a topic. The data is copied; each consumer with an identity is notified on its own task
     * thread, the others on the Broadcast service's thread. A consumer whose queue is full does not stop the others.
     *
     * @param topic the topic.
     * @param data  the data, at most {@value Request#MAX_DATA_LENGTH} bytes ({@code int16 len}), or {@code null}.
     * @return true if the topic has subscribers and every consumer's notification was queued; false if the topic
     *     does not exist, has no subscriber, or some consumer's queue refused the notification.
     * @throws IllegalArgumentException if the data is longer than {@value Request#MAX_DATA_LENGTH} bytes.
     */
    boolean publish(int topic, byte[] data);
}
