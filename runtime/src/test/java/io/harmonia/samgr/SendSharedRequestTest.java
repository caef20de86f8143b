package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.Delivery;
import io.harmonia.samgr.Fixtures.RecordingService;

/** The ground of OpenHarmony's SendShareRequestTest: shared and direct-shared requests with reference counts. */
@Timeout(60)
class SendSharedRequestTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    private RecordingService started(final String name, final int queueSize)
    {
        final RecordingService service = new RecordingService(name,
            TaskConfig.single(TaskConfig.PRI_NORMAL, queueSize));
        samgr.registerService(service);
        Fixtures.bootstrapAndWait(samgr, service);
        return service;
    }

    @Test
    void shouldReleaseOnceAfterTheLastCopyWasProcessed()
    {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger releases = new AtomicInteger();
        final List<Thread> releasedOn = new CopyOnWriteArrayList<>();
        final List<RecordingService> targets = List.of(started("T1", 4), started("T2", 4), started("T3", 4));
        for (final RecordingService target : targets)
        {
            target.behaviour = (self, request) -> Fixtures.await(gate, "the gate");
        }
        final SharedRef ref = new SharedRef(() ->
        {
            releases.incrementAndGet();
            releasedOn.add(Thread.currentThread());
        });
        final Request request = new Request(5, new byte[] {1, 2, 3}, 0);
        for (final RecordingService target : targets)
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendSharedRequest(target.identity, request, ref, null));
        }
        assertEquals(4, ref.count(), "the creator plus three queued copies");
        ref.release();
        assertEquals(3, ref.count());
        assertFalse(ref.isReleased());
        gate.countDown();
        // isReleased() turns true before the release action has finished running: wait for the action itself.
        Fixtures.until(() -> 1 == releasedOn.size(), "every copy processed and the release action run");
        assertTrue(ref.isReleased());
        assertEquals(1, releases.get());
        assertTrue(targets.stream().anyMatch(target -> target.initThread == releasedOn.get(0)),
            "released on the task that processed the last copy");
        for (final RecordingService target : targets)
        {
            assertSame(request.data(), Fixtures.poll(target.received, "a copy").data(), "copies share the data");
        }
        assertThrows(IllegalStateException.class, ref::release);
    }

    @Test
    void shouldHoldTheReferenceUntilTheResponseWasHandled()
    {
        final RecordingService server = started("Server", 4);
        server.behaviour = (self, request) -> samgr.sendResponse(request, new Response(new byte[] {7}));
        final RecordingService client = started("Client", 4);
        final List<String> order = new CopyOnWriteArrayList<>();
        final SharedRef ref = new SharedRef(() -> order.add("released"));
        client.behaviour = (self, request) ->
        {
            samgr.sendSharedRequest(server.identity, new Request(1, new byte[] {1}, 0), ref,
                (req, resp) -> order.add("handled " + resp.data()[0]));
            ref.release();
        };
        samgr.sendRequest(client.identity, new Request(0, 0), null);
        // isReleased() turns true before the release action has finished running: wait for the action itself.
        Fixtures.until(() -> order.contains("released"), "the shared count to reach zero and the action to run");
        assertTrue(ref.isReleased());
        assertEquals(List.of("handled 7", "released"), order);
    }

    @Test
    void shouldRunADirectRequestOnTheTargetTaskWithoutTheService()
    {
        final RecordingService target = started("Direct", 4);
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final Response given = new Response(new byte[] {4});
        try (SharedRef ref = new SharedRef(null))
        {
            assertEquals(ErrorCode.EC_SUCCESS, samgr.sendSharedDirectRequest(target.identity, new Request(3, 33),
                given, ref, Fixtures.recordInto(deliveries)));
        }
        final Delivery delivery = Fixtures.poll(deliveries, "the direct handler");
        assertSame(target.initThread, delivery.thread());
        assertSame(given, delivery.response());
        assertEquals(33, delivery.request().msgValue());
        assertTrue(target.received.isEmpty(), "a direct request bypasses messageHandle");
        assertEquals(ErrorCode.EC_INVALID, samgr.sendResponse(delivery.request(), null),
            "a direct request cannot be answered");
    }

    @Test
    void shouldRefuseMissingHandlersAndReferences()
    {
        final RecordingService target = started("Target", 4);
        final SharedRef ref = new SharedRef(null);
        assertEquals(ErrorCode.EC_INVALID, samgr.sendSharedDirectRequest(target.identity, null, null, ref, null));
        assertEquals(ErrorCode.EC_INVALID, samgr.sendSharedDirectRequest(target.identity, null, null, null,
            (req, resp) -> { }));
        assertEquals(ErrorCode.EC_INVALID, samgr.sendSharedRequest(target.identity, new Request(1, 0), null, null));
        assertEquals(1, ref.count());
        ref.release();
        assertEquals(ErrorCode.EC_INVALID, samgr.sendSharedRequest(target.identity, new Request(1, 0), ref, null),
            "a released count accepts no new copy");
    }

    @Test
    void shouldDropTheCopysReferenceWhenTheQueueRefusesIt()
    {
        final RecordingService target = started("Narrow", 1);
        final CountDownLatch gate = Fixtures.blockTask(samgr, target);
        final SharedRef ref = new SharedRef(null);
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendSharedRequest(target.identity, new Request(2, 0), ref, null));
        assertEquals(ErrorCode.EC_BUSBUSY, samgr.sendSharedRequest(target.identity, new Request(3, 0), ref, null));
        assertEquals(ErrorCode.EC_BUSBUSY, samgr.sendSharedDirectRequest(target.identity, null, null, ref,
            (req, resp) -> { }));
        assertEquals(2, ref.count(), "the creator and the queued copy; the refused ones gave theirs back");
        ref.release();
        gate.countDown();
        Fixtures.until(ref::isReleased, "the queued copy processed");
        Fixtures.until(() -> 2 == target.received.size(), "both messages recorded");
    }
}
