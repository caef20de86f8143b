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
    private RecordingService cycleService(final TaskConfig config)
    {
        final RecordingService service = new RecordingService("Cycle", config);
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
            final RecordingService service = cycleService(TaskConfig.shared(TaskConfig.PRI_NORMAL));
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
        for (int i = 0; i < CYCLES; i++)
        {
            final RecordingService service = cycleService(CONFIGS[i % CONFIGS.length]);
            final RecordingFeature feature = new RecordingFeature("Feat");
            final EchoImpl featureApi = new EchoImpl();
            final EchoImpl defaultApi = new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION);
            samgr.registerService(service);
            samgr.registerFeature("Cycle", feature);
            samgr.registerFeatureApi("Cycle", "Feat", featureApi);
            samgr.registerDefaultFeatureApi("Cycle", defaultApi);
            samgr.bootstrap();
            Fixtures.await(service.initialised, "cycle " + i + " initialised");

            if (service.identity.hasQueue())
            {
                final CountDownLatch answered = new CountDownLatch(1);
                assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(1, payload, i),
                    (request, response) -> answered.countDown()));
                Fixtures.await(answered, "cycle " + i + " response");
            }

            assertSame(featureApi, samgr.unregisterFeatureApi("Cycle", "Feat"));
            assertSame(feature, samgr.unregisterFeature("Cycle", "Feat"));
            assertSame(defaultApi, samgr.unregisterDefaultFeatureApi("Cycle"));
            assertSame(service, samgr.unregisterService("Cycle"));
            assertEquals(0, feature.stopped.getCount(), "onStop ran");
            if (0 == i % 3) // 3 and the 5 configs are coprime: every kind of task is sampled
            {
                gone.add(new WeakReference<>(service));
                gone.add(new WeakReference<>(feature));
                gone.add(new WeakReference<>(featureApi));
                gone.add(new WeakReference<>(defaultApi));
                gone.add(new WeakReference<>(service.identity));
            }
        }
        assertEquals(services, samgr.serviceCount());
        assertTrue(samgr.serviceSlotCount() <= services + SlotVector.GROW_STEP, "slots are reused");
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
