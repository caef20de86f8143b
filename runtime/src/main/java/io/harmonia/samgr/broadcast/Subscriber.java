package io.harmonia.samgr.broadcast;

import io.harmonia.samgr.ErrorCode;

/** Topics and their consumers ({@code Subscriber}). Topics are 32-bit values ({@code Topic = uint32}). */
public interface Subscriber
{
    /**
     * Creates a topic.
     *
     * @param topic the topic.
     * @return {@link ErrorCode#EC_SUCCESS}, or {@link ErrorCode#EC_FAILURE} if it exists.
     */
    ErrorCode addTopic(int topic);

    /**
     * Subscribes a consumer to a topic.
     *
     * @param topic    the topic.
     * @param consumer the consumer; consumers are the same when {@link Object#equals} says so.
     * @return {@link ErrorCode#EC_SUCCESS}; {@link ErrorCode#EC_INVALID} for a null consumer;
     *     {@link ErrorCode#EC_FAILURE} if the topic does not exist; {@link ErrorCode#EC_ALREADY_SUBSCRIBED} if an
     *     equal consumer already subscribes.
     */
    ErrorCode subscribe(int topic, Consumer consumer);

    /**
     * Replaces a subscribed consumer by another, keeping its place.
     *
     * @param topic    the topic.
     * @param previous the consumer subscribed now.
     * @param current  its replacement.
     * @return the consumer that was replaced, or {@code null} if none matched (or an argument is null).
     */
    Consumer modifyConsumer(int topic, Consumer previous, Consumer current);

    /**
     * Unsubscribes a consumer.
     *
     * @param topic    the topic.
     * @param consumer the consumer.
     * @return the consumer removed, or {@code null} if none matched.
     */
    Consumer unsubscribe(int topic, Consumer consumer);
}
