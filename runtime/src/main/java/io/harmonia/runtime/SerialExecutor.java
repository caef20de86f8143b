package io.harmonia.runtime;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in the order they were given, on threads of a shared pool: the lifecycle steps of one
 * extension record in the ability manager (OpenHarmony's connect manager serialises them with one mutex; there each
 * record has its own queue, so a slow service never delays another), the callbacks of one connection in a client. A
 * task that throws is logged and the next one runs. No thread is held while the queue is empty. Thread-safe.
 */
public final class SerialExecutor implements Executor
{
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    /**
     * A queue over a pool.
     *
     * @param pool runs the queue's drain, one task at a time.
     */
    public SerialExecutor(final Executor pool)
    {
        this.pool = pool;
    }

    /**
     * Queues a task.
     *
     * @param task runs after every task queued before it.
     */
    @Override
    public void execute(final Runnable task)
    {
        synchronized (tasks)
        {
            tasks.add(task);
            if (running)
            {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain()
    {
        while (true)
        {
            final Runnable task;
            synchronized (tasks)
            {
                task = tasks.poll();
                if (null == task)
                {
                    running = false;
                    return;
                }
            }
            try
            {
                task.run();
            }
            catch (final RuntimeException | Error thrown)
            {
                LOG.log(System.Logger.Level.ERROR, "a serial task threw", thrown);
            }
        }
    }
}
