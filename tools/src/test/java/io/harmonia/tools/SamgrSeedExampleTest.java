package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.ClientFactories;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.tools.demo.SamgrIpcDemo;
import io.harmonia.tools.demo.example.DemoApi;
import io.harmonia.tools.demo.example.DemoClientProxy;
import io.harmonia.tools.demo.example.ExampleProviderMain;

/**
 * The samgr_lite README's cross-process example, end to end: a samgr server process, the example's provider process
 * and this process as the consumer, with the README's calls: the raw one-way Invoke with an empty request, the
 * typed client proxy from a registered factory (SyncCall, AsyncCall, AsyncCallBack whose handler runs before the
 * call returns), an unknown funcId, a service API without Invoke, and the proxy's end when the provider dies.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamgrSeedExampleTest
{
    private static final String ADDRESS = "@harmonia-tools-samgr-" + ProcessHandle.current().pid();
    private static final AtomicInteger DESTROYED = new AtomicInteger();
    private static Process server;
    private static Process provider;
    private static Samgr samgr;
    private static SamgrEndpoint endpoint;
    private static PrintWriter providerIn;
    private static BufferedReader providerOut;

    @BeforeAll
    static void start() throws IOException
    {
        server = SamgrIpcDemo.start(SamgrServerMain.class, "--address", ADDRESS, "--exit-with-stdin");
        provider = SamgrIpcDemo.start(ExampleProviderMain.class, ADDRESS);
        samgr = Samgr.create();
        endpoint = SamgrEndpoint.attach(samgr, ADDRESS);
        assertEquals(ErrorCode.EC_SUCCESS, DemoClientProxy.register(DESTROYED::incrementAndGet),
            "SAMGR_RegisterFactory before the first lookup");
    }

    @AfterAll
    static void stop()
    {
        endpoint.close();
        samgr.close();
        ClientFactories.unregister(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
        provider.destroyForcibly();
        server.destroyForcibly();
    }

    @Test
    @Order(1)
    void theRawInvokeIsOneWayWithAnEmptyRequestAndTheProviderSurvivesIt() throws IOException
    {
        final IUnknown iUnknown = samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
        assertNotNull(iUnknown, "GetFeatureApi of a service in another process");
        final IClientProxy demoApi = iUnknown.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        assertNotNull(demoApi, "QueryInterface(CLIENT_PROXY_VER)");
        try (MessageSequence request = MessageSequence.create())
        {
            assertEquals(ErrorCode.EC_SUCCESS.code(), demoApi.invoke(DemoApi.ID_ASYNCALL, request, null, null));
        }
        assertEquals(1, demoApi.release(), "the cache keeps its reference");
        final DemoApi typed = iUnknown.queryInterface(IUnknown.DEFAULT_VERSION, DemoApi.class);
        assertTrue(typed.syncCall(new DemoApi.Payload(1, 2, "alive")), "the provider survived AsyncCall(NULL)");
        typed.release();
        assertTrue(provider.isAlive());
    }

    @Test
    @Order(2)
    void theFactorysTypedProxyCallsSynchronouslyAndAsynchronously() throws IOException
    {
        final IUnknown iUnknown = samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE);
        final DemoApi demoApi = iUnknown.queryInterface(IUnknown.DEFAULT_VERSION, DemoApi.class);
        assertInstanceOf(DemoClientProxy.class, demoApi, "QueryInterface(DEFAULT_VERSION) gives the factory's proxy");
        try
        {
            assertTrue(demoApi.syncCall(new DemoApi.Payload(1, 2, "name")));
            assertEquals("TRUE", rawSyncCall(iUnknown, new DemoApi.Payload(1, 2, "name")));
            assertEquals("FALSE", rawSyncCall(iUnknown, new DemoApi.Payload(-1, 2, "name")));

            assertTrue(demoApi.asyncCall("I wanna async call callback good result!"));
            final long deadline = System.nanoTime() + 5_000_000_000L;
            String received = command("received");
            while (!received.contains("I wanna async call callback good result!") && System.nanoTime() < deadline)
            {
                received = command("received"); // one way: it returned once queued, the provider runs it later
            }
            assertTrue(received.contains("I wanna async call callback good result!"),
                "the one-way AsyncCall reached the provider: " + received);

            final Object owner = new Object();
            final String[] response = new String[1];
            final Thread caller = Thread.currentThread();
            final Thread[] handlerThread = new Thread[1];
            final boolean sent = demoApi.asyncCallBack("I wanna async call callback good result!", owner,
                (notify, answer) ->
                {
                    assertSame(owner, notify);
                    response[0] = answer;
                    handlerThread[0] = Thread.currentThread();
                });
            assertTrue(sent);
            assertEquals("Yes, you did!", response[0], "the handler ran before AsyncCallBack returned");
            assertSame(caller, handlerThread[0], "on the calling thread");
            assertTrue(demoApi.asyncTimeCall());
        }
        finally
        {
            demoApi.release();
        }
    }

    private static String rawSyncCall(final IUnknown iUnknown, final DemoApi.Payload payload)
    {
        final IClientProxy proxy = iUnknown.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        try (MessageSequence request = MessageSequence.create())
        {
            request.writeInt(payload.id());
            request.writeInt(payload.value());
            request.writeUtf8String(payload.name());
            final String[] data = new String[1];
            assertEquals(0, proxy.invoke(DemoApi.ID_SYNCCALL, request, data, (owner, code, reply) ->
            {
                ((String[])owner)[0] = reply.readUtf8String();
                return 0;
            }));
            return data[0];
        }
        finally
        {
            proxy.release();
        }
    }

    @Test
    @Order(3)
    void unknownFuncIdsAndApisWithoutInvokeAreAnsweredNeverDropped()
    {
        final IClientProxy proxy = samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE)
            .queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        try
        {
            final boolean[] answer = {true};
            assertEquals(0, proxy.invoke(42, null, answer, (owner, code, reply) ->
            {
                ((boolean[])owner)[0] = reply.readBoolean();
                return 0;
            }), "an unknown funcId is EC_SUCCESS");
            assertFalse(answer[0], "with a bool FALSE");
            assertEquals(ErrorCode.EC_INVALID.code(), proxy.invoke(-1, null, null, null), "a funcId that cannot travel");
            assertEquals(ErrorCode.EC_INVALID.code(), proxy.invoke(0x00FFFFFE, null, null, null));
        }
        finally
        {
            proxy.release();
        }
        final IUnknown service = samgr.getDefaultFeatureApi(DemoApi.EXAMPLE_SERVICE);
        assertNotNull(service, "the service's default API (.Invoke = NULL) is exported too");
        final IClientProxy noInvoke = service.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        assertNull(service.queryInterface(IUnknown.DEFAULT_VERSION, DemoApi.class), "no factory for it: plain proxy");
        try
        {
            final boolean[] notified = {false};
            final long start = System.nanoTime();
            assertEquals(ErrorCode.EC_NOHANDLER.code(), noInvoke.invoke(DemoApi.ID_SYNCCALL, null, null,
                (owner, code, reply) -> { notified[0] = true; return 0; }));
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "answered, not timed out");
            assertFalse(notified[0], "notify runs for a reply only");
            assertEquals(ErrorCode.EC_SUCCESS.code(), noInvoke.invoke(DemoApi.ID_ASYNCALL, null, null, null));
        }
        finally
        {
            noInvoke.release();
        }
    }

    @Test
    @Order(4)
    void theProvidersDeathDropsTheProxyAndItsLastReleaseDestroysIt() throws Exception
    {
        final IClientProxy held = samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE)
            .queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        assertEquals(0, DESTROYED.get());
        provider.destroyForcibly();
        provider.waitFor();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (null != samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE)
            && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertNull(samgr.getFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE),
            "the proxy left the cache and the server has no provider");
        assertEquals(0, DESTROYED.get(), "this test still holds a reference");
        assertEquals(ErrorCode.EC_NOSERVICE.code(), held.invoke(DemoApi.ID_SYNCCALL, null, null,
            (owner, code, reply) -> 0));
        assertEquals(0, held.release());
        assertEquals(1, DESTROYED.get(), "Release to 0 called DEMO_DestroyClient");
    }

    /** Asks the provider process something ("received": the texts its AsyncCall got, joined by '|'). */
    private static String command(final String line) throws IOException
    {
        if (null == providerIn)
        {
            providerIn = new PrintWriter(provider.getOutputStream(), true, StandardCharsets.UTF_8);
            providerOut = new BufferedReader(new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8));
        }
        providerIn.println(line);
        return providerOut.readLine();
    }
}
