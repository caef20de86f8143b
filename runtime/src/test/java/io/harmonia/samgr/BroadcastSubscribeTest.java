package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.broadcast.Broadcast;
import io.harmonia.samgr.broadcast.Consumer;
import io.harmonia.samgr.broadcast.PubSubInterface;
import io.harmonia.samgr.broadcast.Subscriber;

/** The ground of OpenHarmony's BroadcastSubscribeTest. */
@Timeout(60)
class BroadcastSubscribeTest
{
    private final Samgr samgr = Fixtures.bootedToSystemPhase(Samgr.create());
    private final PubSubInterface pubSub = Broadcast.pubSub(samgr);
    private final Subscriber subscriber = pubSub.subscriber();

    /** A consumer notified on the Broadcast task; equal when name and sink are equal. */
    record Named(String name, BlockingQueue<String> sink) implements Consumer
    {
        @Override
        public Identity identity()
        {
            return null;
        }

        @Override
        public void notify(final int topic, final Request request)
        {
            sink.add(name + "@" + topic);
        }
    }

    @AfterEach
    void close()
    {
        pubSub.release();
        samgr.close();
    }

    @Test
    void shouldAddATopicOnce()
    {
        assertEquals(ErrorCode.EC_SUCCESS, subscriber.addTopic(1));
        assertEquals(ErrorCode.EC_FAILURE, subscriber.addTopic(1));
        assertEquals(ErrorCode.EC_SUCCESS, subscriber.addTopic(-1), "topics are uint32: 0xFFFFFFFF is one");
    }

    @Test
    void shouldSubscribeOnlyToExistingTopicsAndOnlyOnce()
    {
        final BlockingQueue<String> sink = new LinkedBlockingQueue<>();
        final Named consumer = new Named("c", sink);
        assertEquals(ErrorCode.EC_FAILURE, subscriber.subscribe(7, consumer), "no such topic");
        subscriber.addTopic(7);
        assertEquals(ErrorCode.EC_SUCCESS, subscriber.subscribe(7, consumer));
        assertEquals(ErrorCode.EC_ALREADY_SUBSCRIBED, subscriber.subscribe(7, consumer));
        assertEquals(ErrorCode.EC_ALREADY_SUBSCRIBED, subscriber.subscribe(7, new Named("c", sink)),
            "an equal consumer counts as the same");
        assertEquals(ErrorCode.EC_INVALID, subscriber.subscribe(7, null));
        assertTrue(pubSub.provider().publish(7, null));
        assertEquals("c@7", Fixtures.poll(sink, "a notification"));
    }

    @Test
    void shouldReplaceAConsumerInPlace() throws InterruptedException
    {
        final BlockingQueue<String> sink = new LinkedBlockingQueue<>();
        final Named before = new Named("before", sink);
        final Named after = new Named("after", sink);
        subscriber.addTopic(3);
        subscriber.subscribe(3, before);
        assertSame(before, subscriber.modifyConsumer(3, before, after));
        assertNull(subscriber.modifyConsumer(3, before, after), "before is no longer subscribed");
        assertNull(subscriber.modifyConsumer(4, after, before), "no such topic");
        assertNull(subscriber.modifyConsumer(3, null, before));
        assertNull(subscriber.modifyConsumer(3, after, null));
        assertTrue(pubSub.provider().publish(3, new byte[] {1}));
        assertEquals("after@3", Fixtures.poll(sink, "a notification"));
        assertNull(sink.poll(50, TimeUnit.MILLISECONDS), "the replaced consumer hears nothing");
    }

    @Test
    void shouldUnsubscribe()
    {
        final Named consumer = new Named("c", new LinkedBlockingQueue<>());
        subscriber.addTopic(5);
        subscriber.subscribe(5, consumer);
        assertNull(subscriber.unsubscribe(6, consumer), "no such topic");
        assertSame(consumer, subscriber.unsubscribe(5, new Named("c", consumer.sink())));
        assertNull(subscriber.unsubscribe(5, consumer));
        assertNull(subscriber.unsubscribe(5, null));
        assertFalse(pubSub.provider().publish(5, null), "no subscriber left");
        assertEquals(ErrorCode.EC_SUCCESS, subscriber.subscribe(5, consumer), "may subscribe again");
    }
}
