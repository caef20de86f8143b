package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.Delivery;
import io.harmonia.samgr.Fixtures.EchoApi;
import io.harmonia.samgr.Fixtures.EchoImpl;
import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's SendRequestTest, plus identities that outlive their service. */
@Timeout(60)
class SendRequestTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    private RecordingService started(final String name, final TaskConfig config, final RecordingFeature... features)
    {
        final RecordingService service = new RecordingService(name, config);
        samgr.registerService(service);
        for (final RecordingFeature feature : features)
        {
            samgr.registerFeature(name, feature);
        }
        Fixtures.bootstrapAndWait(samgr, service);
        for (final RecordingFeature feature : features)
        {
            Fixtures.await(feature.initialised, feature.getName() + " initialised");
        }
        return service;
    }

    @Test
    void shouldCallAnApiSynchronouslyOnTheCallersThread()
    {
        final Thread[] ranOn = new Thread[1];
        samgr.registerService(new RecordingService("Sync", TaskConfig.noTask()));
        samgr.registerDefaultFeatureApi("Sync", new EchoImpl()
        {
            @Override
            public String echo(final String text)
            {
                ranOn[0] = Thread.currentThread();
                return text + "!";
            }
        });
        final EchoApi api = samgr.getDefaultFeatureApi("Sync").queryInterface(IUnknown.DEFAULT_VERSION, EchoApi.class);
        assertEquals("call!", api.echo("call"));
        assertSame(Thread.currentThread(), ranOn[0]);
        api.release();
    }

    @Test
    void shouldSendFromOneFeatureToAnotherAndToItself()
    {
        final RecordingFeature sender = new RecordingFeature("Sender");
        final RecordingFeature receiver = new RecordingFeature("Receiver");
        started("Pair", TaskConfig.single(TaskConfig.PRI_NORMAL, 10), sender, receiver);
        sender.behaviour = (feature, request) ->
        {
            if (1 == request.msgId())
            {
                samgr.sendRequest(receiver.identity, new Request(10, 0), null);
                samgr.sendRequest(feature.identity, new Request(2, 0), null);
            }
        };
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(sender.identity, new Request(1, 0), null));
        assertEquals(10, Fixtures.poll(receiver.received, "the other feature's message").msgId());
        assertEquals(1, Fixtures.poll(sender.received, "the kick-off").msgId());
        assertEquals(2, Fixtures.poll(sender.received, "the message to itself").msgId());
    }

    @Test
    void shouldRefuseIdentitiesThatAddressNothing()
    {
        final RecordingService service = started("Target", TaskConfig.shared(TaskConfig.PRI_NORMAL));
        final Identity nowhere = new Identity(samgr, -1, -200, 0, null);
        assertEquals(ErrorCode.EC_INVALID, samgr.sendRequest(nowhere, new Request(1, 0), null));
        final Identity badSlot = new Identity(samgr, 999, -1, 1, service.identity.queue());
        assertEquals(ErrorCode.EC_NOSERVICE, samgr.sendRequest(badSlot, new Request(1, 0), null));
        final Identity badFeature = new Identity(samgr, service.identity.serviceId(), 5,
            service.identity.generation(), service.identity.queue());
        assertEquals(ErrorCode.EC_NOSERVICE, samgr.sendRequest(badFeature, new Request(1, 0), null));
        assertEquals(ErrorCode.EC_INVALID, samgr.sendRequest(null, new Request(1, 0), null));
        assertEquals(ErrorCode.EC_INVALID, samgr.sendRequest(service.identity, null, null));
        try (Samgr other = Samgr.create())
        {
            assertEquals(ErrorCode.EC_INVALID, other.sendRequest(service.identity, new Request(1, 0), null),
                "an identity of another samgr");
        }
        assertTrue(service.received.isEmpty());
    }

    @Test
    void shouldCarryDataOfZeroToMaximumLength()
    {
        final RecordingService service = started("Data", TaskConfig.single(TaskConfig.PRI_NORMAL, 4));
        final byte[] max = new byte[Request.MAX_DATA_LENGTH];
        max[max.length - 1] = 42;
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(1, new byte[0], 7), null));
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(2, max, -1), null));
        final Request empty = Fixtures.poll(service.received, "the empty request");
        assertEquals(0, empty.length());
        assertEquals(7, empty.msgValue());
        final Request full = Fixtures.poll(service.received, "the full request");
        assertSame(max, full.data(), "data travels by reference, not copied");
        assertEquals(4294967295L, Integer.toUnsignedLong(full.msgValue()));
        assertThrows(IllegalArgumentException.class, () -> new Request(1, new byte[Request.MAX_DATA_LENGTH + 1], 0));
        assertThrows(IllegalArgumentException.class, () -> new Request(32768, 0));
        assertThrows(IllegalArgumentException.class, () -> new Request(-32769, 0));
        assertNull(new Request(-32768, 0).data());
    }

    @Test
    void shouldHandTheResponseToTheHandlerForEveryRequest()
    {
        final RecordingService service = started("Resp", TaskConfig.single(TaskConfig.PRI_NORMAL, 64));
        service.behaviour = (self, request) -> samgr.sendResponse(request, new Response(new byte[] {
            (byte)request.msgId()}));
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final int count = 1000;
        int sent = 0;
        while (sent < count)
        {
            final ErrorCode result = samgr.sendRequest(service.identity, new Request(sent % 100, 0),
                Fixtures.recordInto(deliveries));
            if (ErrorCode.EC_SUCCESS == result)
            {
                sent++;
            }
            else
            {
                assertEquals(ErrorCode.EC_BUSBUSY, result);
                Thread.onSpinWait();
            }
        }
        for (int i = 0; i < count; i++)
        {
            final Delivery delivery = Fixtures.poll(deliveries, "response " + i);
            assertArrayEquals(new byte[] {(byte)(i % 100)}, delivery.response().data(), "FIFO order");
            assertEquals(i % 100, delivery.request().msgId());
        }
        assertEquals(count, service.received.size());
        assertTrue(deliveries.isEmpty(), "exactly one response per request");
    }

    @Test
    void shouldNeverDeliverAStaleIdentityToTheServiceThatReusedItsSlot() throws InterruptedException
    {
        // Slots 0 and 1 are samgr's own; Old and Filler fill the vector, so the next service reuses a freed slot.
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final RecordingService old = started("Old", TaskConfig.single(TaskConfig.PRI_NORMAL, 4));
        started("Filler", TaskConfig.single(TaskConfig.PRI_NORMAL, 4));
        old.behaviour = (self, request) ->
        {
            if (1 == request.msgId())
            {
                blocked.countDown();
                Fixtures.await(release, "the test to release the old service");
            }
        };
        final Identity stale = old.identity;
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(stale, new Request(1, 0), null));
        Fixtures.await(blocked, "the old service to block");
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(stale, new Request(2, 0),
            Fixtures.recordInto(deliveries)), "queued while Old is still registered");

        samgr.unregisterService("Old");
        final RecordingService reuser = started("Reuser", TaskConfig.single(TaskConfig.PRI_NORMAL, 4));
        assertEquals(stale.serviceId(), reuser.identity.serviceId(), "the slot was reused");
        assertTrue(stale.generation() != reuser.identity.generation());
        assertEquals(ErrorCode.EC_NOSERVICE, samgr.sendRequest(stale, new Request(3, 0), null));
        release.countDown();

        final Delivery answer = Fixtures.poll(deliveries, "the answer to the request queued before unregister");
        assertEquals(ErrorCode.EC_NOSERVICE, answer.response().status());
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(reuser.identity, new Request(4, 0), null));
        assertEquals(4, Fixtures.poll(reuser.received, "the reuser's own message").msgId());
        assertTrue(reuser.received.isEmpty(), "nothing addressed to Old reached Reuser");
        assertEquals(1, old.received.size(), "Old saw only its first message");
    }
}
