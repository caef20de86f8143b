package io.harmonia.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run as {@code harmonia bench --json} prints it and {@code bench.json} holds it: the JSON schema shared
 * by the Java tool and the C {@code harmonia-bench} (docs/decisions.md, "Benchmarks"). Everything the report, the
 * comparison and the headline section of bench/RESULTS.md show is computed from this document alone, so a run
 * taken on a board without a JVM is reported on a host like any other.
 *
 * <p>Every figure is kept per fork (a C round counts as a fork: a fresh pair of processes) and summarised as the
 * median with the range over forks; there is no "best run" anywhere.
 *
 * @param schema       {@link #SCHEMA}.
 * @param tool         what produced the run.
 * @param mode         "full" or "quick" (quick runs prove the tool works; their figures mean little).
 * @param started      when the run started (ISO-8601, UTC).
 * @param seconds      how long it took.
 * @param machine      the machine and how busy it was.
 * @param groups       the groups that were asked for.
 * @param figures      each comparison: a figure, its same-run baseline and the ratio.
 * @param measurements every benchmark result, per fork.
 * @param skipped      groups that were not run, with the reason.
 * @param failures     steps that failed, with the message.
 */
public record BenchRun(int schema, Tool tool, String mode, String started, double seconds, Machine machine,
    List<String> groups, List<Figure> figures, List<Measurement> measurements, List<Skipped> skipped,
    List<Failure> failures)
{
    /** The schema version this tool writes and reads. */
    public static final int SCHEMA = 1;

    /**
     * What produced a run.
     *
     * @param name           "harmonia bench" (Java) or "harmonia-bench" (C).
     * @param implementation "java" or "c".
     * @param version        the project version.
     */
    public record Tool(String name, String implementation, String version)
    {
    }

    /**
     * The machine, read at the start and the end of the run.
     *
     * @param cpuModel        the CPU's model name as the kernel reports it.
     * @param cores           online CPUs.
     * @param arch            the architecture (x86_64, aarch64, arm).
     * @param kernel          the kernel release.
     * @param runtime         the JVM (or the C compiler the C bench was built with).
     * @param loadStart       1-, 5- and 15-minute load averages at the start.
     * @param loadEnd         the same at the end.
     * @param otherCpuPercent CPU time other processes used during the run, in percent of one core on average.
     * @param busyProcesses   the processes that used CPU in the second before the run (name, pid, percent).
     * @param warnings        why the figures may not be representative (a busy machine); empty when quiet.
     */
    public record Machine(String cpuModel, int cores, String arch, String kernel, String runtime,
        List<Double> loadStart, List<Double> loadEnd, double otherCpuPercent, List<String> busyProcesses,
        List<String> warnings)
    {
    }

    /**
     * A summary over forks.
     *
     * @param median the median over forks.
     * @param min    the smallest fork's value.
     * @param max    the largest.
     * @param forks  each fork's value, in the order they ran.
     */
    public record Stat(double median, double min, double max, List<Double> forks)
    {
        /**
         * The median and range of some values.
         *
         * @param values at least one value.
         * @return their summary.
         */
        public static Stat of(final List<Double> values)
        {
            if (values.isEmpty())
            {
                throw new IllegalArgumentException("no values to summarise");
            }
            final List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            final int n = sorted.size();
            final double median = 1 == n % 2 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Stat(median, sorted.getFirst(), sorted.getLast(), List.copyOf(values));
        }
    }

    /**
     * One benchmark with one set of parameters.
     *
     * @param group       the group it belongs to.
     * @param benchmark   JMH's benchmark name (C: "c.<area>.<name>").
     * @param params      its parameters.
     * @param unit        the score's unit (JMH's: "ns/op", "ops/us", ...).
     * @param score       the score per fork (a fork's mean over its measurement iterations).
     * @param percentiles the latency distribution per fork, in nanoseconds (empty where not recorded).
     * @param extras      further figures per fork by name (CPU per call, bytes allocated per operation).
     */
    public record Measurement(String group, String benchmark, Map<String, String> params, String unit, Stat score,
        List<Percentile> percentiles, Map<String, Extra> extras)
    {
    }

    /**
     * One point of a latency distribution.
     *
     * @param percentile the percentile (50.0, 99.9, ...).
     * @param ns         its value per fork, in nanoseconds.
     */
    public record Percentile(double percentile, Stat ns)
    {
    }

    /**
     * A figure beside the score.
     *
     * @param unit  its unit.
     * @param value its value per fork.
     */
    public record Extra(String unit, Stat value)
    {
    }

    /**
     * One side of a comparison.
     *
     * @param label what was measured, in words.
     * @param stat  its value over forks.
     */
    public record Side(String label, Stat stat)
    {
    }

    /**
     * A figure, its baseline measured in the same run, and the ratio.
     *
     * @param id       a stable name, the same across runs and between the Java and the C tool where the
     *                 comparison is the same (what {@code bench compare} pairs).
     * @param group    the group.
     * @param title    the comparison in words.
     * @param unit     the unit of both sides.
     * @param better   "lower" or "higher".
     * @param value    Harmonia's side.
     * @param baseline the baseline's side.
     * @param ratio    value / baseline: the median of each side divided, and the widest range the forks allow
     *                 (smallest value over largest baseline, largest over smallest).
     * @param reading  the ratio in words ("3.2x better than the baseline").
     */
    public record Figure(String id, String group, String title, String unit, String better, Side value,
        Side baseline, Ratio ratio, String reading)
    {
    }

    /**
     * A ratio with its range over forks.
     *
     * @param median median value / median baseline.
     * @param min    the smallest ratio the forks allow.
     * @param max    the largest.
     */
    public record Ratio(double median, double min, double max)
    {
    }

    /**
     * A group that was asked for and not run.
     *
     * @param group  its name.
     * @param reason why.
     */
    public record Skipped(String group, String reason)
    {
    }

    /**
     * A step that failed.
     *
     * @param step    what was run.
     * @param message what went wrong.
     */
    public record Failure(String step, String message)
    {
    }
}
