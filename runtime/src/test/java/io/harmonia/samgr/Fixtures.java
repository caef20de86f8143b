package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/** Services, features and waits shared by the samgr tests. Waits are generous: the machine may be loaded. */
final class Fixtures
{
    /** Upper bound of every wait; a healthy run takes milliseconds. */
    static final long WAIT_SECONDS = 20;

    private Fixtures()
    {
    }

    static void await(final CountDownLatch latch, final String what)
    {
        try
        {
            assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }

    static <T> T poll(final BlockingQueue<T> queue, final String what)
    {
        try
        {
            final T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (null == value)
            {
                fail("timed out waiting for " + what);
            }
            return value;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, ex);
        }
    }

    static void until(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting until " + what);
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted waiting until " + what);
            }
        }
    }

    /** Bootstraps and waits until the named services are initialised. */
    static void bootstrapAndWait(final Samgr samgr, final RecordingService... services)
    {
        samgr.bootstrap();
        for (final RecordingService service : services)
        {
            await(service.initialised, service.getName() + " initialised");
        }
    }

    /**
     * Blocks a service's task inside a message (msgId 0, sent now) until the returned gate opens; the message is
     * recorded once it is released. Returns once the task is blocked, so the queue is empty and the next messages
     * wait in it.
     */
    static CountDownLatch blockTask(final Samgr samgr, final RecordingService service)
    {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch busy = new CountDownLatch(1);
        final BiConsumer<RecordingService, Request> previous = service.behaviour;
        service.behaviour = (self, request) ->
        {
            if (0 == request.msgId() && busy.getCount() > 0)
            {
                busy.countDown();
                await(gate, "the gate");
            }
            else
            {
                previous.accept(self, request);
            }
        };
        assertEquals(ErrorCode.EC_SUCCESS, samgr.sendRequest(service.identity, new Request(0, 0), null));
        await(busy, "the task to block");
        return gate;
    }

    /** Bootstraps and waits until the system phase (which includes the Broadcast service) has completed. */
    static Samgr bootedToSystemPhase(final Samgr samgr)
    {
        final CountDownLatch systemDone = new CountDownLatch(1);
        samgr.addBootListener(phase ->
        {
            if (BootPhase.SYSTEM == phase)
            {
                systemDone.countDown();
            }
        });
        samgr.bootstrap();
        await(systemDone, "the system boot phase");
        return samgr;
    }

    /** Runs the whole boot sequence (system and application phases) and waits until it settles. */
    static void bootFully(final Samgr samgr)
    {
        final CountDownLatch appDone = new CountDownLatch(1);
        final BootListener listener = phase ->
        {
            if (BootPhase.APP == phase)
            {
                appDone.countDown();
            }
        };
        samgr.addBootListener(listener);
        samgr.bootstrap();
        await(appDone, "the application phase to complete");
        until(() -> BootStatus.BOOT_DYNAMIC_WAIT == samgr.bootStatus(), "the dynamic phase");
        samgr.removeBootListener(listener);
    }

    /** A service that records what happens to it and on which thread. */
    static class RecordingService implements Service
    {
        final String name;
        final TaskConfig config;
        final CountDownLatch initialised = new CountDownLatch(1);
        final AtomicInteger initCount = new AtomicInteger();
        final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
        final List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        volatile Identity identity;
        volatile Thread initThread;
        /** What to do with a request besides recording it; runs on the task thread. */
        volatile BiConsumer<RecordingService, Request> behaviour = (service, request) ->
        {
        };

        RecordingService(final String name, final TaskConfig config)
        {
            this.name = name;
            this.config = config;
        }

        @Override
        public String getName()
        {
            return name;
        }

        @Override
        public void initialize(final Identity serviceIdentity)
        {
            identity = serviceIdentity;
            initThread = Thread.currentThread();
            initCount.incrementAndGet();
            initialised.countDown();
        }

        @Override
        public void messageHandle(final Request request)
        {
            handlerThreads.add(Thread.currentThread());
            behaviour.accept(this, request);
            received.add(request);
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return config;
        }
    }

    /** A feature that records what happens to it and on which thread. */
    static class RecordingFeature implements Feature
    {
        final String name;
        final CountDownLatch initialised = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
        final List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        volatile Identity identity;
        volatile Service parent;
        volatile Thread initThread;
        volatile Thread stopThread;
        volatile BiConsumer<RecordingFeature, Request> behaviour = (feature, request) ->
        {
        };

        RecordingFeature(final String name)
        {
            this.name = name;
        }

        @Override
        public String getName()
        {
            return name;
        }

        @Override
        public void onInitialize(final Service parentService, final Identity featureIdentity)
        {
            parent = parentService;
            identity = featureIdentity;
            initThread = Thread.currentThread();
            initialised.countDown();
        }

        @Override
        public void onStop(final Identity serviceIdentity)
        {
            stopThread = Thread.currentThread();
            stopped.countDown();
        }

        @Override
        public void onMessage(final Request request)
        {
            handlerThreads.add(Thread.currentThread());
            behaviour.accept(this, request);
            received.add(request);
        }
    }

    /** A published API. */
    interface EchoApi extends IUnknown
    {
        String echo(String text);
    }

    static class EchoImpl extends IUnknownEntry implements EchoApi
    {
        EchoImpl()
        {
            super(DEFAULT_VERSION);
        }

        EchoImpl(final int version)
        {
            super(version);
        }

        @Override
        public String echo(final String text)
        {
            return text;
        }
    }

    /** Records responses with the thread that handled them. */
    record Delivery(Request request, Response response, Thread thread)
    {
    }

    static Handler recordInto(final BlockingQueue<Delivery> deliveries)
    {
        return (request, response) -> deliveries.add(new Delivery(request, response, Thread.currentThread()));
    }
}
