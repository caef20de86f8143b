package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.EchoImpl;
import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;

/**
 * 10,000 register/unregister cycles leave nothing behind. "Nothing" is measured three ways that can each fail: the
 * registry's counts return to where they started, the task threads end, and every service, feature and API object
 * of every cycle becomes unreachable (weak references are cleared by the garbage collector).
 */
@Timeout(180)
class RegistryLeakTest
{
    private static final int CYCLES = 10_000;
    private static final int BATCH = 10;
    /** Every kind of task in turn; single and specified tasks start (and must end) a thread per cycle. */
    private static final TaskConfig[] CONFIGS = {
        TaskConfig.single(TaskConfig.PRI_NORMAL, 4),
        TaskConfig.shared(TaskConfig.PRI_LOW),
        new TaskConfig(TaskConfig.LEVEL_LOW, TaskConfig.PRI_NORMAL, 0x800, 4, TaskType.SPECIFIED_TASK),
        TaskConfig.shared(TaskConfig.PRI_NORMAL),
        TaskConfig.noTask(),
    };

    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    /** A service for the cycles: it answers every request with the request's data. */
    private RecordingService cycleService(final String name, final TaskConfig config)
    {
        final RecordingService service = new RecordingService(name, config);
        service.behaviour = (self, request) -> samgr.sendResponse(request, new Response(request.data()));
        return service;
    }

    @Test
    void shouldLeaveNothingBehindAfterRegisterAndUnregisterCycles()
    {
        final int services = samgr.serviceCount();
        final List<WeakReference<Object>> gone = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++)
        {
            final RecordingService service = cycleService("Cycle", TaskConfig.shared(TaskConfig.PRI_NORMAL));
            samgr.registerService(service);
            assertSame(service, samgr.unregisterService("Cycle"));
            gone.add(new WeakReference<>(service));
        }
        assertEquals(services, samgr.serviceCount());
        assertTrue(samgr.serviceSlotCount() <= services + SlotVector.GROW_STEP, "slots are reused");
        awaitCollected(gone);
    }

    @Test
    void shouldLeaveNoThreadOrObjectBehindAfterFullLifecycles()
    {
        Fixtures.bootFully(samgr);
        final int services = samgr.serviceCount();
        final int tasks = samgr.taskCount();
        final long threads = liveTaskThreads();
        final List<WeakReference<Object>> gone = new ArrayList<>();
        final byte[] payload = {1, 2, 3};
        // Services come and go BATCH at a time, so their initialisations, requests and stops overlap.
        for (int cycle = 0; cycle < CYCLES; cycle += BATCH)
        {
            final List<RecordingService> batch = new ArrayList<>();
            final List<RecordingFeature> features = new ArrayList<>();
            for (int j = 0; j < BATCH; j++)
            {
                final RecordingService service = cycleService("Cycle" + j, CONFIGS[(cycle + j) % CONFIGS.length]);
                final RecordingFeature feature = new RecordingFeature("Feat");
                samgr.registerService(service);
                samgr.registerFeature(service.name, feature);
                samgr.registerFeatureApi(service.name, "Feat", new EchoImpl());
                samgr.registerDefaultFeatureApi(service.name, new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION));
                batch.add(service);
                features.add(feature);
            }
            samgr.bootstrap();
            final CountDownLatch answered = new CountDownLatch(BATCH);
            for (final RecordingService service : batch)
            {
                Fixtures.await(service.initialised, "cycle " + cycle + ": " + service.name + " initialised");
                if (service.identity.hasQueue())
                {
                    assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity,
                        new Request(1, payload, cycle), (request, response) -> answered.countDown()));
                }
                else
                {
                    answered.countDown();
                }
            }
            Fixtures.await(answered, "cycle " + cycle + " responses");
            for (int j = 0; j < BATCH; j++)
            {
                final RecordingService service = batch.get(j);
                final RecordingFeature feature = features.get(j);
                final IUnknown featureApi = samgr.unregisterFeatureApi(service.name, "Feat");
                assertSame(feature, samgr.unregisterFeature(service.name, "Feat"));
                final IUnknown defaultApi = samgr.unregisterDefaultFeatureApi(service.name);
                assertSame(service, samgr.unregisterService(service.name));
                assertEquals(0, feature.stopped.getCount(), "onStop ran");
                if (0 == (cycle / BATCH + j) % 3) // every kind of task is sampled
                {
                    gone.add(new WeakReference<>(service));
                    gone.add(new WeakReference<>(feature));
                    gone.add(new WeakReference<>(featureApi));
                    gone.add(new WeakReference<>(defaultApi));
                    gone.add(new WeakReference<>(service.identity));
                }
            }
        }
        assertEquals(services, samgr.serviceCount());
        assertTrue(samgr.serviceSlotCount() <= services + BATCH + SlotVector.GROW_STEP, "slots are reused");
        Fixtures.until(() -> tasks == samgr.taskCount(), "every cycle's task to end");
        Fixtures.until(() -> threads == liveTaskThreads(), "every cycle's thread to end");
        awaitCollected(gone);
    }

    private long liveTaskThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(samgr.threadNamePrefix()))
            .count();
    }

    private static void awaitCollected(final List<WeakReference<Object>> references)
    {
        Fixtures.until(() ->
        {
            System.gc();
            return references.stream().allMatch(reference -> null == reference.get());
        }, "every cycle's objects to be collected (" + references.stream().filter(r -> null != r.get()).count()
            + " of " + references.size() + " still reachable before the wait)");
    }
}
