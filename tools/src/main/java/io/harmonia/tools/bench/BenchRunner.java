package io.harmonia.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.harmonia.bench.ForkRecord;
import io.harmonia.tools.bench.BenchGroup.Settings;
import io.harmonia.tools.bench.BenchGroup.Step;
import io.harmonia.tools.bench.BenchRun.Failure;
import io.harmonia.tools.bench.BenchRun.Measurement;
import io.harmonia.tools.bench.BenchRun.Skipped;
import io.harmonia.tools.cli.VersionProvider;

/**
 * Runs the JMH steps of some groups in this JVM through JMH's {@link Runner} (every benchmark in forked JVMs, as
 * JMH always does) and collects one {@link BenchRun}. The forks get the flags the benchmarks need (native access,
 * the opening Agrona needs) and the directory for their {@link ForkRecord}s; system properties of this JVM that
 * start with {@code harmonia.} are passed on, so a tuning flag reaches the code it tunes.
 *
 * <p>Errors: a benchmark that fails (an exception in a fork) does not stop the run; its trial is missing from the
 * results, the step is listed in {@link BenchRun#failures()} and JMH's message is in the log. A group that needs
 * root is skipped with the reason when this process is not root. Progress and the log are written as the run goes;
 * nothing else is printed.
 */
final class BenchRunner
{
    /** The flags every fork needs (bench/pom.xml's exec:exec@jmh gives the same ones). */
    static final List<String> FORK_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final Settings QUICK = new Settings(1, 1, 100, 1, 200, 0);

    private final List<BenchGroup> groups;
    private final boolean quick;
    private final Path out;

    /**
     * A runner of some groups.
     *
     * @param groups the groups, in order.
     * @param quick  one short fork per trial and only the quick subset of each group.
     * @param out    the run's directory (log, fork records).
     */
    BenchRunner(final List<BenchGroup> groups, final boolean quick, final Path out)
    {
        this.groups = groups;
        this.quick = quick;
        this.out = out;
    }

    /**
     * The settings a step runs with in this mode.
     *
     * @param step the step.
     * @return its settings (quick: one short fork, the step's allowance for start-up).
     */
    Settings settings(final Step step)
    {
        final Settings full = step.settings();
        return quick ? new Settings(QUICK.forks(), QUICK.warmupIterations(), QUICK.warmupMillis(),
            QUICK.measurementIterations(), QUICK.measurementMillis(), full.forkOverheadMillis()) : full;
    }

    /**
     * The plan's estimate of the whole run.
     *
     * @return milliseconds.
     */
    long plannedMillis()
    {
        return groups.stream().flatMap(g -> g.steps().stream())
            .mapToLong(s -> s.trials(quick) * settings(s).trialMillis()).sum();
    }

    /**
     * The trials in the plan.
     *
     * @return their number.
     */
    int plannedTrials()
    {
        return groups.stream().flatMap(g -> g.steps().stream()).mapToInt(s -> s.trials(quick)).sum();
    }

    /**
     * Runs every step and collects the run.
     *
     * @param user where the progress lines go.
     * @return the run.
     */
    BenchRun run(final PrintWriter user)
    {
        final Path records = out.resolve("fork-records");
        final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final long startNanos = System.nanoTime();
        try
        {
            Files.createDirectories(out);
            deleteRecursively(records);
            Files.createDirectories(records);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot prepare " + out, ex);
        }
        final MachineProbe probe = MachineProbe.start();
        final Outcome outcome = new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (PrintStream log = new PrintStream(Files.newOutputStream(out.resolve("jmh.log")), true,
            StandardCharsets.UTF_8))
        {
            // JMH's host prints what the forks print (their stdout and stderr) on System.out and System.err: into
            // the log too while the run lasts. The command's own streams were taken before and are not affected.
            final PrintStream stdout = System.out;
            final PrintStream stderr = System.err;
            System.setOut(log);
            System.setErr(log);
            try
            {
                runGroups(log, user, records, outcome);
            }
            finally
            {
                System.setOut(stdout);
                System.setErr(stderr);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + out.resolve("jmh.log"), ex);
        }
        final BenchRun.Machine machine = probe.finish(VersionProvider.javaDescription());
        return new BenchRun(BenchRun.SCHEMA, new BenchRun.Tool("harmonia bench", "java",
            VersionProvider.toolsVersion()), quick ? "quick" : "full", started.toString(),
            Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0, machine,
            groups.stream().map(BenchGroup::name).toList(), FigureReader.read(outcome.ran(), outcome.measurements()),
            List.copyOf(outcome.measurements()), List.copyOf(outcome.skipped()), List.copyOf(outcome.failures()));
    }

    /** What the steps gave, filled as they run. */
    private record Outcome(List<BenchGroup> ran, List<Skipped> skipped, List<Failure> failures,
        List<Measurement> measurements)
    {
    }

    private void runGroups(final PrintStream log, final PrintWriter user, final Path records, final Outcome outcome)
    {
        final Progress progress = new Progress(log, user, plannedMillis(), plannedTrials());
        progress.say("harmonia bench: " + plannedTrials() + " trials, planned " + minutes(plannedMillis())
            + "; JMH's output goes to " + out.resolve("jmh.log"));
        for (final BenchGroup group : groups)
        {
            if (group.needsRoot() && !isRoot())
            {
                outcome.skipped().add(new Skipped(group.name(), "needs root (appspawn changes uids); run as root"));
                group.steps().forEach(s -> progress.skipped(s.trials(quick) * settings(s).trialMillis()));
                progress.say("skipping " + group.name() + ": needs root");
                continue;
            }
            outcome.ran().add(group);
            for (final Step step : group.steps())
            {
                final int trials = step.trials(quick);
                if (0 == trials)
                {
                    continue;
                }
                progress.step(group.name(), settings(step).trialMillis());
                final Collection<RunResult> results = runStep(step, records, progress, outcome.failures());
                if (results.size() < trials)
                {
                    progress.skipped((trials - results.size()) * settings(step).trialMillis());
                    outcome.failures().add(new Failure(group.name() + ": " + step.benchmarkClass(),
                        (trials - results.size()) + " of " + trials + " trials gave no result; JMH's message is in "
                            + out.resolve("jmh.log")));
                }
                outcome.measurements().addAll(
                    ResultCollector.readingRecords(records).collect(group.name(), results));
            }
        }
        progress.say("finished in " + progress.elapsed());
    }

    private Collection<RunResult> runStep(final Step step, final Path records, final Progress progress,
        final List<Failure> failures)
    {
        final Settings settings = settings(step);
        final List<String> jvmArgs = new ArrayList<>(FORK_FLAGS);
        jvmArgs.add("-D" + ForkRecord.DIRECTORY_PROPERTY + "=" + records.toAbsolutePath());
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("harmonia."))
            .filter(name -> !ForkRecord.DIRECTORY_PROPERTY.equals(name)).sorted()
            .forEach(name -> jvmArgs.add("-D" + name + "=" + System.getProperty(name)));
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(step.include(quick ? step.quickMethods() : step.methods()))
            .forks(settings.forks())
            .warmupIterations(settings.warmupIterations())
            .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
            .measurementIterations(settings.measurementIterations())
            .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
            .jvmArgs(jvmArgs.toArray(String[]::new))
            .shouldFailOnError(false);
        for (final Map.Entry<String, List<String>> param : (quick ? step.quickParams() : step.params()).entrySet())
        {
            options.param(param.getKey(), param.getValue().toArray(String[]::new));
        }
        if (step.gcProfile())
        {
            options.addProfiler(GCProfiler.class);
        }
        try
        {
            return new Runner(options.build(), progress).run();
        }
        catch (final RunnerException ex)
        {
            failures.add(new Failure(step.benchmarkClass(), String.valueOf(ex.getMessage())));
            return List.of();
        }
    }

    private static boolean isRoot()
    {
        try
        {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:")).map(line -> line.split("\\s+")[2])
                .anyMatch("0"::equals);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String minutes(final long millis)
    {
        final long seconds = Math.round(millis / 1000.0);
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
