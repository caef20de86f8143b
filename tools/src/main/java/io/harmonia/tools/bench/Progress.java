package io.harmonia.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * JMH's output during a {@code harmonia bench} run: everything JMH prints (its usual text, and what the forks and
 * their peers print) goes to the run's log file, and the user sees one line per trial (a benchmark with one
 * parameter set, all its forks) with the time elapsed and an estimate of the time left. The estimate is the plan's
 * (iterations plus a per-fork allowance for JVM and peer start-up, {@link BenchGroup.Settings}), scaled by how the
 * trials so far compared with their plan.
 */
final class Progress implements OutputFormat
{
    private final OutputFormat log;
    private final PrintWriter user;
    private final long plannedTotalMillis;
    private final int totalTrials;
    private final long startNanos = System.nanoTime();
    private long plannedDoneMillis;
    private long currentTrialMillis;
    private int trial;
    private String group = "";

    /**
     * A progress display for a run.
     *
     * @param logStream          where JMH's own text goes.
     * @param user               where the progress lines go.
     * @param plannedTotalMillis the plan's estimate of the whole run.
     * @param totalTrials        the trials in the plan.
     */
    Progress(final PrintStream logStream, final PrintWriter user, final long plannedTotalMillis, final int totalTrials)
    {
        this.log = OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL);
        this.user = user;
        this.plannedTotalMillis = plannedTotalMillis;
        this.totalTrials = totalTrials;
    }

    /**
     * The next trials belong to this group and step; each is planned to take this long.
     *
     * @param groupName   the group.
     * @param trialMillis the plan for one trial of the step.
     */
    void step(final String groupName, final long trialMillis)
    {
        this.group = groupName;
        this.currentTrialMillis = trialMillis;
    }

    /**
     * Counts planned time that will not be run (a group skipped, trials that gave no result), so the estimate of
     * the time left stays right.
     *
     * @param plannedMillis the plan's time for what was skipped.
     */
    void skipped(final long plannedMillis)
    {
        plannedDoneMillis += plannedMillis;
    }

    /**
     * Prints a line of the run's own (not per trial).
     *
     * @param line the line.
     */
    void say(final String line)
    {
        user.println(line);
        user.flush();
    }

    /**
     * The time since the run started.
     *
     * @return e.g. "1:05".
     */
    String elapsed()
    {
        return clock((System.nanoTime() - startNanos) / 1_000_000);
    }

    @Override
    public void startBenchmark(final BenchmarkParams params)
    {
        final long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        final long plannedLeft = Math.max(0, plannedTotalMillis - plannedDoneMillis);
        final double pace = plannedDoneMillis > 0 ? Math.max(0.5, (double) elapsedMillis / plannedDoneMillis) : 1;
        trial++;
        final String name = params.getBenchmark().substring(BenchGroup.BENCH_PACKAGE.length());
        final String paramText = params.getParamsKeys().stream().map(k -> k + "=" + params.getParam(k))
            .collect(Collectors.joining(" "));
        user.println(String.format(Locale.ROOT, "[%d/%d] %-9s %s%s, %d fork%s  (%s elapsed, about %s left)", trial,
            totalTrials, group, name, paramText.isEmpty() ? "" : " " + paramText, params.getForks(),
            1 == params.getForks() ? "" : "s", clock(elapsedMillis), clock((long) (plannedLeft * pace))));
        user.flush();
        plannedDoneMillis += currentTrialMillis;
        log.startBenchmark(params);
    }

    private static String clock(final long millis)
    {
        final long seconds = Math.round(millis / 1000.0);
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public void iteration(final BenchmarkParams benchParams, final IterationParams params, final int iteration)
    {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(final BenchmarkParams benchParams, final IterationParams params, final int iteration,
        final IterationResult data)
    {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void endBenchmark(final BenchmarkResult result)
    {
        log.endBenchmark(result);
    }

    @Override
    public void startRun()
    {
        log.startRun();
    }

    @Override
    public void endRun(final Collection<RunResult> result)
    {
        log.endRun(result);
    }

    @Override
    public void print(final String s)
    {
        log.print(s);
    }

    @Override
    public void println(final String s)
    {
        log.println(s);
    }

    @Override
    public void flush()
    {
        log.flush();
    }

    @Override
    public void close()
    {
        log.flush();
    }

    @Override
    public void verbosePrintln(final String s)
    {
        log.verbosePrintln(s);
    }

    @Override
    public void write(final int b)
    {
        log.write(b);
    }

    @Override
    public void write(final byte[] b) throws IOException
    {
        log.write(b);
    }
}
