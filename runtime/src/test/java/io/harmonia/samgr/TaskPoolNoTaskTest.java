package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's TaskpoolNoTaskTest. */
@Timeout(60)
class TaskPoolNoTaskTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldInitialiseInlineWithoutAQueue()
    {
        final RecordingService service = new RecordingService("Inline", TaskConfig.noTask());
        final RecordingFeature feature = new RecordingFeature("F");
        samgr.registerService(service);
        samgr.registerFeature("Inline", feature);
        samgr.bootstrap();
        assertEquals(0, service.initialised.getCount(), "initialised before bootstrap returned");
        assertSame(Thread.currentThread(), service.initThread);
        assertSame(Thread.currentThread(), feature.initThread);
        assertFalse(service.identity.hasQueue());
        assertFalse(feature.identity.hasQueue());
        assertEquals(ErrorCode.EC_INVALID, samgr.sendRequest(service.identity, new Request(1, 0), null));
        assertEquals(ErrorCode.EC_INVALID, samgr.sendRequest(feature.identity, new Request(1, 0), null));
        assertTrue(service.received.isEmpty());
        assertSame(feature, samgr.unregisterFeature("Inline", "F"));
        assertSame(Thread.currentThread(), feature.stopThread, "no task: onStop runs inline too");
    }

    @Test
    void shouldStartNoThread()
    {
        Fixtures.bootFully(samgr);
        final int before = samgr.taskCount();
        final RecordingService service = new RecordingService("NoThread", TaskConfig.noTask());
        samgr.registerService(service);
        samgr.bootstrap();
        assertEquals(before, samgr.taskCount());
        assertSame(Thread.currentThread(), service.initThread);
    }
}
