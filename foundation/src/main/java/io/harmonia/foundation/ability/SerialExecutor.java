package io.harmonia.foundation.ability;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in the order they were given, on threads of a shared pool: the lifecycle steps of one
 * extension record (OpenHarmony's connect manager serialises them with one mutex; here each record has its own
 * queue, so a slow service never delays another). A task that throws is logged and the next one runs. No thread is
 * held while the queue is empty.
 */
final class SerialExecutor implements Executor
{
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(final Executor pool)
    {
        this.pool = pool;
    }

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
                LOG.log(System.Logger.Level.ERROR, "an extension lifecycle task threw", thrown);
            }
        }
    }
}
