package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.EchoImpl;
import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's FeatureTest: registration rules, limits and the feature lifecycle. */
@Timeout(60)
class FeatureTest
{
    private final Samgr samgr = Samgr.create();
    private final RecordingService service = new RecordingService("Host", TaskConfig.single(TaskConfig.PRI_NORMAL, 8));

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldInitialiseFeaturesOnTheServiceThreadAfterTheService()
    {
        samgr.registerService(service);
        final RecordingFeature first = new RecordingFeature("F1");
        final RecordingFeature second = new RecordingFeature("F2");
        samgr.registerFeature("Host", first);
        samgr.registerFeature("Host", second);
        Fixtures.bootstrapAndWait(samgr, service);
        Fixtures.await(first.initialised, "F1 initialised");
        Fixtures.await(second.initialised, "F2 initialised");
        assertSame(service.initThread, first.initThread);
        assertSame(service.initThread, second.initThread);
        assertSame(service, first.parent);
        assertEquals(0, first.identity.featureId());
        assertEquals(1, second.identity.featureId());
        assertEquals(service.identity.serviceId(), second.identity.serviceId());
    }

    @Test
    void shouldRejectFeaturesForUnknownServicesDuplicatesAndBadNames()
    {
        final SamgrException unknown = assertThrows(SamgrException.class,
            () -> samgr.registerFeature("Nobody", new RecordingFeature("F")));
        assertEquals(ErrorCode.EC_NOSERVICE, unknown.errorCode());
        samgr.registerService(service);
        samgr.registerFeature("Host", new RecordingFeature("F"));
        final SamgrException duplicate = assertThrows(SamgrException.class,
            () -> samgr.registerFeature("Host", new RecordingFeature("F")));
        assertTrue(duplicate.getMessage().contains("already has feature \"F\""), duplicate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> samgr.registerFeature("Host", new RecordingFeature("")));
        assertThrows(IllegalArgumentException.class,
            () -> samgr.registerFeature("Host", new RecordingFeature("sixteen_bytes_xx")));
        assertThrows(NullPointerException.class, () -> samgr.registerFeature("Host", null));
        assertThrows(NullPointerException.class, () -> samgr.registerFeature("Host", new RecordingFeature(null)));
        assertThrows(NullPointerException.class, () -> samgr.registerFeature(null, new RecordingFeature("G")));
        assertNotNull(samgr.unregisterFeature("Host", "F"));
        assertNotNull(samgr.unregisterService("Host"), "only F was ever added");
    }

    @Test
    void shouldRefuseFeaturesOnceTheServiceIsInitialised()
    {
        samgr.registerService(service);
        Fixtures.bootstrapAndWait(samgr, service);
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.registerFeature("Host", new RecordingFeature("Late")));
        assertTrue(error.getMessage().contains("already initialised"), error.getMessage());
        assertNull(samgr.unregisterFeature("Host", "Late"));
    }

    @Test
    void shouldStopAtMaxFeatureNum()
    {
        samgr.registerService(service);
        for (int i = 0; i < Samgr.MAX_FEATURE_NUM; i++)
        {
            samgr.registerFeature("Host", new RecordingFeature("f" + i));
        }
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.registerFeature("Host", new RecordingFeature("f112")));
        assertEquals(ErrorCode.EC_NORESOURCE, error.errorCode());
        assertTrue(error.getMessage().contains("MAX_FEATURE_NUM=112"), error.getMessage());
        assertNotNull(samgr.unregisterFeature("Host", "f7"));
        samgr.registerFeature("Host", new RecordingFeature("f112"));
    }

    @Test
    void shouldStopAFeatureOnItsServiceThreadWhenUnregistered()
    {
        samgr.registerService(service);
        final RecordingFeature feature = new RecordingFeature("F");
        samgr.registerFeature("Host", feature);
        Fixtures.bootstrapAndWait(samgr, service);
        assertSame(feature, samgr.unregisterFeature("Host", "F"));
        assertEquals(0, feature.stopped.getCount(), "onStop ran before unregisterFeature returned");
        assertSame(service.initThread, feature.stopThread);
        assertNull(samgr.unregisterFeature("Host", "F"));
        assertNull(samgr.getFeatureApi("Host", "F"));
    }

    @Test
    void shouldStopAFeatureInlineBeforeTheServiceHasATask()
    {
        samgr.registerService(service);
        final RecordingFeature feature = new RecordingFeature("F");
        samgr.registerFeature("Host", feature);
        assertSame(feature, samgr.unregisterFeature("Host", "F"));
        assertSame(Thread.currentThread(), feature.stopThread);
    }

    @Test
    void shouldRefuseToUnregisterAFeatureThatStillHasAnApi()
    {
        samgr.registerService(service);
        samgr.registerFeature("Host", new RecordingFeature("F"));
        samgr.registerFeatureApi("Host", "F", new EchoImpl());
        final SamgrException error = assertThrows(SamgrException.class, () -> samgr.unregisterFeature("Host", "F"));
        assertTrue(error.getMessage().contains("still has an API"), error.getMessage());
        assertNotNull(samgr.getFeatureApi("Host", "F"));
    }

    @Test
    void shouldAnswerNullForUnknownNames()
    {
        samgr.registerService(service);
        assertNull(samgr.unregisterFeature("Host", "None"));
        assertNull(samgr.unregisterFeature("Nobody", "F"));
        assertNull(samgr.unregisterFeature(null, "F"));
        assertNull(samgr.unregisterFeature("Host", null));
    }

    @Test
    void shouldDeliverMessagesToTheFeatureOnTheServiceThread()
    {
        samgr.registerService(service);
        final RecordingFeature feature = new RecordingFeature("F");
        samgr.registerFeature("Host", feature);
        Fixtures.bootstrapAndWait(samgr, service);
        Fixtures.await(feature.initialised, "F initialised");
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(feature.identity, new Request(7, 70), null));
        final Request received = Fixtures.poll(feature.received, "the feature's message");
        assertEquals(7, received.msgId());
        assertEquals(70, received.msgValue());
        assertSame(service.initThread, feature.handlerThreads.get(0));
        assertTrue(service.received.isEmpty(), "a feature's message does not reach the service");
    }
}
