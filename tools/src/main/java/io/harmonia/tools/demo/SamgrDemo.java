package io.harmonia.tools.demo;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.harmonia.samgr.BootPhase;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.Identity;
import io.harmonia.samgr.Request;
import io.harmonia.samgr.Response;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.Service;
import io.harmonia.samgr.TaskConfig;
import io.harmonia.samgr.broadcast.Broadcast;
import io.harmonia.samgr.broadcast.Consumer;
import io.harmonia.samgr.broadcast.PubSubInterface;

/**
 * The samgr step of the demo: a service with two features on its own task, requests from a plain thread and from
 * another service's task (printing which thread handled each request and each response), and a broadcast to two
 * subscribers, each notified on its own task.
 */
public final class SamgrDemo
{
    private static final long WAIT_SECONDS = 10;
    private static final int TOPIC = 7;

    private SamgrDemo()
    {
    }

    /** A feature that answers each request with a text computed from the request's data. */
    private static final class TextFeature implements Feature
    {
        private final String name;
        private final Samgr samgr;
        private final Function<String, String> answer;
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile Identity identity;

        TextFeature(final String name, final Samgr samgr, final Function<String, String> answer)
        {
            this.name = name;
            this.samgr = samgr;
            this.answer = answer;
        }

        @Override
        public String getName()
        {
            return name;
        }

        @Override
        public void onInitialize(final Service parent, final Identity featureIdentity)
        {
            identity = featureIdentity;
            ready.countDown();
        }

        @Override
        public void onStop(final Identity serviceIdentity)
        {
        }

        @Override
        public void onMessage(final Request request)
        {
            final String reply = answer.apply(text(request.data())) + " [handled on "
                + Thread.currentThread().getName() + "]";
            samgr.sendResponse(request, new Response(reply.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** A service with its own task that may act as a sender, and that subscribes to the demo topic. */
    private static final class TaskService implements Service, Consumer
    {
        private final String name;
        private final BlockingQueue<String> notes;
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile Identity identity;
        private volatile Runnable onMessage = () ->
        {
        };

        TaskService(final String name, final BlockingQueue<String> notes)
        {
            this.name = name;
            this.notes = notes;
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
            ready.countDown();
        }

        @Override
        public void messageHandle(final Request request)
        {
            onMessage.run();
        }

        @Override
        public TaskConfig getTaskConfig()
        {
            return TaskConfig.single(TaskConfig.PRI_NORMAL, 16);
        }

        @Override
        public Identity identity()
        {
            return identity;
        }

        @Override
        public void notify(final int topic, final Request request)
        {
            notes.add(name + " notified of topic " + topic + " \"" + text(request.data()) + "\" on "
                + Thread.currentThread().getName());
        }
    }

    /**
     * Runs the step.
     *
     * @param out where to print.
     */
    public static void run(final PrintWriter out)
    {
        try (Samgr samgr = Samgr.create())
        {
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final TaskService demo = new TaskService("DemoService", lines);
            final TextFeature greeter = new TextFeature("Greeter", samgr, text -> "Hello, " + text + "!");
            final int[] counter = new int[1];
            final TextFeature counting = new TextFeature("Counter", samgr, text -> "count=" + ++counter[0]);
            final TaskService client = new TaskService("DemoClient", lines);
            final TaskService subscriberA = new TaskService("SubscriberA", lines);
            final TaskService subscriberB = new TaskService("SubscriberB", lines);
            samgr.registerService(demo);
            samgr.registerFeature("DemoService", greeter);
            samgr.registerFeature("DemoService", counting);
            samgr.registerService(client);
            samgr.registerService(subscriberA);
            samgr.registerService(subscriberB);
            out.println("[samgr] registered DemoService (single task) with features Greeter and Counter,"
                + " DemoClient, SubscriberA and SubscriberB");

            final CountDownLatch booted = new CountDownLatch(1);
            samgr.addBootListener(phase ->
            {
                if (BootPhase.APP == phase)
                {
                    booted.countDown();
                }
            });
            samgr.bootstrap();
            if (!await(booted) || !await(greeter.ready) || !await(counting.ready) || !await(client.ready)
                || !await(subscriberA.ready) || !await(subscriberB.ready))
            {
                out.println("[samgr] ERROR: services did not initialise within " + WAIT_SECONDS + " s");
                return;
            }
            out.println("[samgr] booted: system and application phases complete");

            request(samgr, greeter.identity, "world", "Greeter", lines);
            print(out, lines, 1);
            request(samgr, counting.identity, "tick", "Counter", lines);
            print(out, lines, 1);
            client.onMessage = () -> samgr.sendRequest(greeter.identity, new Request(1, bytes("DemoClient"), 0),
                (request, response) -> lines.add("DemoClient's request -> \"" + text(response.data())
                    + "\", response handled on " + Thread.currentThread().getName()));
            samgr.sendRequest(client.identity, new Request(0, 0), null);
            print(out, lines, 1);

            final PubSubInterface pubSub = Broadcast.pubSub(samgr);
            try
            {
                pubSub.subscriber().addTopic(TOPIC);
                pubSub.subscriber().subscribe(TOPIC, subscriberA);
                pubSub.subscriber().subscribe(TOPIC, subscriberB);
                final boolean published = pubSub.provider().publish(TOPIC, bytes("system update ready"));
                out.println("[samgr] published topic " + TOPIC + " to 2 subscribers: " + published);
                print(out, lines, 2);
            }
            finally
            {
                pubSub.release();
            }
        }
    }

    private static void request(final Samgr samgr, final Identity target, final String text, final String feature,
        final BlockingQueue<String> lines)
    {
        samgr.sendRequest(target, new Request(1, bytes(text), 0), (request, response) -> lines.add(
            "request \"" + text + "\" to " + feature + " -> \"" + text(response.data()) + "\", response handled on "
                + Thread.currentThread().getName() + " (the sender has no task: the responder runs the handler)"));
    }

    private static void print(final PrintWriter out, final BlockingQueue<String> lines, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            try
            {
                final String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                out.println("[samgr] " + (null == line ? "ERROR: no answer within " + WAIT_SECONDS + " s" : line));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean await(final CountDownLatch latch)
    {
        try
        {
            return latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] data)
    {
        return null == data ? "" : new String(data, StandardCharsets.UTF_8);
    }
}
