package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's TaskpoolSharedTaskTest, checked by the thread that runs each handler. */
@Timeout(60)
class TaskPoolSharedTaskTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    private RecordingService register(final String name, final int priority)
    {
        final RecordingService service = new RecordingService(name, TaskConfig.shared(priority));
        samgr.registerService(service);
        return service;
    }

    @Test
    void shouldShareOneThreadPerPriorityBucket()
    {
        final RecordingService a = register("A", TaskConfig.PRI_BELOW_NORMAL);
        final RecordingService b = register("B", TaskConfig.PRI_BELOW_NORMAL + 7); // 23 / 8 = bucket 2 as well
        final RecordingService c = register("C", TaskConfig.PRI_ABOVE_NORMAL);
        final RecordingService low = register("Low", TaskConfig.PRI_LOW);
        final RecordingService outOfRange = register("OutOfRange", 200);
        Fixtures.bootstrapAndWait(samgr, a, b, c, low, outOfRange);
        assertSame(a.initThread, b.initThread, "same bucket, same thread");
        assertNotSame(a.initThread, c.initThread, "another bucket, another thread");
        assertNotSame(a.initThread, low.initThread);
        assertSame(low.initThread, outOfRange.initThread, "an out-of-range priority is treated as PRI_LOW");
        assertTrue(a.initThread.getName().startsWith(samgr.threadNamePrefix() + "shared-p2"),
            a.initThread.getName());

        samgr.sendRequest(a.identity, new Request(1, 0), null);
        samgr.sendRequest(b.identity, new Request(1, 0), null);
        samgr.sendRequest(c.identity, new Request(1, 0), null);
        Fixtures.poll(a.received, "A's message");
        Fixtures.poll(b.received, "B's message");
        Fixtures.poll(c.received, "C's message");
        assertSame(a.initThread, a.handlerThreads.get(0));
        assertSame(a.initThread, b.handlerThreads.get(0));
        assertSame(c.initThread, c.handlerThreads.get(0));
    }

    @Test
    void shouldStartAFreshPoolAfterFifteenServices()
    {
        final List<RecordingService> services = new ArrayList<>();
        for (int i = 0; i <= Samgr.MAX_SERVICES_PER_TASK; i++)
        {
            services.add(register("Shared" + i, TaskConfig.PRI_BELOW_NORMAL));
        }
        Fixtures.bootstrapAndWait(samgr, services.toArray(RecordingService[]::new));
        final Thread first = services.get(0).initThread;
        for (int i = 1; i < Samgr.MAX_SERVICES_PER_TASK; i++)
        {
            assertSame(first, services.get(i).initThread, "service " + i + " shares the first pool");
        }
        assertNotSame(first, services.get(Samgr.MAX_SERVICES_PER_TASK).initThread, "the sixteenth gets a new pool");
    }

    @Test
    void shouldBoundTheSharedQueueAtTwentyFiveMessages()
    {
        final RecordingService service = register("Busy", TaskConfig.PRI_BELOW_NORMAL);
        Fixtures.bootstrapAndWait(samgr, service);
        final CountDownLatch gate = Fixtures.blockTask(samgr, service);
        for (int i = 1; i <= TaskConfig.SHARED_QUEUE_SIZE; i++)
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(i, 0), null));
        }
        assertEquals(ErrorCode.EC_BUSBUSY, samgr.sendRequest(service.identity, new Request(99, 0), null));
        gate.countDown();
        for (int i = 0; i <= TaskConfig.SHARED_QUEUE_SIZE; i++)
        {
            assertEquals(i, Fixtures.poll(service.received, "message " + i).msgId(), "FIFO");
        }
        assertTrue(service.received.isEmpty(), "the refused message was not delivered");
    }

    @Test
    void shouldEndTheSharedThreadWhenItsLastServiceLeaves()
    {
        final int before = samgr.taskCount();
        final RecordingService a = register("A", TaskConfig.PRI_LOW);
        final RecordingService b = register("B", TaskConfig.PRI_LOW);
        Fixtures.bootstrapAndWait(samgr, a, b);
        Fixtures.until(() -> before + 3 == samgr.taskCount(), "the Low, Bootstrap and Broadcast tasks");
        final int booted = samgr.taskCount();
        samgr.unregisterService("A");
        assertTrue(a.initThread.isAlive(), "B still uses the thread");
        samgr.unregisterService("B");
        Fixtures.until(() -> !a.initThread.isAlive(), "the shared thread to end");
        Fixtures.until(() -> booted - 1 == samgr.taskCount(), "the task count to drop");
    }
}
