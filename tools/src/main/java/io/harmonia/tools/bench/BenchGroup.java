package io.harmonia.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A group of benchmarks that {@code harmonia bench --only NAME} selects: the JMH steps to run and the figures to
 * read from them, each with its same-run baseline and the way that is better. A group is declared in a few lines
 * ({@link BenchGroups}); running, collecting, reporting and comparing are the same for every group.
 *
 * @param name        the name {@code --only} takes.
 * @param description one line for {@code --help} and the report.
 * @param needsRoot   whether the group only runs as root (it is skipped with the reason otherwise).
 * @param steps       the JMH runs, in order.
 * @param figures     the comparisons read from their results.
 */
public record BenchGroup(String name, String description, boolean needsRoot, List<Step> steps, List<FigureSpec> figures)
{
    /** Benchmark classes are named relative to this package. */
    static final String BENCH_PACKAGE = "io.harmonia.bench.";

    /**
     * Starts a group's declaration.
     *
     * @param name        the name {@code --only} takes.
     * @param description one line.
     * @return a builder.
     */
    static Builder named(final String name, final String description)
    {
        return new Builder(name, description);
    }

    /**
     * JMH's run settings of a step.
     *
     * @param forks                 forks per benchmark and parameter set (the median and range are over these).
     * @param warmupIterations      warm-up iterations per fork.
     * @param warmupMillis          length of each.
     * @param measurementIterations measured iterations per fork.
     * @param measurementMillis     length of each.
     * @param forkOverheadMillis    what a fork costs beyond its iterations (JVM start, peers, set-up), for the
     *                              time estimate only.
     */
    record Settings(int forks, int warmupIterations, int warmupMillis, int measurementIterations,
        int measurementMillis, int forkOverheadMillis)
    {
        /**
         * The estimated time of one trial (all forks of one benchmark with one parameter set).
         *
         * @return milliseconds.
         */
        long trialMillis()
        {
            return (long) forks * (warmupIterations * (long) warmupMillis
                + measurementIterations * (long) measurementMillis + forkOverheadMillis);
        }
    }

    /**
     * One JMH run: some benchmark methods of one class with parameters, in the full and in the quick form.
     *
     * @param benchmarkClass the class relative to {@code io.harmonia.bench} ("transport.RoundTripBenchmark").
     * @param methods        the benchmark methods.
     * @param params         JMH parameters for a full run (none: the class's own).
     * @param quickMethods   the methods of a quick run (empty: the step is not part of a quick run).
     * @param quickParams    the parameters of a quick run.
     * @param settings       full-run settings.
     * @param gcProfile      whether to run JMH's GC profiler (bytes allocated per operation).
     */
    record Step(String benchmarkClass, List<String> methods, Map<String, List<String>> params,
        List<String> quickMethods, Map<String, List<String>> quickParams, Settings settings, boolean gcProfile)
    {
        /**
         * The JMH include pattern of the given methods.
         *
         * @param chosen methods of this step's class.
         * @return a regular expression matching exactly those benchmarks.
         */
        String include(final List<String> chosen)
        {
            return "^" + Pattern.quote(BENCH_PACKAGE + benchmarkClass + ".") + "("
                + chosen.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")$";
        }

        /**
         * How many trials (benchmark x parameter set) a run of this step has.
         *
         * @param quick quick mode.
         * @return the count (0 when the step is not part of the mode).
         */
        int trials(final boolean quick)
        {
            int count = (quick ? quickMethods : methods).size();
            for (final List<String> values : (quick ? quickParams : params).values())
            {
                count *= values.size();
            }
            return count;
        }
    }

    /**
     * Which number of a measurement a figure reads.
     *
     * @param kind       score, percentile or extra.
     * @param percentile the percentile (kind PERCENTILE).
     * @param extra      the extra's name (kind EXTRA).
     */
    record Metric(Kind kind, double percentile, String extra)
    {
        /** The kinds of metric. */
        enum Kind
        {
            /** JMH's score (a fork's mean). */
            SCORE,
            /** A percentile of the latency distribution (nanoseconds). */
            PERCENTILE,
            /** A figure the fork recorded beside the score. */
            EXTRA
        }

        static final Metric SCORE = new Metric(Kind.SCORE, 0, "");
        static final Metric P50 = new Metric(Kind.PERCENTILE, 50, "");

        static Metric extra(final String name)
        {
            return new Metric(Kind.EXTRA, 0, name);
        }
    }

    /**
     * One side of a figure: a benchmark method with some of its parameters.
     *
     * @param label  what it is, in words.
     * @param method "Class.method" (the class's simple name).
     * @param params the parameters it must have (others may take any value).
     */
    record Selector(String label, String method, Map<String, String> params)
    {
        boolean matches(final BenchRun.Measurement measurement)
        {
            return measurement.benchmark().endsWith("." + method)
                && params.entrySet().stream().allMatch(e -> e.getValue().equals(measurement.params().get(e.getKey())));
        }
    }

    /**
     * A comparison to read from a group's results.
     *
     * @param id       stable name ({@link BenchRun.Figure#id()}).
     * @param title    the comparison in words.
     * @param metric   what to read from both sides.
     * @param value    Harmonia's side.
     * @param baseline the baseline's side.
     * @param better   "lower" or "higher".
     */
    record FigureSpec(String id, String title, Metric metric, Selector value, Selector baseline, String better)
    {
    }

    /**
     * {@code "Class.method key=value ..."} as a selector.
     *
     * @param label     what it is, in words.
     * @param selection the method, then parameters as key=value.
     * @return the selector.
     */
    static Selector on(final String label, final String selection)
    {
        final String[] words = selection.trim().split("\\s+");
        final Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++)
        {
            final int eq = words[i].indexOf('=');
            params.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return new Selector(label, words[0], Map.copyOf(params));
    }

    /** Collects a group's steps and figures. */
    static final class Builder
    {
        private final String name;
        private final String description;
        private boolean needsRoot;
        private final List<Step> steps = new ArrayList<>();
        private final List<FigureSpec> figures = new ArrayList<>();

        private Builder(final String name, final String description)
        {
            this.name = name;
            this.description = description;
        }

        Builder needsRoot()
        {
            needsRoot = true;
            return this;
        }

        Builder step(final Step step)
        {
            steps.add(step);
            return this;
        }

        Builder figure(final String id, final String title, final Metric metric, final Selector value,
            final Selector baseline, final String better)
        {
            if (!"lower".equals(better) && !"higher".equals(better))
            {
                throw new IllegalArgumentException("better must be lower or higher: " + better);
            }
            figures.add(new FigureSpec(name + "." + id, title, metric, value, baseline, better));
            return this;
        }

        BenchGroup build()
        {
            return new BenchGroup(name, description, needsRoot, List.copyOf(steps), List.copyOf(figures));
        }
    }
}
