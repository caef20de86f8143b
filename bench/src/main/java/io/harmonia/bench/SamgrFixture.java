package io.harmonia.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.harmonia.samgr.BootPhase;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.Handler;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;
import io.harmonia.samgr.Identity;
import io.harmonia.samgr.Request;
import io.harmonia.samgr.Response;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.Service;
import io.harmonia.samgr.TaskConfig;

/**
 * The samgr set-up the samgr benchmarks share: a server service that answers every request, a client service that
 * runs bursts of round trips from its own task, and a service with a feature API to look up.
 */
final class SamgrFixture
{
    /** Round trips per benchmark invocation, so the start and the final wake-up are amortised. */
    static final int BURST = 1_000;

    final Samgr samgr = Samgr.create();
    final Request ping = new Request(2, new byte[] {1, 2, 3, 4}, 0);
    final Response pong = new Response(new byte[] {4, 3, 2, 1});
    final PingServer server = new PingServer(samgr, pong);
    final PingClient client = new PingClient(samgr, server, ping);
    final IUnknown echoApi = new IUnknownEntry(IUnknown.DEFAULT_VERSION)
    {
    };

    SamgrFixture() throws InterruptedException
    {
        samgr.registerService(server);
        samgr.registerService(client);
        samgr.registerService(new EchoService());
        samgr.registerFeature("EchoService", new EchoFeature());
        samgr.registerFeatureApi("EchoService", "Echo", echoApi);
        final CountDownLatch booted = new CountDownLatch(1);
        samgr.addBootListener(phase ->
        {
            if (BootPhase.APP == phase)
            {
                booted.countDown();
            }
        });
        samgr.bootstrap();
        if (!booted.await(30, TimeUnit.SECONDS) || !server.ready.await(30, TimeUnit.SECONDS)
            || !client.ready.await(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("samgr did not boot");
        }
    }

    /**
     * What the server answers: the pong for a ping.
     *
     * @param request the request.
     * @return the response.
     */
    Response serve(final Request request)
    {
        return request.msgId() == ping.msgId() ? pong : null;
    }

    /** The server: answers every ping. */
    static final class PingServer implements Service
    {
        private final Samgr samgr;
        private final Response pong;
        final CountDownLatch ready = new CountDownLatch(1);
        volatile Identity identity;

        PingServer(final Samgr samgr, final Response pong)
        {
            this.samgr = samgr;
            this.pong = pong;
        }

        @Override
        public String getName()
        {
            return "PingServer";
        }

        @Override
        public void initialize(final Identity serviceIdentity)
        {
            identity = serviceIdentity;
            ready.countDown();
        }

        @Override
        public void messageHandle(final Request request)
        {
            samgr.sendResponse(request, pong);
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.single(TaskConfig.PRI_NORMAL, 64);
        }
    }

    /**
     * The client: on a kick, keeps {@code inFlight} requests outstanding from its own task until {@link #BURST}
     * round trips completed, then counts the latch down.
     */
    static final class PingClient implements Service
    {
        private final Samgr samgr;
        private final PingServer server;
        private final Request ping;
        final CountDownLatch ready = new CountDownLatch(1);
        volatile Identity identity;
        volatile CountDownLatch done;
        private final Handler onPong = this::onPong;
        private int inFlight;
        private int sent;
        private int completed;

        PingClient(final Samgr samgr, final PingServer server, final Request ping)
        {
            this.samgr = samgr;
            this.server = server;
            this.ping = ping;
        }

        @Override
        public String getName()
        {
            return "PingClient";
        }

        @Override
        public void initialize(final Identity serviceIdentity)
        {
            identity = serviceIdentity;
            ready.countDown();
        }

        @Override
        public void messageHandle(final Request request)
        {
            inFlight = request.msgValue();
            sent = 0;
            completed = 0;
            for (int i = 0; i < inFlight; i++)
            {
                sendPing();
            }
        }

        private void sendPing()
        {
            sent++;
            samgr.sendRequest(server.identity, ping, onPong);
        }

        private void onPong(final Request request, final Response response)
        {
            if (++completed == BURST)
            {
                done.countDown();
            }
            else if (sent < BURST)
            {
                sendPing();
            }
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.single(TaskConfig.PRI_NORMAL, 64);
        }
    }

    /** A feature with an API to look up. */
    static final class EchoFeature implements Feature
    {
        @Override
        public String getName()
        {
            return "Echo";
        }

        @Override
        public void onInitialize(final Service parent, final Identity identity)
        {
        }

        @Override
        public void onStop(final Identity identity)
        {
        }

        @Override
        public void onMessage(final Request request)
        {
        }
    }

    /** The service that owns the looked-up feature; it needs no task. */
    static final class EchoService implements Service
    {
        @Override
        public String getName()
        {
            return "EchoService";
        }

        @Override
        public void initialize(final Identity identity)
        {
        }

        @Override
        public void messageHandle(final Request request)
        {
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.noTask();
        }
    }
}
