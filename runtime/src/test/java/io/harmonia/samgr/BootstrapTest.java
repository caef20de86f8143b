package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.Fixtures.RecordingService;

/** The boot sequence: system, application and dynamic phases with their notifications. */
@Timeout(60)
class BootstrapTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldRunThePhasesInOrderAndInitialiseAppServicesRegisteredBySystemListeners()
    {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Thread> listenerThreads = new CopyOnWriteArrayList<>();
        final RecordingService system = new RecordingService("SysSvc", TaskConfig.single(TaskConfig.PRI_NORMAL, 4))
        {
            @Override
            public void initialize(final Identity serviceIdentity)
            {
                events.add("init SysSvc");
                super.initialize(serviceIdentity);
            }
        };
        final RecordingService app = new RecordingService("AppSvc", TaskConfig.single(TaskConfig.PRI_NORMAL, 4))
        {
            @Override
            public void initialize(final Identity serviceIdentity)
            {
                events.add("init AppSvc");
                super.initialize(serviceIdentity);
            }
        };
        final CountDownLatch appPhase = new CountDownLatch(1);
        samgr.registerService(system);
        samgr.addBootListener(phase ->
        {
            events.add("completed " + phase);
            listenerThreads.add(Thread.currentThread());
            if (BootPhase.SYSTEM == phase)
            {
                samgr.registerService(app); // an application service, as INIT_APP_CALL registers them
            }
            if (BootPhase.APP == phase)
            {
                appPhase.countDown();
            }
        });
        assertEquals(BootStatus.BOOT_SYS, samgr.bootStatus());
        samgr.bootstrap();
        Fixtures.await(appPhase, "the application phase");
        Fixtures.until(() -> BootStatus.BOOT_DYNAMIC_WAIT == samgr.bootStatus(), "the dynamic phase");
        assertEquals(List.of("init SysSvc", "completed SYSTEM", "init AppSvc", "completed APP"), events);
        assertSame(listenerThreads.get(0), listenerThreads.get(1));
        assertTrue(listenerThreads.get(0).getName().endsWith("-" + Samgr.BOOTSTRAP_SERVICE),
            "listeners run on the Bootstrap task: " + listenerThreads.get(0).getName());
    }

    @Test
    void shouldInitialiseLaterServicesOnEachFurtherBootstrapAndReportIt() throws InterruptedException
    {
        Fixtures.bootFully(samgr);
        final BlockingQueue<BootPhase> phases = new LinkedBlockingQueue<>();
        samgr.addBootListener(phases::add);
        final RecordingService late = new RecordingService("Late", TaskConfig.shared(TaskConfig.PRI_LOW));
        samgr.registerService(late);
        samgr.bootstrap();
        Fixtures.await(late.initialised, "Late initialised");
        assertEquals(BootPhase.DYNAMIC, Fixtures.poll(phases, "the dynamic completion"));
        final RecordingService later = new RecordingService("Later", TaskConfig.noTask());
        samgr.registerService(later);
        samgr.bootstrap();
        assertSame(Thread.currentThread(), later.initThread);
        assertEquals(BootPhase.DYNAMIC, Fixtures.poll(phases, "the second dynamic completion"));
        samgr.bootstrap();
        assertEquals(null, phases.poll(100, TimeUnit.MILLISECONDS), "nothing new: nothing to report");
        assertEquals(1, late.initCount.get());
        assertEquals(BootStatus.BOOT_DYNAMIC_WAIT, samgr.bootStatus());
    }

    @Test
    void shouldCompleteTheBootWhenAServiceFailsToInitialise()
    {
        samgr.registerService(new RecordingService("Broken", TaskConfig.shared(TaskConfig.PRI_NORMAL))
        {
            @Override
            public void initialize(final Identity serviceIdentity)
            {
                throw new IllegalStateException("initialisation failure injected by the test");
            }
        });
        Fixtures.bootFully(samgr);
    }

    @Test
    void shouldCompleteThePhaseWhenTheLastUninitialisedServiceLeaves() throws InterruptedException
    {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final RecordingService blocker = new RecordingService("Blocker", TaskConfig.single(TaskConfig.PRI_LOW, 2))
        {
            @Override
            public void initialize(final Identity serviceIdentity)
            {
                blocked.countDown();
                Fixtures.await(gate, "the gate");
                super.initialize(serviceIdentity);
            }
        };
        samgr.registerService(blocker);
        final BlockingQueue<BootPhase> phases = new LinkedBlockingQueue<>();
        samgr.addBootListener(phases::add);
        samgr.bootstrap();
        Fixtures.await(blocked, "Blocker's initialisation to start");
        samgr.registerService(new RecordingService("Never", TaskConfig.shared(TaskConfig.PRI_LOW)));
        gate.countDown();
        Fixtures.await(blocker.initialised, "Blocker initialised");
        assertEquals(null, phases.poll(100, TimeUnit.MILLISECONDS),
            "Never is registered but not initialised: the system phase is not complete");
        samgr.unregisterService("Never");
        assertEquals(BootPhase.SYSTEM, Fixtures.poll(phases, "the system phase once Never left"));
        assertEquals(BootPhase.APP, Fixtures.poll(phases, "the application phase"));
    }

    @Test
    void shouldSkipTheInitialisationOfAServiceThatLeftBeforeItsTurn()
    {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final TaskConfig sharedTask = TaskConfig.shared(TaskConfig.PRI_LOW);
        final RecordingService first = new RecordingService("First", sharedTask)
        {
            @Override
            public void initialize(final Identity serviceIdentity)
            {
                blocked.countDown();
                Fixtures.await(gate, "the gate");
                super.initialize(serviceIdentity);
            }
        };
        final RecordingService second = new RecordingService("Second", sharedTask);
        samgr.registerService(first);
        samgr.registerService(second);
        final BlockingQueue<BootPhase> phases = new LinkedBlockingQueue<>();
        samgr.addBootListener(phases::add);
        samgr.bootstrap();
        Fixtures.await(blocked, "First's initialisation to start");
        samgr.unregisterService("Second"); // its initialisation is queued behind First's on the shared task
        gate.countDown();
        assertEquals(BootPhase.SYSTEM, Fixtures.poll(phases, "the system phase"));
        assertEquals(0, second.initCount.get(), "Second left before its turn and was never initialised");
        assertEquals(1, first.initCount.get());
    }
}
