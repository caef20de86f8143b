package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingService;
import io.harmonia.samgr.broadcast.Broadcast;
import io.harmonia.samgr.broadcast.Consumer;
import io.harmonia.samgr.broadcast.PubSubInterface;

/** The ground of OpenHarmony's BroadcastPublishTest: who is notified, with what, on which thread. */
@Timeout(60)
class BroadcastPublishTest
{
    private final Samgr samgr = Fixtures.bootedToSystemPhase(Samgr.create());
    private final PubSubInterface pubSub = Broadcast.pubSub(samgr);

    record Note(int topic, Request request, Thread thread)
    {
    }

    /** A service whose consumer is notified on the service's own task. */
    static final class Listening extends RecordingService implements Consumer
    {
        final BlockingQueue<Note> notes = new LinkedBlockingQueue<>();

        Listening(final String name, final int queueSize)
        {
            super(name, TaskConfig.single(TaskConfig.PRI_NORMAL, queueSize));
        }

        @Override
        public Identity identity()
        {
            return identity;
        }

        @Override
        public void notify(final int topic, final Request request)
        {
            notes.add(new Note(topic, request, Thread.currentThread()));
        }
    }

    @AfterEach
    void close()
    {
        pubSub.release();
        samgr.close();
    }

    private Listening started(final String name, final int queueSize)
    {
        final Listening service = new Listening(name, queueSize);
        samgr.registerService(service);
        Fixtures.bootstrapAndWait(samgr, service);
        return service;
    }

    @Test
    void shouldReachTheApiThroughSamgrLikeAnyOther()
    {
        final IUnknown api = samgr.getFeatureApi(Broadcast.BROADCAST_SERVICE, Broadcast.PUB_SUB_FEATURE);
        final PubSubInterface queried = api.queryInterface(IUnknown.DEFAULT_VERSION, PubSubInterface.class);
        assertSame(pubSub, queried);
        assertNull(api.queryInterface(IUnknown.CLIENT_PROXY_VERSION, PubSubInterface.class));
        queried.release();
    }

    @Test
    void shouldReportFalseWithoutATopicOrASubscriber()
    {
        assertFalse(pubSub.provider().publish(11, new byte[] {1}), "no such topic");
        pubSub.subscriber().addTopic(11);
        assertFalse(pubSub.provider().publish(11, new byte[] {1}), "no subscriber");
    }

    @Test
    void shouldNotifyEachConsumerOnItsOwnTaskThreadWithACopyOfTheData() throws InterruptedException
    {
        final Listening first = started("First", 8);
        final Listening second = started("Second", 8);
        pubSub.subscriber().addTopic(42);
        pubSub.subscriber().subscribe(42, first);
        pubSub.subscriber().subscribe(42, second);
        final byte[] data = {1, 2, 3};
        assertTrue(pubSub.provider().publish(42, data));
        data[0] = 9;
        final Note one = Fixtures.poll(first.notes, "First's notification");
        final Note two = Fixtures.poll(second.notes, "Second's notification");
        assertSame(first.initThread, one.thread());
        assertSame(second.initThread, two.thread());
        assertNotSame(one.thread(), two.thread());
        assertEquals(42, one.topic());
        assertEquals(Broadcast.MSG_PUBLISH, one.request().msgId());
        assertEquals(42, one.request().msgValue());
        assertArrayEquals(new byte[] {1, 2, 3}, one.request().data(), "publish copied the data");
        assertSame(one.request().data(), two.request().data(), "one copy shared by every consumer");
    }

    @Test
    void shouldNotifyConsumersWithoutIdentityOnTheBroadcastTask() throws InterruptedException
    {
        final BlockingQueue<Note> notes = new LinkedBlockingQueue<>();
        pubSub.subscriber().addTopic(8);
        pubSub.subscriber().subscribe(8, new Consumer()
        {
            @Override
            public Identity identity()
            {
                return null;
            }

            @Override
            public void notify(final int topic, final Request request)
            {
                notes.add(new Note(topic, request, Thread.currentThread()));
            }
        });
        assertTrue(pubSub.provider().publish(8, new byte[0]), "empty data is a valid publication");
        final Note note = Fixtures.poll(notes, "the notification");
        assertEquals(samgr.threadNamePrefix() + Broadcast.BROADCAST_SERVICE, note.thread().getName());
        assertEquals(0, note.request().length());
    }

    @Test
    void shouldKeepNotifyingOthersWhenOneConsumerIsFull() throws InterruptedException
    {
        final Listening full = started("Full", 1);
        final Listening healthy = started("Healthy", 8);
        pubSub.subscriber().addTopic(5);
        pubSub.subscriber().subscribe(5, full);
        pubSub.subscriber().subscribe(5, healthy);
        final CountDownLatch gate = Fixtures.blockTask(samgr, full);
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(full.identity, new Request(1, 0), null));
        assertEquals(ErrorCode.EC_BUSBUSY, samgr.sendRequest(full.identity, new Request(1, 0), null));
        assertFalse(pubSub.provider().publish(5, new byte[] {5}), "one consumer's queue refused");
        assertEquals(5, Fixtures.poll(healthy.notes, "Healthy's notification").topic(),
            "the healthy consumer was still notified");
        gate.countDown();
        final CountDownLatch drained = new CountDownLatch(1);
        while (ErrorCode.EC_SUCCESS != samgr.sendRequest(full.identity, new Request(2, 0),
            (request, response) -> drained.countDown()))
        {
            Thread.onSpinWait();
        }
        assertTrue(drained.await(20, TimeUnit.SECONDS));
        assertTrue(full.notes.isEmpty(), "the refused notification was not delivered later");
    }

    @Test
    void shouldRefuseDataLongerThanAnInt16()
    {
        assertThrows(IllegalArgumentException.class,
            () -> pubSub.provider().publish(1, new byte[Request.MAX_DATA_LENGTH + 1]));
    }
}
