package io.harmonia.foundation.ability;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import io.harmonia.spawn.ChildInfo;
import io.harmonia.spawn.SpawnClient;
import io.harmonia.spawn.SpawnRequest;

/**
 * The ability manager's connection to appspawn: one connection, requests one at a time, connected again once when
 * it broke (appspawn restarted). Failures are appspawn's {@link io.harmonia.spawn.SpawnException} (naming the step)
 * or an {@link UncheckedIOException} when appspawn cannot be reached.
 */
final class AppSpawner implements AutoCloseable
{
    private final Path socket;
    private SpawnClient client;

    AppSpawner(final Path socket)
    {
        this.socket = socket;
    }

    synchronized int spawn(final SpawnRequest request)
    {
        try
        {
            return client().spawn(request);
        }
        catch (final UncheckedIOException broken)
        {
            reset();
            return client().spawn(request);
        }
    }

    synchronized boolean terminate(final int pid)
    {
        try
        {
            return client().terminate(pid);
        }
        catch (final UncheckedIOException broken)
        {
            reset();
            return client().terminate(pid);
        }
    }

    synchronized List<ChildInfo> children()
    {
        try
        {
            return client().dump();
        }
        catch (final UncheckedIOException broken)
        {
            reset();
            return client().dump();
        }
    }

    private SpawnClient client()
    {
        if (null == client)
        {
            client = SpawnClient.connect(socket);
        }
        return client;
    }

    private void reset()
    {
        if (null != client)
        {
            try
            {
                client.close();
            }
            catch (final UncheckedIOException ignored)
            {
                // the connection is broken already
            }
            client = null;
        }
    }

    @Override
    public synchronized void close()
    {
        reset();
    }
}
