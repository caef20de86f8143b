package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The task queue on its own: bound, FIFO, close, and wake-ups under real threads. */
@Timeout(120)
class TaskQueueTest
{
    private static Exchange message(final int producer, final int sequence)
    {
        return Exchange.request(null, new Request(producer, sequence), null, null, null);
    }

    @Test
    void shouldAcceptUpToCapacityThenAnswerBusBusy()
    {
        final TaskQueue queue = new TaskQueue("test", 3);
        for (int i = 0; i < 3; i++)
        {
            assertEquals(ErrorCode.EC_SUCCESS, queue.offer(message(0, i)));
        }
        assertEquals(ErrorCode.EC_BUSBUSY, queue.offer(message(0, 3)));
        assertEquals(3, queue.size());
        assertEquals(0, queue.poll().request.msgValue());
        assertEquals(ErrorCode.EC_SUCCESS, queue.offer(message(0, 4)));
        assertEquals(1, queue.poll().request.msgValue());
        assertEquals(2, queue.poll().request.msgValue());
        assertEquals(4, queue.poll().request.msgValue(), "the refused message never entered");
        assertNull(queue.poll());
        assertEquals(0, queue.size());
    }

    @Test
    void shouldAlwaysAcceptResponsesButCountThem()
    {
        final TaskQueue queue = new TaskQueue("test", 1);
        assertEquals(ErrorCode.EC_SUCCESS, queue.offer(message(0, 0)));
        assertTrue(queue.offerUnbounded(message(1, 0)));
        assertTrue(queue.offerUnbounded(message(1, 1)));
        assertEquals(3, queue.size());
        assertEquals(ErrorCode.EC_BUSBUSY, queue.offer(message(0, 1)));
        assertEquals(0, queue.poll().request.msgId());
        assertEquals(1, queue.poll().request.msgId());
        assertEquals(1, queue.poll().request.msgId());
    }

    @Test
    void shouldRefuseEverythingOnceClosedButKeepWhatWasAccepted()
    {
        final TaskQueue queue = new TaskQueue("test", 4);
        queue.offer(message(0, 0));
        queue.close();
        assertTrue(queue.isClosed());
        assertEquals(ErrorCode.EC_NOSERVICE, queue.offer(message(0, 1)));
        assertFalse(queue.offerUnbounded(message(0, 2)));
        assertEquals(1, queue.size());
        assertEquals(0, queue.poll().request.msgValue());
        assertNull(queue.poll());
    }

    @Test
    void shouldNotKeepTheRestOfTheQueueReachableFromATakenMessage()
    {
        final TaskQueue queue = new TaskQueue("test", 4);
        final Exchange first = message(0, 0);
        queue.offer(first);
        queue.offer(message(0, 1));
        queue.offer(message(0, 2));
        assertSame(first, queue.poll());
        queue.poll();
        assertNull(first.next, "a message the user keeps must not pin the messages after it");
    }

    @Test
    void shouldWakeAParkedConsumerEveryTime() throws InterruptedException
    {
        final TaskQueue queue = new TaskQueue("test", 2);
        final int rounds = 2_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread consumer = new Thread(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                final Exchange exchange = queue.take();
                if (i != exchange.request.msgValue())
                {
                    failure.set(new AssertionError("expected " + i + " got " + exchange.request.msgValue()));
                    return;
                }
            }
        }, "queue-test-consumer");
        queue.consumer(consumer);
        consumer.start();
        for (int i = 0; i < rounds; i++)
        {
            if (0 == i % 200)
            {
                Thread.sleep(2); // let the consumer pass its spin phase and park
            }
            while (ErrorCode.EC_SUCCESS != queue.offer(message(0, i)))
            {
                Thread.onSpinWait();
            }
        }
        consumer.join(Fixtures.WAIT_SECONDS * 1000);
        assertFalse(consumer.isAlive(), "the consumer missed a wake-up");
        assertNull(failure.get());
    }

    @Test
    void shouldKeepEachProducersOrderUnderContention() throws InterruptedException
    {
        final int producers = 8;
        final int perProducer = 50_000;
        final TaskQueue queue = new TaskQueue("test", 16);
        final int[] next = new int[producers];
        final AtomicReference<String> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread consumer = new Thread(() ->
        {
            for (int i = 0; i < producers * perProducer; i++)
            {
                final Exchange exchange = queue.take();
                final int producer = exchange.request.msgId();
                if (next[producer] != exchange.request.msgValue())
                {
                    failure.compareAndSet(null, "producer " + producer + " expected " + next[producer] + " got "
                        + exchange.request.msgValue());
                }
                next[producer] = exchange.request.msgValue() + 1;
            }
        }, "queue-test-consumer");
        queue.consumer(consumer);
        consumer.start();
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() ->
            {
                Fixtures.await(start, "the start");
                for (int i = 0; i < perProducer; i++)
                {
                    while (ErrorCode.EC_SUCCESS != queue.offer(message(producer, i)))
                    {
                        Thread.yield();
                    }
                }
            }, "queue-test-producer-" + p);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        consumer.join(Fixtures.WAIT_SECONDS * 1000);
        assertFalse(consumer.isAlive(), "the consumer is still waiting: a message was lost");
        assertNull(failure.get());
        for (int p = 0; p < producers; p++)
        {
            assertEquals(perProducer, next[p], "producer " + p + " delivered everything, once");
        }
        assertEquals(0, queue.size());
    }
}
