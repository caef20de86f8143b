package io.harmonia.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.spawn.AppProperty;
import io.harmonia.spawn.AppSpawnDaemon;
import io.harmonia.spawn.Capabilities;
import io.harmonia.spawn.SpawnClient;
import io.harmonia.spawn.SpawnRequest;

/**
 * The time to start a process, from the request until the child is ready, sampled per spawn (SampleTime gives
 * p50 and p99 over every spawn of the run):
 * <ul>
 *   <li>{@code warmSpawn}: appspawn forks (or takes a pre-forked child), drops to uid 65534 with one capability,
 *       loads the app library and reports ready; measured from the request until its reply (which follows the
 *       child's ready report);</li>
 *   <li>{@code coldSpawn}: the same, but the child executes the launcher, which loads the library and reports
 *       ready;</li>
 *   <li>{@code processBuilderTrue}: the baseline, {@code new ProcessBuilder("/bin/true").start()}, which returns
 *       once the JDK's posix_spawn helper has executed the program.</li>
 * </ul>
 * The app's entry returns at once (libharmonia-oneshot-app.so), so each child exits right after it reported.
 * {@code pauseMs} spaces the spawns (untimed): 0 is back to back, where each warm spawn also waits for the
 * pre-forked pool to refill; a pause lets the pool refill between requests, as when apps start now and then.
 * The pause applies to all three benchmarks alike. Before measuring, the client's Java code (request writing,
 * socket round trips) is run until the JIT has compiled it. Needs root (the daemon changes uids).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpawnBenchmark
{
    /** Untimed pause before each spawn, in milliseconds. */
    @Param({"0", "3"})
    public int pauseMs;

    private AppSpawnDaemon daemon;
    private SpawnClient client;
    private SpawnRequest warm;
    private SpawnRequest cold;
    private Process started;

    /** Starts a private daemon. */
    @Setup(Level.Trial)
    public void startDaemon()
    {
        if (0 != Posix.euid())
        {
            throw new IllegalStateException("SpawnBenchmark needs root to run appspawn (euid " + Posix.euid() + ")");
        }
        daemon = AppSpawnDaemon.start();
        client = daemon.connect();
        final SpawnRequest.Builder builder = SpawnRequest.builder()
            .processName("bench.oneshot")
            .soPath(NativeExecutables.locate(NativeExecutables.ONESHOT_APP).toString())
            .ids(65534, 65534)
            .gids(65534)
            .capabilities(Capabilities.NET_BIND_SERVICE);
        warm = builder.coldStart(false).build();
        cold = builder.coldStart(true).build();
        // A spawn takes about a millisecond, so the warm-up iterations run the client's Java code only a few
        // thousand times: too few for the JIT, and interpreted request writing then costs about 0.2 ms a spawn
        // (measured). The same code runs here until compiled: request encoding, and socket round trips through
        // dump requests, which spawn nothing.
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment scratch = arena.allocate(AppProperty.SIZE);
            for (int i = 0; i < 200_000; i++)
            {
                AppProperty.encode(warm, scratch);
            }
        }
        for (int i = 0; i < 20_000; i++)
        {
            client.dump();
        }
    }

    /** Stops the daemon (it reaps every child). */
    @TearDown(Level.Trial)
    public void stopDaemon()
    {
        client.close();
        daemon.close();
    }

    /**
     * Spaces the spawns (not timed).
     *
     * @throws InterruptedException never expected.
     */
    @Setup(Level.Invocation)
    public void pause() throws InterruptedException
    {
        if (pauseMs > 0)
        {
            Thread.sleep(pauseMs);
        }
    }

    /**
     * Waits for the baseline's process (not timed), so processes do not pile up.
     *
     * @throws InterruptedException never expected.
     */
    @TearDown(Level.Invocation)
    public void reapBaseline() throws InterruptedException
    {
        if (null != started)
        {
            started.waitFor();
            started = null;
        }
    }

    /**
     * A warm spawn until ready.
     *
     * @return the pid.
     */
    @Benchmark
    public int warmSpawn()
    {
        return client.spawn(warm);
    }

    /**
     * A cold spawn until ready.
     *
     * @return the pid.
     */
    @Benchmark
    public int coldSpawn()
    {
        return client.spawn(cold);
    }

    /**
     * The baseline: ProcessBuilder starting /bin/true.
     *
     * @return the process.
     * @throws IOException when it cannot start.
     */
    @Benchmark
    public Process processBuilderTrue() throws IOException
    {
        started = new ProcessBuilder("/bin/true").start();
        return started;
    }
}
