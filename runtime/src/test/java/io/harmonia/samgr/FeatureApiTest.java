package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.EchoApi;
import io.harmonia.samgr.Fixtures.EchoImpl;
import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's FeatureApiTest. */
@Timeout(60)
class FeatureApiTest
{
    private final Samgr samgr = Samgr.create();

    @BeforeEach
    void register()
    {
        samgr.registerService(new RecordingService("Svc", TaskConfig.shared(TaskConfig.PRI_NORMAL)));
        samgr.registerFeature("Svc", new RecordingFeature("Feat"));
    }

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldPublishAndFindAFeatureApi()
    {
        final EchoImpl api = new EchoImpl();
        samgr.registerFeatureApi("Svc", "Feat", api);
        assertSame(api, samgr.getFeatureApi("Svc", "Feat"));
        final EchoApi echo = samgr.getFeatureApi("Svc", "Feat").queryInterface(IUnknown.DEFAULT_VERSION,
            EchoApi.class);
        assertEquals("sync call", echo.echo("sync call"));
        echo.release();
        assertNull(samgr.getDefaultFeatureApi("Svc"), "a feature API is not the default API");
    }

    @Test
    void shouldRefuseASecondApiForTheSameFeature()
    {
        final EchoImpl first = new EchoImpl();
        samgr.registerFeatureApi("Svc", "Feat", first);
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.registerFeatureApi("Svc", "Feat", new EchoImpl()));
        assertTrue(error.getMessage().contains("already has an API"), error.getMessage());
        assertSame(first, samgr.getFeatureApi("Svc", "Feat"));
    }

    @Test
    void shouldRefuseApisForUnknownServicesOrFeaturesAndNullApis()
    {
        assertEquals(ErrorCode.EC_NOSERVICE, assertThrows(SamgrException.class,
            () -> samgr.registerFeatureApi("Nobody", "Feat", new EchoImpl())).errorCode());
        assertEquals(ErrorCode.EC_NOSERVICE, assertThrows(SamgrException.class,
            () -> samgr.registerFeatureApi("Svc", "Nothing", new EchoImpl())).errorCode());
        assertThrows(NullPointerException.class, () -> samgr.registerFeatureApi("Svc", "Feat", null));
        assertThrows(NullPointerException.class, () -> samgr.registerFeatureApi(null, "Feat", new EchoImpl()));
        assertNull(samgr.getFeatureApi("Svc", "Feat"));
    }

    @Test
    void shouldUnregisterAFeatureApi()
    {
        final EchoImpl api = new EchoImpl();
        samgr.registerFeatureApi("Svc", "Feat", api);
        assertSame(api, samgr.unregisterFeatureApi("Svc", "Feat"));
        assertNull(samgr.getFeatureApi("Svc", "Feat"));
        assertNull(samgr.unregisterFeatureApi("Svc", "Feat"));
        assertNull(samgr.unregisterFeatureApi("Svc", "Nothing"));
        assertNull(samgr.unregisterFeatureApi("Nobody", "Feat"));
        assertNull(samgr.unregisterFeatureApi(null, "Feat"));
    }

    @Test
    void shouldAnswerNullForUnknownLookups()
    {
        assertNull(samgr.getFeatureApi("Svc", "Nothing"));
        assertNull(samgr.getFeatureApi("Nobody", "Feat"));
        assertNull(samgr.getFeatureApi(null, "Feat"));
    }

    @Test
    void shouldKeepApisAcrossInitialisation()
    {
        final EchoImpl api = new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION);
        samgr.registerFeatureApi("Svc", "Feat", api);
        Fixtures.bootFully(samgr);
        assertSame(api, samgr.getFeatureApi("Svc", "Feat"));
        assertThrows(SamgrException.class, () -> samgr.unregisterFeature("Svc", "Feat"));
        assertSame(api, samgr.unregisterFeatureApi("Svc", "Feat"));
        assertTrue(null != samgr.unregisterFeature("Svc", "Feat"));
    }
}
