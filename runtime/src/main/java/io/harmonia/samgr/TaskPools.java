package io.harmonia.samgr;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Which task runs which service ({@code AddTaskPool} and the task manager): shared pools per priority bucket,
 * specified pools shared by equal configs, single pools, none for {@code NO_TASK}; a pool ends when its last service
 * leaves. Pool bookkeeping changes under samgr's lock.
 */
final class TaskPools
{
    private static final System.Logger LOG = System.getLogger(Samgr.class.getName());

    private final Samgr samgr;
    /** Guarded by samgr's lock. */
    private final TaskPool[] sharedPools = new TaskPool[Samgr.MAX_POOL_NUM];
    /** Guarded by samgr's lock. */
    private final Set<TaskPool> livePools = new LinkedHashSet<>();

    TaskPools(final Samgr samgr)
    {
        this.samgr = samgr;
    }

    /** The pool a service being initialised runs on, taking a reference on it; null for {@code NO_TASK}. */
    TaskPool assignPoolLocked(final ServiceImpl impl)
    {
        final TaskConfig config = impl.config;
        switch (config.taskFlags())
        {
            case SHARED_TASK ->
            {
                final int bucket = config.effectivePriority() / TaskConfig.PRIORITY_STEP;
                TaskPool pool = sharedPools[bucket];
                if (null == pool || pool.refs >= TaskPool.MAX_REF_NUM)
                {
                    // DEFAULT_TASK_CFG(bucket); a full bucket gets a fresh pool for the next 15 services.
                    final TaskConfig sharedConfig = new TaskConfig(TaskConfig.LEVEL_HIGH,
                        bucket * TaskConfig.PRIORITY_STEP + 1, TaskConfig.SHARED_STACK_SIZE,
                        TaskConfig.SHARED_QUEUE_SIZE, TaskType.SHARED_TASK);
                    pool = new TaskPool(samgr, sharedConfig, samgr.threadNamePrefix() + "shared-p" + bucket + "-"
                        + impl.name, bucket);
                    sharedPools[bucket] = pool;
                }
                pool.refs++;
                return pool;
            }
            case SPECIFIED_TASK ->
            {
                for (int i = 0; i < samgr.registry.slotCount(); i++)
                {
                    final ServiceImpl other = samgr.registry.slot(i);
                    final TaskPool pool = null == other ? null : other.pool;
                    if (null != pool && other != impl && !pool.stopping && pool.refs < TaskPool.MAX_REF_NUM
                        && config.equals(other.config))
                    {
                        pool.refs++;
                        return pool;
                    }
                }
                return newSinglePool(impl);
            }
            case SINGLE_TASK ->
            {
                return newSinglePool(impl);
            }
            default ->
            {
                return null;
            }
        }
    }

    private TaskPool newSinglePool(final ServiceImpl impl)
    {
        final TaskPool pool = new TaskPool(samgr, impl.config, samgr.threadNamePrefix() + impl.name, -1);
        pool.refs = 1;
        return pool;
    }

    /** Starts a pool's thread once; caller holds samgr's lock. */
    void startLocked(final TaskPool pool)
    {
        if (!pool.started)
        {
            pool.started = true;
            livePools.add(pool);
            pool.thread.start();
        }
    }

    /** Drops a service's reference on its pool; the last one queues the exit message. Caller holds the lock. */
    void releasePoolLocked(final TaskPool pool)
    {
        pool.refs--;
        if (pool.refs > 0)
        {
            return;
        }
        pool.stopping = true;
        if (pool.sharedBucket >= 0 && sharedPools[pool.sharedBucket] == pool)
        {
            sharedPools[pool.sharedBucket] = null;
        }
        pool.queue.offerUnbounded(Exchange.exit());
    }

    void poolExited(final TaskPool pool)
    {
        samgr.lock.lock();
        try
        {
            livePools.remove(pool);
        }
        finally
        {
            samgr.lock.unlock();
        }
    }

    /** Task threads that are running or still finishing; caller holds the lock. */
    int liveCountLocked()
    {
        return livePools.size();
    }

    /** Queues the exit of every task; caller holds the lock. Returns the pools to wait for. */
    List<TaskPool> stopAllLocked()
    {
        final List<TaskPool> pools = new ArrayList<>(livePools);
        for (final TaskPool pool : pools)
        {
            pool.stopping = true;
            pool.queue.offerUnbounded(Exchange.exit());
        }
        for (int i = 0; i < sharedPools.length; i++)
        {
            sharedPools[i] = null;
        }
        return pools;
    }

    /** Runs a lifecycle action on a service's task and waits for it (inline without a task or on that task). */
    void runOnServiceThread(final ServiceImpl impl, final Runnable action)
    {
        final TaskPool pool = impl.pool;
        if (null == pool || pool.thread == Thread.currentThread())
        {
            runLogged(action);
            return;
        }
        final CountDownLatch done = new CountDownLatch(1);
        final Exchange exchange = Exchange.lifecycle(() ->
        {
            try
            {
                action.run();
            }
            finally
            {
                done.countDown();
            }
        });
        if (!pool.queue.offerUnbounded(exchange))
        {
            runLogged(action); // the task has stopped: there is no owning thread left
            return;
        }
        try
        {
            done.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // the action still runs on the task; we just stop waiting
        }
    }

    private static void runLogged(final Runnable action)
    {
        try
        {
            action.run();
        }
        catch (final Throwable ex)
        {
            LOG.log(Level.ERROR, "samgr lifecycle call failed", ex);
        }
    }
}
