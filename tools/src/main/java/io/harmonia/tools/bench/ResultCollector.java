package io.harmonia.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import io.harmonia.bench.ForkRecord;
import io.harmonia.tools.bench.BenchRun.Extra;
import io.harmonia.tools.bench.BenchRun.Measurement;
import io.harmonia.tools.bench.BenchRun.Percentile;
import io.harmonia.tools.bench.BenchRun.Stat;

/**
 * Turns JMH's results into {@link Measurement}s: the score of every fork (JMH keeps one {@link BenchmarkResult} per
 * fork), the latency distribution of every fork (from the fork's {@link ForkRecord} histogram where the benchmark
 * leaves one, else from JMH's own samples in SampleTime mode) and the figures beside the score (the fork record's
 * extras; bytes allocated per operation from JMH's GC profiler).
 */
final class ResultCollector
{
    /** The points of a latency curve. */
    static final double[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
    /** JMH's GC profiler's figure: bytes allocated per operation. */
    private static final String GC_ALLOC = "gc.alloc.rate.norm";

    private final Map<String, List<Properties>> records;

    private ResultCollector(final Map<String, List<Properties>> records)
    {
        this.records = records;
    }

    /**
     * A collector for the fork records in a directory.
     *
     * @param directory where the forks wrote their records ({@link ForkRecord#DIRECTORY_PROPERTY}).
     * @return the collector.
     */
    static ResultCollector readingRecords(final Path directory)
    {
        final Map<String, List<Properties>> records = new LinkedHashMap<>();
        if (Files.isDirectory(directory))
        {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.properties"))
            {
                for (final Path file : files)
                {
                    final Properties record = new Properties();
                    try (InputStream in = Files.newInputStream(file))
                    {
                        record.load(in);
                    }
                    records.computeIfAbsent(key(record.getProperty("benchmark"), params(record)),
                        k -> new ArrayList<>()).add(record);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read the fork records in " + directory, ex);
            }
        }
        return new ResultCollector(records);
    }

    /**
     * One measurement per JMH result.
     *
     * @param group   the group the results belong to.
     * @param results JMH's results of one step.
     * @return the measurements.
     */
    List<Measurement> collect(final String group, final Iterable<RunResult> results)
    {
        final List<Measurement> measurements = new ArrayList<>();
        for (final RunResult result : results)
        {
            final BenchmarkParams params = result.getParams();
            final Map<String, String> paramMap = new TreeMap<>();
            for (final String key : params.getParamsKeys())
            {
                paramMap.put(key, params.getParam(key));
            }
            final List<BenchmarkResult> forks = new ArrayList<>(result.getBenchmarkResults());
            final String unit = result.getPrimaryResult().getScoreUnit();
            final Stat score = perFork(forks, fork -> fork.getPrimaryResult().getScore());
            final List<Properties> forkRecords = records.getOrDefault(key(params.getBenchmark(), paramMap), List.of());
            final List<Percentile> percentiles;
            if (!forkRecords.isEmpty())
            {
                percentiles = fromHistograms(forkRecords);
            }
            else if (Mode.SampleTime == params.getMode())
            {
                final double nanos = Units.nanosPer(unit);
                percentiles = percentiles(forks.stream().map(fork -> (ToDoubleFunction<Double>)
                    p -> fork.getPrimaryResult().getStatistics().getPercentile(p) * nanos).toList());
            }
            else
            {
                percentiles = List.of();
            }
            measurements.add(new Measurement(group, params.getBenchmark(), paramMap, unit, score, percentiles,
                extras(forks, forkRecords)));
        }
        return measurements;
    }

    private static Map<String, Extra> extras(final List<BenchmarkResult> forks, final List<Properties> forkRecords)
    {
        final Map<String, Extra> extras = new TreeMap<>();
        if (!forks.isEmpty() && forks.getFirst().getSecondaryResults().containsKey(GC_ALLOC))
        {
            final Result<?> first = forks.getFirst().getSecondaryResults().get(GC_ALLOC);
            extras.put("allocatedBytesPerOp", new Extra(first.getScoreUnit(),
                perFork(forks, fork -> fork.getSecondaryResults().get(GC_ALLOC).getScore())));
        }
        if (!forkRecords.isEmpty())
        {
            for (final String name : forkRecords.getFirst().stringPropertyNames())
            {
                if (name.startsWith("extra."))
                {
                    final List<Double> values = forkRecords.stream()
                        .map(r -> Double.parseDouble(r.getProperty(name, "NaN"))).toList();
                    final String extra = name.substring("extra.".length());
                    extras.put(extra, new Extra(extra.contains("UsPer") ? "us" : "", Stat.of(values)));
                }
            }
        }
        return extras;
    }

    private static List<Percentile> fromHistograms(final List<Properties> forkRecords)
    {
        final List<ToDoubleFunction<Double>> forks = new ArrayList<>();
        for (final Properties record : forkRecords)
        {
            final byte[] bytes = Base64.getDecoder().decode(record.getProperty("histogram"));
            try
            {
                final Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
                if (histogram.getTotalCount() > 0)
                {
                    forks.add(p -> histogram.getValueAtPercentile(p));
                }
            }
            catch (final DataFormatException ex)
            {
                throw new IllegalStateException("a fork record's histogram does not decode: " + ex.getMessage(), ex);
            }
        }
        return percentiles(forks);
    }

    /** Each percentile point over forks; forks give the value at a percentile. */
    private static List<Percentile> percentiles(final List<ToDoubleFunction<Double>> forks)
    {
        if (forks.isEmpty())
        {
            return List.of();
        }
        final List<Percentile> points = new ArrayList<>();
        for (final double p : PERCENTILES)
        {
            points.add(new Percentile(p, Stat.of(forks.stream().map(f -> f.applyAsDouble(p)).toList())));
        }
        return points;
    }

    private static Stat perFork(final List<BenchmarkResult> forks, final ToDoubleFunction<BenchmarkResult> value)
    {
        return Stat.of(forks.stream().map(value::applyAsDouble).toList());
    }

    private static Map<String, String> params(final Properties record)
    {
        final Map<String, String> params = new TreeMap<>();
        for (final String name : record.stringPropertyNames())
        {
            if (name.startsWith("param."))
            {
                params.put(name.substring("param.".length()), record.getProperty(name));
            }
        }
        return params;
    }

    private static String key(final String benchmark, final Map<String, String> params)
    {
        return benchmark + new TreeMap<>(params);
    }
}
