package io.harmonia.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.harmonia.bindings.LibHarmonia;
import io.harmonia.bindings.NativeLibrary;
import io.harmonia.bindings.posix.Posix;

/**
 * The price of one call into C, which is why hot paths use MemorySegment flyweights instead of calls:
 * an FFM downcall into libharmonia against the same-run baseline of a JNR-POSIX call (getuid), both
 * trivial C functions, so the difference is the binding overhead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DowncallBenchmark
{
    /** Loads the library outside the measured code. */
    @Setup
    public void load()
    {
        NativeLibrary.ensureLoaded();
        Posix.uid();
    }

    /**
     * FFM downcall: {@code uint32_t hm_version_number(void)}.
     *
     * @return the value, so the call is not eliminated.
     */
    @Benchmark
    public int ffmDowncall()
    {
        return LibHarmonia.hm_version_number();
    }

    /**
     * Baseline: a JNR-POSIX call, {@code getuid()}.
     *
     * @return the value, so the call is not eliminated.
     */
    @Benchmark
    public int jnrPosixCallBaseline()
    {
        return Posix.uid();
    }
}
