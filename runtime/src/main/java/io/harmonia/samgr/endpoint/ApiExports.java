package io.harmonia.samgr.endpoint;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.harmonia.rpc.DeathRecipient;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.RpcException;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.Identity;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.wire.SamgrKey;

/**
 * The provider side of an endpoint (samgr_lite's routers and {@code SAMGR_RegisterServiceApi}): each exportable API
 * gets a {@link FeatureStub} and is registered with the samgr server on the endpoint's one thread, in the order
 * samgr reported the APIs; a withdrawn API is removed. While the server cannot be reached, registrations are
 * retried every {@value #RETRY_MILLIS} ms; when the server dies they are sent to the one that comes back.
 */
final class ApiExports
{
    private static final System.Logger LOG = System.getLogger(ApiExports.class.getName());
    private static final long RETRY_MILLIS = 500;

    /** An exported API and whether the server has taken it. */
    private static final class Export
    {
        final FeatureStub stub;
        final CompletableFuture<ErrorCode> registered = new CompletableFuture<>();

        Export(final FeatureStub stub)
        {
            this.stub = stub;
        }
    }

    private final Samgr samgr;
    private final String address;
    private final Supplier<SamgrClient> client;
    private final ScheduledExecutorService worker;
    private final ConcurrentHashMap<SamgrKey, Export> exports = new ConcurrentHashMap<>();
    /** Exports someone waits for with {@link #awaitExported} before they exist. */
    private final ConcurrentHashMap<SamgrKey, CompletableFuture<Export>> awaited = new ConcurrentHashMap<>();
    private final DeathRecipient serverDied = this::serverDied;
    private volatile IRemoteObject watchedServer;
    private volatile boolean closed;

    ApiExports(final Samgr samgr, final String address, final Supplier<SamgrClient> client, final String threadName)
    {
        this.samgr = samgr;
        this.address = address;
        this.client = client;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void available(final String service, final String feature, final Identity identity, final IUnknown api)
    {
        if (closed)
        {
            return;
        }
        final IUnknown exportable = api.queryInterface(IUnknown.SERVER_PROXY_VERSION, IUnknown.class);
        if (null == exportable)
        {
            return; // an in-process API only (SAMGR_AddRouter keeps only 0x80 entries)
        }
        exportable.release();
        final SamgrKey key;
        try
        {
            key = SamgrKey.feature(service, feature);
        }
        catch (final IllegalArgumentException unexportable)
        {
            LOG.log(Level.WARNING, "API " + service + "/" + feature + " is not exported: " + unexportable.getMessage());
            return;
        }
        final Export export = new Export(new FeatureStub(samgr, key, identity, api));
        final Export replaced = exports.put(key, export);
        if (null != replaced)
        {
            replaced.stub.withdraw();
        }
        final CompletableFuture<Export> waiting = awaited.remove(key);
        if (null != waiting)
        {
            waiting.complete(export);
        }
        worker.execute(() -> register(key, export));
    }

    void withdrawn(final String service, final String feature, final IUnknown api)
    {
        final SamgrKey key;
        try
        {
            key = SamgrKey.feature(service, feature);
        }
        catch (final IllegalArgumentException neverExported)
        {
            return;
        }
        final Export export = exports.get(key);
        if (null == export || export.stub.api != api || !exports.remove(key, export))
        {
            return;
        }
        export.stub.withdraw();
        if (!closed)
        {
            worker.execute(() -> unregister(key));
        }
    }

    /** See {@link SamgrEndpoint#awaitExported}. */
    ErrorCode awaitExported(final SamgrKey key, final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        CompletableFuture<Export> appeared = null;
        try
        {
            Export export = exports.get(key);
            if (null == export)
            {
                appeared = awaited.computeIfAbsent(key, k -> new CompletableFuture<>());
                export = exports.get(key);
                if (null == export)
                {
                    export = appeared.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }
            return export.registered.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException late)
        {
            if (null != appeared && !appeared.isDone())
            {
                awaited.remove(key, appeared);
            }
            return ErrorCode.EC_TIMEOUT;
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
            return ErrorCode.EC_TIMEOUT;
        }
        catch (final ExecutionException impossible)
        {
            return ErrorCode.EC_FAILURE;
        }
    }

    /** Registers an export with the server; retried while the server cannot be reached. Runs on the worker. */
    private void register(final SamgrKey key, final Export export)
    {
        if (closed || exports.get(key) != export)
        {
            return; // withdrawn or replaced meanwhile
        }
        try
        {
            final SamgrClient current = client.get();
            export.stub.policiesInForce(current.add(key, export.stub, export.stub.declaredPolicies()));
            watchServer(current);
            export.registered.complete(ErrorCode.EC_SUCCESS);
        }
        catch (final SamgrException refused)
        {
            final ErrorCode code = refused.errorCode();
            if (ErrorCode.EC_COMMU == code || ErrorCode.EC_TIMEOUT == code)
            {
                LOG.log(Level.DEBUG, () -> "samgr server at " + address + " not reachable; registering " + key
                    + " again in " + RETRY_MILLIS + " ms");
                if (!closed)
                {
                    worker.schedule(() -> register(key, export), RETRY_MILLIS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            LOG.log(Level.WARNING, "the samgr server refused " + key + ": " + refused.getMessage());
            export.registered.complete(code);
        }
    }

    private void unregister(final SamgrKey key)
    {
        if (exports.containsKey(key))
        {
            return; // registered again meanwhile: the new registration replaced it at the server
        }
        try
        {
            client.get().remove(key);
        }
        catch (final SamgrException failed)
        {
            LOG.log(Level.DEBUG, () -> "withdrawing " + key + " from the samgr server failed: " + failed.getMessage());
        }
    }

    /** Watches the server the client talks to now, so that its death re-registers every export. */
    private void watchServer(final SamgrClient current)
    {
        final IRemoteObject server = current.server();
        if (server == watchedServer)
        {
            return;
        }
        watchedServer = server;
        try
        {
            server.registerDeathRecipient(serverDied, 0);
        }
        catch (final RpcException alreadyDead)
        {
            serverDied();
        }
    }

    private void serverDied()
    {
        if (closed)
        {
            return;
        }
        LOG.log(Level.WARNING, "the samgr server at " + address + " is gone; registering " + exports.size()
            + " API(s) again when it is back");
        worker.execute(() ->
        {
            for (final var entry : exports.entrySet())
            {
                register(entry.getKey(), entry.getValue());
            }
        });
    }

    List<String> describe()
    {
        return exports.entrySet().stream()
            .map(e -> e.getKey() + " calls=" + e.getValue().stub.calls() + " policy=" + e.getValue().stub.policies())
            .sorted().toList();
    }

    /** Withdraws every export (best effort, within 2 s, through {@code current} when connected) and ends the thread. */
    void close(final SamgrClient current)
    {
        closed = true;
        final List<SamgrKey> keys = List.copyOf(exports.keySet());
        for (final Export export : exports.values())
        {
            export.stub.withdraw();
        }
        exports.clear();
        if (null != current)
        {
            worker.execute(() ->
            {
                for (final SamgrKey key : keys)
                {
                    try
                    {
                        current.remove(key);
                    }
                    catch (final SamgrException failed)
                    {
                        LOG.log(Level.DEBUG, () -> "withdrawing " + key + " failed: " + failed.getMessage());
                    }
                }
            });
        }
        final IRemoteObject server = watchedServer;
        if (null != server)
        {
            server.unregisterDeathRecipient(serverDied, 0);
        }
        worker.shutdown();
        try
        {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS))
            {
                worker.shutdownNow();
            }
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
