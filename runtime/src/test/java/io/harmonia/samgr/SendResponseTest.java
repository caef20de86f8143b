package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.Delivery;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's SendResponseTest, and on which thread each handler runs. */
@Timeout(60)
class SendResponseTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    private RecordingService started(final String name)
    {
        final RecordingService service = new RecordingService(name, TaskConfig.single(TaskConfig.PRI_NORMAL, 16));
        samgr.registerService(service);
        Fixtures.bootstrapAndWait(samgr, service);
        return service;
    }

    @Test
    void shouldDeliverTheResponseSynchronouslyOnTheResponderWhenTheSenderHasNoTask()
    {
        final RecordingService server = started("Server");
        final AtomicBoolean handled = new AtomicBoolean();
        final AtomicReference<Boolean> handledBeforeReturn = new AtomicReference<>();
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        server.behaviour = (self, request) ->
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendResponse(request, new Response("pong".getBytes())));
            handledBeforeReturn.set(handled.get());
        };
        final Handler record = Fixtures.recordInto(deliveries);
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(server.identity, new Request(1, 0),
            (request, response) ->
            {
                handled.set(true);
                record.handle(request, response);
            }));
        final Delivery delivery = Fixtures.poll(deliveries, "the response");
        assertArrayEquals("pong".getBytes(), delivery.response().data());
        assertEquals(ErrorCode.EC_SUCCESS, delivery.response().status());
        assertSame(server.initThread, delivery.thread(), "the test thread has no task: the responder runs it");
        Fixtures.poll(server.received, "the request");
        assertEquals(Boolean.TRUE, handledBeforeReturn.get());
    }

    @Test
    void shouldDeliverTheResponseOnTheSendersTaskThread()
    {
        final RecordingService server = started("Server");
        final RecordingService client = started("Client");
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        server.behaviour = (self, request) -> samgr.sendResponse(request, new Response(new byte[] {9}));
        client.behaviour = (self, request) -> samgr.sendRequest(server.identity, new Request(2, 0),
            Fixtures.recordInto(deliveries));
        samgr.sendRequest(client.identity, new Request(1, 0), null);
        final Delivery delivery = Fixtures.poll(deliveries, "the response");
        assertSame(client.initThread, delivery.thread(), "a task sender gets its response on its own thread");
        assertArrayEquals(new byte[] {9}, delivery.response().data());
        assertTrue(server.initThread != client.initThread);
    }

    @Test
    void shouldSendTheAutomaticEmptyResponseWhenTheHandlerDoesNotAnswer()
    {
        final RecordingService server = started("Silent");
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        samgr.sendRequest(server.identity, new Request(1, 0), Fixtures.recordInto(deliveries));
        final Delivery delivery = Fixtures.poll(deliveries, "the automatic response");
        assertSame(Response.EMPTY, delivery.response());
        assertNull(delivery.response().data());
        assertEquals(ErrorCode.EC_SUCCESS, delivery.response().status());
    }

    @Test
    void shouldAnswerFailureWhenTheHandlerThrows()
    {
        final RecordingService server = started("Thrower");
        server.behaviour = (self, request) ->
        {
            if (1 == request.msgId())
            {
                throw new IllegalStateException("handler failure injected by the test");
            }
            if (2 == request.msgId())
            {
                throw new AssertionError("an Error injected by the test");
            }
        };
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        samgr.sendRequest(server.identity, new Request(1, 0), Fixtures.recordInto(deliveries));
        assertEquals(ErrorCode.EC_FAILURE, Fixtures.poll(deliveries, "the failure response").response().status());
        samgr.sendRequest(server.identity, new Request(2, 0), Fixtures.recordInto(deliveries));
        assertEquals(ErrorCode.EC_FAILURE, Fixtures.poll(deliveries, "the task survived").response().status());
        samgr.sendRequest(server.identity, new Request(3, 0), Fixtures.recordInto(deliveries));
        assertSame(Response.EMPTY, Fixtures.poll(deliveries, "the task survived an Error").response());
    }

    @Test
    void shouldRefuseToRespondWithoutAHandler()
    {
        final RecordingService server = started("NoHandler");
        final BlockingQueue<ErrorCode> results = new LinkedBlockingQueue<>();
        server.behaviour = (self, request) ->
        {
            results.add(samgr.sendResponse(request, new Response(new byte[1])));
            results.add(samgr.sendResponseByIdentity(self.identity, request, null));
        };
        samgr.sendRequest(server.identity, new Request(1, 0), null);
        assertEquals(ErrorCode.EC_INVALID, Fixtures.poll(results, "sendResponse's result"));
        assertEquals(ErrorCode.EC_INVALID, Fixtures.poll(results, "sendResponseByIdentity's result"));
        assertEquals(ErrorCode.EC_INVALID, samgr.sendResponse(new Request(1, 0), null), "not from samgr");
        assertEquals(ErrorCode.EC_INVALID, samgr.sendResponse(null, null));
    }

    @Test
    void shouldRespondToItself()
    {
        final RecordingService loop = started("Loop");
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        loop.behaviour = (self, request) ->
        {
            if (1 == request.msgId())
            {
                samgr.sendRequest(self.identity, new Request(2, 0), Fixtures.recordInto(deliveries));
            }
            else
            {
                samgr.sendResponse(request, new Response(new byte[] {2}));
            }
        };
        samgr.sendRequest(loop.identity, new Request(1, 0), null);
        final Delivery delivery = Fixtures.poll(deliveries, "the response to itself");
        assertSame(loop.initThread, delivery.thread());
        assertArrayEquals(new byte[] {2}, delivery.response().data());
    }

    @Test
    void shouldDeliverEveryRepeatedResponseAndNoAutomaticOne() throws InterruptedException
    {
        final RecordingService server = started("Repeat");
        server.behaviour = (self, request) ->
        {
            samgr.sendResponse(request, new Response(new byte[] {1}));
            samgr.sendResponse(request, new Response(new byte[] {2}));
        };
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        samgr.sendRequest(server.identity, new Request(1, 0), Fixtures.recordInto(deliveries));
        assertArrayEquals(new byte[] {1}, Fixtures.poll(deliveries, "first response").response().data());
        assertArrayEquals(new byte[] {2}, Fixtures.poll(deliveries, "second response").response().data());
        // A marker request through the same task proves nothing else was queued for the first one.
        samgr.sendRequest(server.identity, new Request(2, 0), Fixtures.recordInto(deliveries));
        assertArrayEquals(new byte[] {1}, Fixtures.poll(deliveries, "marker").response().data());
        assertArrayEquals(new byte[] {2}, Fixtures.poll(deliveries, "marker").response().data());
        assertNull(deliveries.poll(50, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldForwardAResponseToAnotherIdentitysThread()
    {
        final RecordingService server = started("Server");
        final RecordingService third = started("Third");
        server.behaviour = (self, request) -> assertEquals(ErrorCode.EC_SUCCESS,
            samgr.sendResponseByIdentity(third.identity, request, new Response(new byte[] {3})));
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        samgr.sendRequest(server.identity, new Request(1, 0), Fixtures.recordInto(deliveries));
        final Delivery delivery = Fixtures.poll(deliveries, "the forwarded response");
        assertSame(third.initThread, delivery.thread());
        assertArrayEquals(new byte[] {3}, delivery.response().data());
    }

    @Test
    void shouldRefuseForwardingToAStaleIdentity()
    {
        final RecordingService server = started("Server");
        final RecordingService gone = started("Gone");
        final Identity stale = gone.identity;
        samgr.unregisterService("Gone");
        final BlockingQueue<ErrorCode> results = new LinkedBlockingQueue<>();
        server.behaviour = (self, request) ->
        {
            results.add(samgr.sendResponseByIdentity(stale, request, null));
            results.add(samgr.sendResponseByIdentity(null, request, null));
        };
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        samgr.sendRequest(server.identity, new Request(1, 0), Fixtures.recordInto(deliveries));
        assertEquals(ErrorCode.EC_NOSERVICE, Fixtures.poll(results, "forwarding to a stale identity"));
        assertEquals(ErrorCode.EC_INVALID, Fixtures.poll(results, "forwarding to null"));
        assertSame(Response.EMPTY, Fixtures.poll(deliveries, "the automatic response").response(),
            "a refused forward leaves the request unanswered, so the automatic response follows");
    }
}
