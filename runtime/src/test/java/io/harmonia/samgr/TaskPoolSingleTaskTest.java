package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's TaskpoolSingleTaskTest. */
@Timeout(60)
class TaskPoolSingleTaskTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldGiveEachSingleServiceItsOwnThreadEvenWithIdenticalConfigs()
    {
        final TaskConfig config = TaskConfig.single(TaskConfig.PRI_NORMAL, 5);
        final RecordingService one = new RecordingService("One", config);
        final RecordingService two = new RecordingService("Two", config);
        final RecordingFeature feature = new RecordingFeature("F");
        samgr.registerService(one);
        samgr.registerService(two);
        samgr.registerFeature("Two", feature);
        Fixtures.bootstrapAndWait(samgr, one, two);
        Fixtures.await(feature.initialised, "F initialised");
        assertNotSame(one.initThread, two.initThread);
        assertSame(two.initThread, feature.initThread, "a feature runs on its service's task");
        assertEquals(samgr.threadNamePrefix() + "One", one.initThread.getName());
        assertTrue(one.initThread.isDaemon());
        assertEquals(Thread.NORM_PRIORITY, one.initThread.getPriority(), "normal scheduling, no real-time");
        samgr.sendRequest(two.identity, new Request(1, 0), null);
        samgr.sendRequest(feature.identity, new Request(2, 0), null);
        Fixtures.poll(two.received, "Two's message");
        Fixtures.poll(feature.received, "F's message");
        assertSame(two.initThread, two.handlerThreads.get(0));
        assertSame(two.initThread, feature.handlerThreads.get(0));
    }

    @Test
    void shouldBoundTheQueueAtTheConfiguredSize()
    {
        final RecordingService service = new RecordingService("Narrow", TaskConfig.single(TaskConfig.PRI_NORMAL, 3));
        samgr.registerService(service);
        Fixtures.bootstrapAndWait(samgr, service);
        final CountDownLatch gate = Fixtures.blockTask(samgr, service);
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(i, 0), null));
        }
        assertEquals(ErrorCode.EC_BUSBUSY, samgr.sendRequest(service.identity, new Request(4, 0), null));
        assertEquals(ErrorCode.EC_BUSBUSY, samgr.sendRequest(service.identity, new Request(5, 0), null));
        gate.countDown();
        for (int i = 0; i <= 3; i++)
        {
            assertEquals(i, Fixtures.poll(service.received, "message " + i).msgId());
        }
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(6, 0), null),
            "room again once drained");
        assertEquals(6, Fixtures.poll(service.received, "message 6").msgId());
    }

    @Test
    void shouldEndTheThreadWhenTheServiceLeaves()
    {
        final RecordingService service = new RecordingService("Leaving", TaskConfig.single(TaskConfig.PRI_NORMAL, 2));
        samgr.registerService(service);
        Fixtures.bootstrapAndWait(samgr, service);
        final Identity identity = service.identity;
        samgr.unregisterService("Leaving");
        Fixtures.until(() -> !service.initThread.isAlive(), "the thread to end");
        assertEquals(ErrorCode.EC_NOSERVICE, samgr.sendRequest(identity, new Request(1, 0), null));
    }
}
