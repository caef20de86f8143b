package io.harmonia.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.harmonia.tools.bench.BenchGroup.Step;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.cli.JsonOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia bench}: runs the same-run comparisons of bench/RESULTS.md on this machine and reports them. JMH
 * runs in forked JVMs ({@link BenchRunner}); a line per trial with the time left goes to stderr, JMH's own output
 * to {@code DIR/jmh.log}; the summary (or with {@code --json} the run) goes to stdout; {@code DIR} receives
 * {@code bench.json}, {@code report.html} and the PNG plots. Exit 0 when every step gave its results (groups
 * skipped for a reason, such as not being root, are listed and do not fail the run), 1 when a step failed.
 */
@Command(name = "bench",
    description = {
        "Benchmark Harmonia's IPC on this machine against same-run baselines: rings and channels against Agrona, a "
            + "Unix socket, a pipe and the cache-line floor; IpcIo against ByteBuffer; appspawn against "
            + "ProcessBuilder (as root); samgr against executors; RPC against the bare channel, a socket and "
            + "grpc-java.",
        "Prints a line per step with the time left, then each figure with its baseline and the ratio (medians "
            + "and ranges over forks, saying which way is better); writes DIR/bench.json, DIR/report.html with PNG "
            + "plots, and JMH's output in DIR/jmh.log. A full run takes about 13 minutes on 2 cores (--plan "
            + "prints the estimate); run it on an otherwise idle machine: the run records the load and warns when "
            + "the machine was busy."},
    subcommands = {BenchCompareCommand.class, BenchReportCommand.class, BenchHeadlineCommand.class})
public final class BenchCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Option(names = "--quick", description = "One short fork of a few benchmarks per group (under a minute): "
        + "proves the tool and the benchmarks work; the figures mean little.")
    private boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "GROUP",
        description = "Run only these groups (comma-separated): ${COMPLETION-CANDIDATES}.",
        completionCandidates = GroupNames.class)
    private List<String> only = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where bench.json, report.html, the plots and "
        + "jmh.log go (created; default: ${DEFAULT-VALUE}).", defaultValue = "bench-report")
    private Path out;

    @Option(names = "--plan", description = "Print the steps and the estimated duration, and run nothing.")
    private boolean plan;

    /** The group names, for --only's help and completion. */
    static final class GroupNames extends ArrayList<String>
    {
        private static final long serialVersionUID = 1L;

        GroupNames()
        {
            super(BenchGroups.ALL.stream().map(BenchGroup::name).toList());
        }
    }

    @Override
    public Integer call()
    {
        final List<BenchGroup> groups = selectedGroups();
        final BenchRunner runner = new BenchRunner(groups, quick, out);
        final PrintWriter stdout = spec.commandLine().getOut();
        if (plan)
        {
            printPlan(groups, runner, stdout);
            return ExitCode.OK;
        }
        System.setProperty("java.awt.headless", "true");
        final BenchRun run = runner.run(spec.commandLine().getErr());
        final Path page;
        try
        {
            BenchJson.write(run, out.resolve("bench.json"));
            page = HtmlReport.write(run, out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the report into " + out, ex);
        }
        if (json.enabled())
        {
            stdout.println(BenchJson.text(run));
            stdout.flush();
        }
        else
        {
            Summary.print(run, stdout);
            stdout.println();
            stdout.println("report: " + page + " (data: " + out.resolve("bench.json") + ")");
            stdout.flush();
        }
        if (!run.failures().isEmpty())
        {
            throw CommandFailure.failed(run.failures().size() + " step(s) failed: " + run.failures().stream()
                .map(BenchRun.Failure::step).collect(Collectors.joining(", ")) + "; JMH's output is in "
                + out.resolve("jmh.log"));
        }
        return ExitCode.OK;
    }

    private List<BenchGroup> selectedGroups()
    {
        if (only.isEmpty())
        {
            return BenchGroups.ALL;
        }
        final List<BenchGroup> groups = new ArrayList<>();
        for (final String name : only)
        {
            final BenchGroup group = BenchGroups.named(name.trim());
            if (null == group)
            {
                throw new ParameterException(spec.commandLine(), "--only: unknown group '" + name + "' (one of "
                    + String.join(", ", new GroupNames()) + ")");
            }
            if (!groups.contains(group))
            {
                groups.add(group);
            }
        }
        return groups;
    }

    private void printPlan(final List<BenchGroup> groups, final BenchRunner runner, final PrintWriter stdout)
    {
        stdout.printf(Locale.ROOT, "%s run: %d trials, about %.1f minutes (each trial: forks x (iterations + "
            + "start-up))%n", quick ? "quick" : "full", runner.plannedTrials(), runner.plannedMillis() / 60_000.0);
        for (final BenchGroup group : groups)
        {
            stdout.println(group.name() + ": " + group.description() + (group.needsRoot() ? " [root]" : ""));
            for (final Step step : group.steps())
            {
                final int trials = step.trials(quick);
                if (trials > 0)
                {
                    final BenchGroup.Settings s = runner.settings(step);
                    stdout.printf(Locale.ROOT, "    %-32s %s%s: %d trial%s x %d fork%s, %.0f s%n",
                        step.benchmarkClass(), String.join(",", quick ? step.quickMethods() : step.methods()),
                        (quick ? step.quickParams() : step.params()).entrySet().stream()
                            .map(e -> " " + e.getKey() + "=" + String.join(",", e.getValue()))
                            .collect(Collectors.joining()),
                        trials, 1 == trials ? "" : "s", s.forks(), 1 == s.forks() ? "" : "s",
                        trials * s.trialMillis() / 1000.0);
                }
            }
        }
        stdout.flush();
    }
}
