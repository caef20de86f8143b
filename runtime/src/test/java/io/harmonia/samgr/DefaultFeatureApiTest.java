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

/** The ground of OpenHarmony's DefaultFeatureApiTest. */
@Timeout(60)
class DefaultFeatureApiTest
{
    private final Samgr samgr = Samgr.create();

    @BeforeEach
    void register()
    {
        samgr.registerService(new RecordingService("Svc", TaskConfig.shared(TaskConfig.PRI_NORMAL)));
    }

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldPublishAndFindTheDefaultApiBothWays()
    {
        final EchoImpl api = new EchoImpl();
        samgr.registerDefaultFeatureApi("Svc", api);
        assertSame(api, samgr.getDefaultFeatureApi("Svc"));
        assertSame(api, samgr.getFeatureApi("Svc", null));
        final EchoApi echo = samgr.getDefaultFeatureApi("Svc").queryInterface(IUnknown.DEFAULT_VERSION,
            EchoApi.class);
        assertEquals("x", echo.echo("x"));
        assertEquals(1, echo.release());
    }

    @Test
    void shouldRefuseASecondDefaultApi()
    {
        final EchoImpl first = new EchoImpl();
        samgr.registerDefaultFeatureApi("Svc", first);
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.registerDefaultFeatureApi("Svc", new EchoImpl()));
        assertTrue(error.getMessage().contains("already has a default API"), error.getMessage());
        assertSame(first, samgr.getDefaultFeatureApi("Svc"));
        assertThrows(SamgrException.class, () -> samgr.registerFeatureApi("Svc", null, new EchoImpl()));
    }

    @Test
    void shouldRefuseADefaultApiForAnUnknownServiceOrNull()
    {
        assertThrows(SamgrException.class, () -> samgr.registerDefaultFeatureApi("Nobody", new EchoImpl()));
        assertThrows(NullPointerException.class, () -> samgr.registerDefaultFeatureApi("Svc", null));
        assertNull(samgr.getDefaultFeatureApi("Nobody"));
        assertNull(samgr.getDefaultFeatureApi(null));
        assertNull(samgr.getDefaultFeatureApi("Svc"));
    }

    @Test
    void shouldUnregisterTheDefaultApiAndThenTheService()
    {
        final EchoImpl api = new EchoImpl();
        samgr.registerDefaultFeatureApi("Svc", api);
        assertThrows(SamgrException.class, () -> samgr.unregisterService("Svc"));
        assertSame(api, samgr.unregisterDefaultFeatureApi("Svc"));
        assertNull(samgr.unregisterDefaultFeatureApi("Svc"));
        assertNull(samgr.getDefaultFeatureApi("Svc"));
        assertTrue(null != samgr.unregisterService("Svc"));
        assertNull(samgr.unregisterDefaultFeatureApi("Svc"));
    }

    @Test
    void shouldKeepDefaultAndFeatureApisApart()
    {
        samgr.registerFeature("Svc", new RecordingFeature("Feat"));
        final EchoImpl defaultApi = new EchoImpl();
        final EchoImpl featureApi = new EchoImpl();
        samgr.registerDefaultFeatureApi("Svc", defaultApi);
        samgr.registerFeatureApi("Svc", "Feat", featureApi);
        assertSame(defaultApi, samgr.getDefaultFeatureApi("Svc"));
        assertSame(featureApi, samgr.getFeatureApi("Svc", "Feat"));
        assertSame(defaultApi, samgr.unregisterDefaultFeatureApi("Svc"));
        assertSame(featureApi, samgr.getFeatureApi("Svc", "Feat"));
    }
}
