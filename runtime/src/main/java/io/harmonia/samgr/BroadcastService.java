package io.harmonia.samgr;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harmonia.samgr.broadcast.Broadcast;
import io.harmonia.samgr.broadcast.Consumer;
import io.harmonia.samgr.broadcast.Provider;
import io.harmonia.samgr.broadcast.PubSubInterface;
import io.harmonia.samgr.broadcast.Subscriber;

/**
 * samgr's publish/subscribe service ({@code communication/broadcast}): the {@code Broadcast} service on a
 * specified task, its {@code Provider and subscriber} feature, and that feature's {@link PubSubInterface}.
 *
 * <p>Topic and subscription changes run on the caller's thread under one lock. A publication copies the data once
 * and sends one shared direct request per consumer with an identity (its notify runs on that consumer's task) and,
 * if any consumer has no identity, one shared request to the feature, whose {@code onMessage} notifies them on the
 * Broadcast task. Unlike OpenHarmony, an empty publication reports success, and one full consumer queue does not
 * stop the notification of the consumers after it.
 */
final class BroadcastService implements Service
{
    private static final System.Logger LOG = System.getLogger(BroadcastService.class.getName());
    private static final TaskConfig CONFIG = new TaskConfig(TaskConfig.LEVEL_HIGH, TaskConfig.PRI_ABOVE_NORMAL,
        0x800, 40, TaskType.SPECIFIED_TASK);

    private BroadcastService()
    {
    }

    static void install(final Samgr samgr)
    {
        samgr.registerReservedService(new BroadcastService());
        final PubSubFeature feature = new PubSubFeature(samgr);
        samgr.registerReservedFeature(Broadcast.BROADCAST_SERVICE, feature, new PubSubImpl(samgr, feature));
    }

    @Override
    public String getName()
    {
        return Broadcast.BROADCAST_SERVICE;
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
        return CONFIG;
    }

    /** The feature: holds the topics and notifies the consumers that have no identity. */
    static final class PubSubFeature implements Feature
    {
        private final Object lock = new Object();
        /** Topic to its consumers, in subscription order; guarded by lock, lists replaced on change. */
        private final Map<Integer, List<Consumer>> topics = new LinkedHashMap<>();
        private final Samgr samgr;
        private volatile Identity identity;

        PubSubFeature(final Samgr samgr)
        {
            this.samgr = samgr;
        }

        @Override
        public String getName()
        {
            return Broadcast.PUB_SUB_FEATURE;
        }

        @Override
        public void onInitialize(final Service parent, final Identity featureIdentity)
        {
            identity = featureIdentity;
        }

        @Override
        public void onStop(final Identity serviceIdentity)
        {
        }

        @Override
        public void onMessage(final Request request)
        {
            if (Broadcast.MSG_PUBLISH != request.msgId())
            {
                return;
            }
            final int topic = request.msgValue();
            for (final Consumer consumer : consumers(topic))
            {
                if (null == consumer.identity())
                {
                    notifyLogged(consumer, topic, request);
                }
            }
        }

        List<Consumer> consumers(final int topic)
        {
            synchronized (lock)
            {
                return topics.get(topic);
            }
        }

        Samgr samgr()
        {
            return samgr;
        }

        Identity identity()
        {
            return identity;
        }

        Object lock()
        {
            return lock;
        }

        Map<Integer, List<Consumer>> topicsLocked()
        {
            return topics;
        }
    }

    static void notifyLogged(final Consumer consumer, final int topic, final Request request)
    {
        try
        {
            consumer.notify(topic, request);
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "broadcast consumer failed on topic " + Integer.toUnsignedString(topic), ex);
        }
    }

    /** The API ({@code PubSubImplement}). */
    static final class PubSubImpl extends IUnknownEntry implements PubSubInterface, Subscriber, Provider
    {
        private final Samgr samgr;
        private final PubSubFeature feature;

        PubSubImpl(final Samgr samgr, final PubSubFeature feature)
        {
            super(DEFAULT_VERSION);
            this.samgr = samgr;
            this.feature = feature;
        }

        @Override
        public Subscriber subscriber()
        {
            return this;
        }

        @Override
        public Provider provider()
        {
            return this;
        }

        @Override
        public ErrorCode addTopic(final int topic)
        {
            synchronized (feature.lock())
            {
                return null == feature.topicsLocked().putIfAbsent(topic, List.of())
                    ? ErrorCode.EC_SUCCESS : ErrorCode.EC_FAILURE;
            }
        }

        @Override
        public ErrorCode subscribe(final int topic, final Consumer consumer)
        {
            if (null == consumer)
            {
                return ErrorCode.EC_INVALID;
            }
            synchronized (feature.lock())
            {
                final List<Consumer> consumers = feature.topicsLocked().get(topic);
                if (null == consumers)
                {
                    return ErrorCode.EC_FAILURE;
                }
                for (final Consumer existing : consumers)
                {
                    if (existing.equals(consumer))
                    {
                        return ErrorCode.EC_ALREADY_SUBSCRIBED;
                    }
                }
                final List<Consumer> updated = new ArrayList<>(consumers);
                updated.add(consumer);
                feature.topicsLocked().put(topic, List.copyOf(updated));
                return ErrorCode.EC_SUCCESS;
            }
        }

        @Override
        public Consumer modifyConsumer(final int topic, final Consumer previous, final Consumer current)
        {
            if (null == previous || null == current)
            {
                return null;
            }
            return replace(topic, previous, current);
        }

        @Override
        public Consumer unsubscribe(final int topic, final Consumer consumer)
        {
            return null == consumer ? null : replace(topic, consumer, null);
        }

        private Consumer replace(final int topic, final Consumer match, final Consumer replacement)
        {
            synchronized (feature.lock())
            {
                final List<Consumer> consumers = feature.topicsLocked().get(topic);
                if (null == consumers)
                {
                    return null;
                }
                for (int i = 0; i < consumers.size(); i++)
                {
                    final Consumer existing = consumers.get(i);
                    if (existing.equals(match))
                    {
                        final List<Consumer> updated = new ArrayList<>(consumers);
                        if (null == replacement)
                        {
                            updated.remove(i);
                        }
                        else
                        {
                            updated.set(i, replacement);
                        }
                        feature.topicsLocked().put(topic, List.copyOf(updated));
                        return existing;
                    }
                }
                return null;
            }
        }

        @Override
        public boolean publish(final int topic, final byte[] data)
        {
            Request.checkDataLength(data);
            final List<Consumer> consumers = feature.consumers(topic);
            if (null == consumers || consumers.isEmpty())
            {
                return false;
            }
            final Request request = new Request(Broadcast.MSG_PUBLISH, null == data ? null : data.clone(), topic);
            boolean allQueued = true;
            boolean anonymous = false;
            try (SharedRef ref = new SharedRef(null))
            {
                for (final Consumer consumer : consumers)
                {
                    final Identity target = consumer.identity();
                    if (null == target)
                    {
                        anonymous = true;
                        continue;
                    }
                    final ErrorCode result = samgr.sendSharedDirectRequest(target, request, null, ref,
                        (delivered, ignored) -> notifyLogged(consumer, topic, delivered));
                    if (ErrorCode.EC_SUCCESS != result)
                    {
                        LOG.log(Level.WARNING, "broadcast of topic " + Integer.toUnsignedString(topic) + " to "
                            + target + " refused: " + result);
                        allQueued = false;
                    }
                }
                if (anonymous)
                {
                    final Identity featureIdentity = feature.identity();
                    final ErrorCode result = null == featureIdentity ? ErrorCode.EC_NOINIT
                        : samgr.sendSharedRequest(featureIdentity, request, ref, null);
                    if (ErrorCode.EC_SUCCESS != result)
                    {
                        LOG.log(Level.WARNING, "broadcast of topic " + Integer.toUnsignedString(topic)
                            + " to the Broadcast task refused: " + result);
                        allQueued = false;
                    }
                }
            }
            return allQueued;
        }
    }
}
