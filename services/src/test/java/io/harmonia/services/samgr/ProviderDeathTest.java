package io.harmonia.services.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.client.SamgrListener;
import io.harmonia.samgr.wire.SamgrKey;

/**
 * A provider with 50 consumer processes attached is killed with SIGKILL: every consumer learns of it (its proxy
 * leaves the cache, its listener runs), the server's registry drops the entry, and a restarted provider registers
 * again and serves the same consumers; its death is seen by all 50 within 100 ms.
 *
 * <p>Times count from the moment the death is observable: this JVM holds the provider's object too, with a death
 * recipient of its own (the RPC layer's, which reports a hang-up within milliseconds), and the earliest of it, the
 * server's removal (told to a subscription of this JVM) and the consumers marks the death. On a loaded machine the
 * kernel needs a while after SIGKILL before that moment (every thread of a JVM must be scheduled out); the time
 * from SIGKILL is printed as well. The first death a JVM sees runs cold code (the RPC layer links its close
 * downcalls, spins lambdas and string concatenations: about 30 ms of CPU per process), so 50 processes woken at once
 * on two cores take up to a second; that first death is checked for completeness (every consumer, within 10 s), the
 * second, with warm consumers, against the 100 ms limit.
 */
@Timeout(400)
class ProviderDeathTest
{
    private static final int CONSUMERS = Integer.getInteger("samgr.deathTest.consumers", 50);
    private static final long LIMIT_MS = 100;
    /**
     * Small consumers. The RPC housekeeper of an idle process wakes every promoteMicros / 2 (0.5 ms by default, about
     * 3% of a core each here); 50 of them at that rate would keep a 2-core machine busy with nothing, so these
     * consumers promote slow handlers after 50 ms instead (they run no handlers).
     */
    private static final List<String> CONSUMER_OPTIONS = List.of("-Xmx24m", "-XX:ReservedCodeCacheSize=16m",
        "-Dharmonia.rpc.promoteMicros=50000");

    /** When the consumers and the registry saw a death, in ms after it became observable (which is deathMs after SIGKILL). */
    private record Seen(long deathMs, List<Long> consumersMs, long registryMs)
    {
        long slowest()
        {
            return consumersMs.get(consumersMs.size() - 1);
        }
    }

    @Test
    void fiftyConsumersSeeTheDeathOfTheirProviderWithin100Ms() throws Exception
    {
        final String address = Jvm.address();
        final SamgrKey key = SamgrKey.feature("mortal", null);
        final List<Jvm> consumers = new ArrayList<>();
        final ExecutorService threads = Executors.newFixedThreadPool(CONSUMERS);
        final Jvm server = Jvm.server(address);
        try
        {
            final SamgrClient client = SamgrClient.connect(address, 5000);
            final Jvm first = Jvm.start(SamgrPeerMain.class, -1, List.of(), address);
            assertEquals("EC_SUCCESS", first.command("provide mortal -"));
            final List<CompletableFuture<Jvm>> starting = new ArrayList<>();
            for (int i = 0; i < CONSUMERS; i++)
            {
                starting.add(CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        final Jvm consumer = Jvm.start(SamgrPeerMain.class, -1, CONSUMER_OPTIONS, address);
                        assertEquals("0 attached", consumer.command("call mortal - attached"));
                        assertEquals("ok", consumer.command("watch"));
                        return consumer;
                    }
                    catch (final IOException failed)
                    {
                        throw new UncheckedIOException(failed);
                    }
                }, threads));
            }
            for (final CompletableFuture<Jvm> future : starting)
            {
                consumers.add(future.get(240, TimeUnit.SECONDS));
            }

            final Seen cold = kill(first, consumers, client, key, threads);
            report("first (cold)", cold);
            assertTrue(cold.slowest() < 10_000, "every consumer saw the first death: " + cold);
            assertNull(client.check(key), "no stale entry");

            final Jvm second = Jvm.start(SamgrPeerMain.class, -1, List.of(), address);
            assertEquals("EC_SUCCESS", second.command("provide mortal -"), "a restarted provider registers again");
            for (final Jvm consumer : consumers)
            {
                assertEquals("0 again", consumer.command("call mortal - again"),
                    "the consumer resolves the restarted provider");
            }
            Thread.sleep(1000); // let the consumers go idle again

            final Seen warm = kill(second, consumers, client, key, threads);
            report("second (warm)", warm);
            assertTrue(warm.slowest() < LIMIT_MS, "the slowest consumer took " + warm.slowest() + " ms: " + warm);
            assertTrue(warm.registryMs() < LIMIT_MS, "the registry kept the entry " + warm.registryMs() + " ms");
            assertNull(client.check(key));
        }
        finally
        {
            for (final Jvm consumer : consumers)
            {
                consumer.process.destroyForcibly();
            }
            threads.shutdownNow();
            server.close();
        }
    }

    private static Seen kill(final Jvm provider, final List<Jvm> consumers, final SamgrClient client,
        final SamgrKey key, final ExecutorService threads) throws Exception
    {
        final CompletableFuture<Long> witnessed = new CompletableFuture<>();
        client.check(key).registerDeathRecipient(() -> witnessed.complete(System.nanoTime()), 0);
        final List<CompletableFuture<Long>> deaths = new ArrayList<>();
        for (final Jvm consumer : consumers)
        {
            deaths.add(CompletableFuture.supplyAsync(() -> diedAt(consumer), threads));
        }
        // The registry's removal is timed by a subscription: the server tells it as soon as the entry is gone.
        final CompletableFuture<Long> removed = new CompletableFuture<>();
        final SamgrListener onRemoval = new SamgrListener()
        {
            @Override
            public void onAdded(final SamgrKey added, final int providerPid)
            {
            }

            @Override
            public void onRemoved(final SamgrKey gone, final int providerPid, final boolean providerDied)
            {
                if (providerDied)
                {
                    removed.complete(System.nanoTime());
                }
            }
        };
        client.subscribe(key, onRemoval);
        final long killedAt = System.nanoTime();
        provider.process.destroyForcibly();
        final long registryCleanAt = removed.get(20, TimeUnit.SECONDS);
        client.unsubscribe(key, onRemoval);
        assertTrue(client.dump(SamgrKey.all()).stream().noneMatch(entry -> entry.key().equals(key)), "a stale entry");
        final List<Long> seenAt = new ArrayList<>();
        for (final CompletableFuture<Long> death : deaths)
        {
            seenAt.add(death.get(20, TimeUnit.SECONDS));
        }
        final long deathAt = Math.min(Math.min(witnessed.get(20, TimeUnit.SECONDS), registryCleanAt),
            seenAt.stream().min(Long::compare).orElseThrow());
        final List<Long> latencies = new ArrayList<>();
        for (final long at : seenAt)
        {
            latencies.add(TimeUnit.NANOSECONDS.toMillis(at - deathAt));
        }
        latencies.sort(null);
        provider.close();
        return new Seen(TimeUnit.NANOSECONDS.toMillis(deathAt - killedAt), List.copyOf(latencies),
            TimeUnit.NANOSECONDS.toMillis(registryCleanAt - deathAt));
    }

    private static void report(final String which, final Seen seen) throws IOException
    {
        System.out.println("the " + which + " provider's death was observable " + seen.deathMs()
            + " ms after SIGKILL (load average " + Files.readString(Path.of("/proc/loadavg")).trim() + "); from then "
            + CONSUMERS
            + " consumers saw its death within " + seen.consumersMs().get(0) + ".." + seen.slowest() + " ms (median "
            + seen.consumersMs().get(CONSUMERS / 2) + " ms) and the registry had removed the entry after " + seen.registryMs()
            + " ms (System.nanoTime is CLOCK_MONOTONIC, shared by the processes)");
    }

    /** Reads the consumer's "died mortal/null NANOS" line. */
    private static long diedAt(final Jvm consumer)
    {
        try
        {
            final String line = consumer.readLine();
            assertTrue(null != line && line.startsWith("died mortal/null "), "consumer " + consumer.pid() + ": " + line);
            return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
        catch (final IOException failed)
        {
            throw new UncheckedIOException(failed);
        }
    }
}
