package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.EchoApi;
import io.harmonia.samgr.Fixtures.EchoImpl;
import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/**
 * The two places where the cross-process endpoint will plug in. The channel transport is not on this branch, so a
 * hand-written client proxy stands where the endpoint's proxy will stand (a seam, not the real transport): the
 * point under test is that callers use it exactly as they use a local API, and that providers' APIs are reported
 * with the identity that routes a call onto their task thread.
 */
@Timeout(60)
class RemoteProxySeamTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    /** The same caller code for a local and a remote API. */
    private static String callEcho(final Samgr samgr, final String service, final String text)
    {
        final IUnknown api = samgr.getDefaultFeatureApi(service);
        final EchoApi echo = api.queryInterface(IUnknown.DEFAULT_VERSION, EchoApi.class);
        try
        {
            return echo.echo(text);
        }
        finally
        {
            echo.release();
        }
    }

    @Test
    void shouldResolveCacheAndForgetRemoteProxiesBehindTheSameCallerCode()
    {
        final AtomicInteger resolutions = new AtomicInteger();
        samgr.setRemoteApiResolver((service, feature) ->
        {
            if (!"Remote".equals(service) || null != feature)
            {
                return null;
            }
            resolutions.incrementAndGet();
            return new EchoImpl(IUnknown.CLIENT_PROXY_VERSION)
            {
                @Override
                public String echo(final String text)
                {
                    return "remote:" + text;
                }
            };
        });
        samgr.registerService(new RecordingService("Local", TaskConfig.noTask()));
        samgr.registerDefaultFeatureApi("Local", new EchoImpl());

        assertEquals("hello", callEcho(samgr, "Local", "hello"));
        assertEquals("remote:hello", callEcho(samgr, "Remote", "hello"));
        assertEquals("remote:again", callEcho(samgr, "Remote", "again"));
        assertEquals(1, resolutions.get(), "the proxy is cached per (service, feature)");
        assertNull(samgr.getFeatureApi("Remote", "NoSuchFeature"));
        assertNull(samgr.getFeatureApi("Local", "NoSuchFeature"), "a local service is never looked up remotely");
        assertEquals(1, resolutions.get());

        final IUnknown proxy = samgr.getDefaultFeatureApi("Remote");
        assertNotNull(proxy.queryInterface(IUnknown.CLIENT_PROXY_VERSION, EchoApi.class));
        assertSame(proxy, samgr.forgetRemoteApi("Remote", null));
        assertEquals("remote:fresh", callEcho(samgr, "Remote", "fresh"));
        assertEquals(2, resolutions.get(), "forgotten proxies are resolved again");
        samgr.setRemoteApiResolver(null);
        assertNull(samgr.getDefaultFeatureApi("Remote"));
    }

    @Test
    void shouldReportExportableApisWithTheIdentityThatRoutesToTheirTask()
    {
        record Export(String service, String feature, Identity identity, IUnknown api, boolean available)
        {
        }
        final BlockingQueue<Export> exports = new LinkedBlockingQueue<>();
        samgr.setApiExporter(new ApiExporter()
        {
            @Override
            public void apiAvailable(final String service, final String feature, final Identity identity,
                final IUnknown api)
            {
                // Keep what may be exported, as SAMGR_AddRouter does: Broadcast's default-only API is left out.
                final IUnknown exportable = api.queryInterface(IUnknown.SERVER_PROXY_VERSION, IUnknown.class);
                if (null != exportable)
                {
                    exportable.release();
                    exports.add(new Export(service, feature, identity, api, true));
                }
            }

            @Override
            public void apiWithdrawn(final String service, final String feature, final IUnknown api)
            {
                exports.add(new Export(service, feature, null, api, false));
            }
        });
        final RecordingService service = new RecordingService("Provider",
            TaskConfig.single(TaskConfig.PRI_NORMAL, 4));
        final RecordingFeature feature = new RecordingFeature("Feat");
        final EchoImpl defaultApi = new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION);
        samgr.registerService(service);
        samgr.registerFeature("Provider", feature);
        samgr.registerDefaultFeatureApi("Provider", defaultApi);
        assertEquals(0, exports.size(), "nothing is exported before the service is initialised");
        Fixtures.bootstrapAndWait(samgr, service);

        final Export first = Fixtures.poll(exports, "the default API's export");
        assertEquals(new Export("Provider", null, service.identity, defaultApi, true), first);
        assertEquals(1, defaultApi.refCount(), "the exporter's probe released its reference");
        final EchoImpl featureApi = new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION);
        samgr.registerFeatureApi("Provider", "Feat", featureApi);
        final Export second = Fixtures.poll(exports, "the feature API's export");
        assertEquals(feature.identity, second.identity());
        assertEquals("Feat", second.feature());

        // What the endpoint will do with an incoming call: run it on the provider's task thread.
        final List<Thread> invokedOn = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        try (SharedRef ref = new SharedRef(null))
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendSharedDirectRequest(second.identity(), null, null, ref,
                (request, response) ->
                {
                    invokedOn.add(Thread.currentThread());
                    final EchoApi echo = second.api().queryInterface(IUnknown.SERVER_PROXY_VERSION, EchoApi.class);
                    replies.add(echo.echo("invoked"));
                    echo.release();
                }));
        }
        assertEquals("invoked", Fixtures.poll(replies, "the routed call"));
        assertSame(service.initThread, invokedOn.get(0));

        assertSame(featureApi, samgr.unregisterFeatureApi("Provider", "Feat"));
        assertEquals(new Export("Provider", "Feat", null, featureApi, false), Fixtures.poll(exports, "withdrawal"));

        final BlockingQueue<Export> late = new LinkedBlockingQueue<>();
        samgr.setApiExporter(new ApiExporter()
        {
            @Override
            public void apiAvailable(final String service, final String feature, final Identity identity,
                final IUnknown api)
            {
                if ("Provider".equals(service))
                {
                    late.add(new Export(service, feature, identity, api, true));
                }
            }

            @Override
            public void apiWithdrawn(final String service, final String feature, final IUnknown api)
            {
            }
        });
        assertEquals(defaultApi, Fixtures.poll(late, "APIs already available, reported to a new exporter").api());
    }
}
