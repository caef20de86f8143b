package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingService;
import io.harmonia.samgr.broadcast.Broadcast;
import io.harmonia.samgr.broadcast.Consumer;
import io.harmonia.samgr.broadcast.PubSubInterface;

/** The ground of OpenHarmony's TaskpoolSpecifiedTaskTest. */
@Timeout(60)
class TaskPoolSpecifiedTaskTest
{
    private static final TaskConfig SPECIFIED = new TaskConfig(TaskConfig.LEVEL_MIDDLE, TaskConfig.PRI_NORMAL, 0x400,
        12, TaskType.SPECIFIED_TASK);

    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    private RecordingService register(final String name, final TaskConfig config)
    {
        final RecordingService service = new RecordingService(name, config);
        samgr.registerService(service);
        return service;
    }

    @Test
    void shouldShareTheThreadOfAnIdenticalConfigOnly()
    {
        final RecordingService a = register("A", SPECIFIED);
        final RecordingService b = register("B", SPECIFIED);
        final RecordingService otherQueue = register("OtherQueue", new TaskConfig(TaskConfig.LEVEL_MIDDLE,
            TaskConfig.PRI_NORMAL, 0x400, 13, TaskType.SPECIFIED_TASK));
        final RecordingService otherLevel = register("OtherLevel", new TaskConfig(TaskConfig.LEVEL_LOW,
            TaskConfig.PRI_NORMAL, 0x400, 12, TaskType.SPECIFIED_TASK));
        final RecordingService single = register("Single", new TaskConfig(TaskConfig.LEVEL_MIDDLE,
            TaskConfig.PRI_NORMAL, 0x400, 12, TaskType.SINGLE_TASK));
        Fixtures.bootstrapAndWait(samgr, a, b, otherQueue, otherLevel, single);
        assertSame(a.initThread, b.initThread, "identical configs share");
        assertNotSame(a.initThread, otherQueue.initThread);
        assertNotSame(a.initThread, otherLevel.initThread);
        assertNotSame(a.initThread, single.initThread, "a single task never shares");
        samgr.sendRequest(b.identity, new Request(1, 0), null);
        Fixtures.poll(b.received, "B's message");
        assertSame(a.initThread, b.handlerThreads.get(0));
    }

    @Test
    void shouldShareTheBroadcastThreadWhenTheConfigIsIdentical()
    {
        final RecordingService twin = register("Twin", new TaskConfig(TaskConfig.LEVEL_HIGH,
            TaskConfig.PRI_ABOVE_NORMAL, 0x800, 40, TaskType.SPECIFIED_TASK));
        final RecordingService marker = register("Marker", TaskConfig.shared(TaskConfig.PRI_NORMAL));
        Fixtures.bootstrapAndWait(samgr, twin, marker);
        final List<Thread> notified = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        final PubSubInterface pubSub = Broadcast.pubSub(samgr);
        pubSub.subscriber().addTopic(1);
        pubSub.subscriber().subscribe(1, new Consumer()
        {
            @Override
            public Identity identity()
            {
                return null; // notified on the Broadcast task
            }

            @Override
            public void notify(final int topic, final Request request)
            {
                notified.add(Thread.currentThread());
                done.countDown();
            }
        });
        pubSub.provider().publish(1, null);
        Fixtures.await(done, "the notification on the Broadcast task");
        assertSame(twin.initThread, notified.get(0), "Broadcast's config is {HIGH, ABOVE_NORMAL, 0x800, 40}");
        pubSub.release();
    }

    @Test
    void shouldStartAnotherSpecifiedPoolAfterFifteenServices()
    {
        final List<RecordingService> services = new ArrayList<>();
        for (int i = 0; i <= Samgr.MAX_SERVICES_PER_TASK; i++)
        {
            services.add(register("Spec" + i, SPECIFIED));
        }
        Fixtures.bootstrapAndWait(samgr, services.toArray(RecordingService[]::new));
        for (int i = 1; i < Samgr.MAX_SERVICES_PER_TASK; i++)
        {
            assertSame(services.get(0).initThread, services.get(i).initThread, "service " + i);
        }
        assertNotSame(services.get(0).initThread, services.get(Samgr.MAX_SERVICES_PER_TASK).initThread);
    }
}
