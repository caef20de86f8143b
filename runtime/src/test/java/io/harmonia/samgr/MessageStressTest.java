package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingService;

/**
 * Many senders, plain threads and samgr tasks, into one service with a small queue: every message is either
 * refused with EC_BUSBUSY (and re-sent) or delivered exactly once, in each sender's order, and every request with
 * a handler gets exactly one response on the right thread.
 */
@Timeout(180)
class MessageStressTest
{
    private static final int PLAIN_SENDERS = 6;
    private static final int TASK_SENDERS = 4;
    private static final int PER_SENDER = 20_000;

    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    /** Checks each sender's sequence as it arrives; answers every second request. */
    static final class Sink extends RecordingService
    {
        final int[] next = new int[PLAIN_SENDERS + TASK_SENDERS];
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong delivered = new AtomicLong();
        final Samgr samgr;

        Sink(final Samgr samgr)
        {
            super("Sink", TaskConfig.single(TaskConfig.PRI_NORMAL, 32));
            this.samgr = samgr;
        }

        @Override
        public void messageHandle(final Request request)
        {
            final int sender = request.msgId();
            if (next[sender] != request.msgValue())
            {
                failure.compareAndSet(null, "sender " + sender + " expected " + next[sender] + " got "
                    + request.msgValue());
            }
            next[sender] = request.msgValue() + 1;
            delivered.incrementAndGet();
            if (0 == (request.msgValue() & 1))
            {
                samgr.sendResponse(request, new Response(new byte[] {(byte)sender}));
            }
        }
    }

    /** A sender on its own samgr task: sends everything when kicked, receives its responses afterwards. */
    static final class TaskSender extends RecordingService
    {
        final int id;
        final Samgr samgr;
        final Sink sink;
        final AtomicInteger responses = new AtomicInteger();
        final AtomicInteger wrongThread = new AtomicInteger();

        TaskSender(final int id, final Samgr samgr, final Sink sink)
        {
            super("Sender" + id, TaskConfig.single(TaskConfig.PRI_NORMAL, 4));
            this.id = id;
            this.samgr = samgr;
            this.sink = sink;
        }

        @Override
        public void messageHandle(final Request request)
        {
            send(samgr, sink.identity, id, (req, resp) ->
            {
                if (Thread.currentThread() != initThread)
                {
                    wrongThread.incrementAndGet();
                }
                responses.incrementAndGet();
            });
        }
    }

    static void send(final Samgr samgr, final Identity target, final int sender, final Handler handler)
    {
        for (int i = 0; i < PER_SENDER; i++)
        {
            final Request request = new Request(sender, i);
            while (true)
            {
                final ErrorCode result = samgr.sendRequest(target, request, 0 == (i & 1) ? handler : null);
                if (ErrorCode.EC_SUCCESS == result)
                {
                    break;
                }
                if (ErrorCode.EC_BUSBUSY != result)
                {
                    throw new AssertionError("sender " + sender + " message " + i + ": " + result);
                }
                Thread.yield();
            }
        }
    }

    @Test
    void shouldDeliverEveryAcceptedMessageOnceInEachSendersOrder() throws InterruptedException
    {
        final Sink sink = new Sink(samgr);
        samgr.registerService(sink);
        final List<TaskSender> taskSenders = new ArrayList<>();
        for (int i = 0; i < TASK_SENDERS; i++)
        {
            final TaskSender sender = new TaskSender(PLAIN_SENDERS + i, samgr, sink);
            taskSenders.add(sender);
            samgr.registerService(sender);
        }
        samgr.bootstrap();
        Fixtures.await(sink.initialised, "the sink");
        for (final TaskSender sender : taskSenders)
        {
            Fixtures.await(sender.initialised, sender.getName());
        }

        final ConcurrentHashMap<Integer, AtomicInteger> plainResponses = new ConcurrentHashMap<>();
        final AtomicInteger plainWrongThread = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> plainThreads = new ArrayList<>();
        final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        for (int i = 0; i < PLAIN_SENDERS; i++)
        {
            final int id = i;
            final AtomicInteger counter = plainResponses.computeIfAbsent(id, key -> new AtomicInteger());
            final Thread thread = new Thread(() ->
            {
                Fixtures.await(start, "the start");
                try
                {
                    send(samgr, sink.identity, id, (req, resp) ->
                    {
                        // A plain thread has no task: the responder runs the handler.
                        if (Thread.currentThread() != sink.initThread)
                        {
                            plainWrongThread.incrementAndGet();
                        }
                        counter.incrementAndGet();
                    });
                }
                catch (final Throwable ex)
                {
                    senderFailure.compareAndSet(null, ex);
                }
            }, "stress-sender-" + i);
            plainThreads.add(thread);
            thread.start();
        }
        for (final TaskSender sender : taskSenders)
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(sender.identity, new Request(0, 0), null));
        }
        start.countDown();
        for (final Thread thread : plainThreads)
        {
            thread.join();
        }
        assertNull(senderFailure.get());
        final long total = (long)(PLAIN_SENDERS + TASK_SENDERS) * PER_SENDER;
        Fixtures.until(() -> total == sink.delivered.get(), "every message delivered (" + total + ")");
        for (final TaskSender sender : taskSenders)
        {
            Fixtures.until(() -> PER_SENDER / 2 == sender.responses.get(), sender.getName() + "'s responses");
        }
        assertNull(sink.failure.get());
        for (int i = 0; i < PLAIN_SENDERS + TASK_SENDERS; i++)
        {
            assertEquals(PER_SENDER, sink.next[i], "sender " + i);
        }
        for (int i = 0; i < PLAIN_SENDERS; i++)
        {
            assertEquals(PER_SENDER / 2, plainResponses.get(i).get(), "responses of plain sender " + i);
        }
        assertEquals(0, plainWrongThread.get());
        for (final TaskSender sender : taskSenders)
        {
            assertEquals(0, sender.wrongThread.get(), sender.getName() + "'s handlers ran on its own task");
        }
        final CountDownLatch quiet = new CountDownLatch(1);
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(sink.identity, new Request(0, PER_SENDER),
            (req, resp) -> quiet.countDown()));
        Fixtures.await(quiet, "the final marker");
        assertEquals(total + 1, sink.delivered.get(), "nothing arrived twice");
        assertNull(sink.failure.get());
    }
}
