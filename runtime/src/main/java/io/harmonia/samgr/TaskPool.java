package io.harmonia.samgr;

/**
 * A task: one queue and the one thread that drains it ({@code TaskPool} with size 1, as every samgr_lite pool has).
 * The services that share it are counted in {@link #refs} (under samgr's lock); when the last one leaves, an exit
 * message ends the thread after everything queued before it.
 */
final class TaskPool
{
    /** A pool holds at most this many services ({@code MAX_REF_NUM}). */
    static final int MAX_REF_NUM = 15;

    final Samgr samgr;
    final TaskConfig config;
    final TaskQueue queue;
    final TaskThread thread;
    /** The shared bucket this pool serves, or -1. */
    final int sharedBucket;
    /** Services using this pool; guarded by samgr's lock. */
    int refs;
    /** Guarded by samgr's lock. */
    boolean started;
    /** Guarded by samgr's lock. */
    boolean stopping;

    TaskPool(final Samgr samgr, final TaskConfig config, final String threadName, final int sharedBucket)
    {
        this.samgr = samgr;
        this.config = config;
        this.sharedBucket = sharedBucket;
        this.queue = new TaskQueue(threadName, config.queueSize());
        this.thread = new TaskThread(this, threadName);
        queue.consumer(thread);
    }

    /** The worker loop ({@code TaskEntry}). */
    void run()
    {
        while (true)
        {
            final Exchange exchange = queue.take();
            if (Exchange.EXIT == exchange.type)
            {
                break;
            }
            samgr.messages.process(exchange);
        }
        // Refuse new messages, then finish what was accepted before the exit: responses still reach their
        // handlers, and requests to the services that left get EC_NOSERVICE instead of silence.
        queue.close();
        for (Exchange exchange = queue.drainOne(); null != exchange; exchange = queue.drainOne())
        {
            if (Exchange.EXIT != exchange.type)
            {
                samgr.messages.process(exchange);
            }
        }
        samgr.pools.poolExited(this);
    }

    static final class TaskThread extends Thread
    {
        final TaskPool pool;

        TaskThread(final TaskPool pool, final String name)
        {
            // Stack size 0: the JVM default (TaskConfig explains why the uint16 stack size is not applied).
            super(null, null, name, 0, false);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            pool.run();
        }
    }

    /**
     * The queue of the samgr task running the calling thread ({@code SAMGR_GetCurrentQueueID}).
     *
     * @return the queue, or null on any other thread.
     */
    static TaskQueue currentQueue()
    {
        return Thread.currentThread() instanceof final TaskThread taskThread ? taskThread.pool.queue : null;
    }

    /**
     * The pool running the calling thread.
     *
     * @return the pool, or null on any other thread.
     */
    static TaskPool current()
    {
        return Thread.currentThread() instanceof final TaskThread taskThread ? taskThread.pool : null;
    }
}
