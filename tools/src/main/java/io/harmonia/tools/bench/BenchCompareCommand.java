package io.harmonia.tools.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.harmonia.tools.bench.BenchRun.Figure;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.cli.JsonOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia bench compare A.json B.json}: two runs side by side (two machines, two versions, the Java and
 * the C tool), figure by figure, paired by figure id. For each figure both runs' value, baseline and ratio, and
 * how B's value compares with A's in the direction that is better. A figure only one run has is shown with the
 * other side empty.
 */
@Command(name = "compare", description = "Show two runs side by side (two machines or two versions): each "
    + "figure's value, baseline and ratio in both, and B's value against A's, saying which way is better.")
final class BenchCompareCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Parameters(index = "0", paramLabel = "A.json", description = "The first run (the reference).")
    private Path first;

    @Parameters(index = "1", paramLabel = "B.json", description = "The second run.")
    private Path second;

    /**
     * One run's identity in the comparison.
     *
     * @param file    the file.
     * @param tool    the tool that produced it.
     * @param mode    full or quick.
     * @param started when it started.
     * @param machine the machine in one line.
     * @param warnings the machine's warnings.
     */
    record RunHeader(String file, String tool, String mode, String started, String machine, List<String> warnings)
    {
        static RunHeader of(final Path file, final BenchRun run)
        {
            return new RunHeader(file.toString(), run.tool().name() + " " + run.tool().version() + " ("
                + run.tool().implementation() + ")", run.mode(), run.started(), Summary.machine(run.machine()),
                run.machine().warnings());
        }
    }

    /**
     * One figure in both runs.
     *
     * @param id         the figure id.
     * @param title      the comparison in words.
     * @param better     lower or higher.
     * @param a          the figure in A (null when A lacks it).
     * @param b          the figure in B (null when B lacks it).
     * @param valueRatio B's median value / A's (0 when one is missing or their units differ).
     * @param reading    B against A in words.
     */
    record Row(String id, String title, String better, Figure a, Figure b, double valueRatio, String reading)
    {
    }

    /**
     * The comparison {@code --json} prints.
     *
     * @param a    the first run.
     * @param b    the second run.
     * @param rows each figure.
     */
    record Comparison(RunHeader a, RunHeader b, List<Row> rows)
    {
    }

    @Override
    public Integer call()
    {
        final BenchRun a = BenchReportCommand.readRun(first);
        final BenchRun b = BenchReportCommand.readRun(second);
        final Comparison comparison = new Comparison(RunHeader.of(first, a), RunHeader.of(second, b), rows(a, b));
        final PrintWriter out = spec.commandLine().getOut();
        if (json.enabled())
        {
            JsonOption.print(out, comparison);
        }
        else
        {
            print(comparison, out);
        }
        return ExitCode.OK;
    }

    /**
     * Pairs the figures of two runs by id, in A's order, then B's figures A lacks.
     *
     * @param a the first run.
     * @param b the second run.
     * @return the rows.
     */
    static List<Row> rows(final BenchRun a, final BenchRun b)
    {
        final Map<String, Figure[]> byId = new LinkedHashMap<>();
        a.figures().forEach(f -> byId.computeIfAbsent(f.id(), k -> new Figure[2])[0] = f);
        b.figures().forEach(f -> byId.computeIfAbsent(f.id(), k -> new Figure[2])[1] = f);
        final List<Row> rows = new ArrayList<>();
        byId.forEach((id, pair) ->
        {
            final Figure any = null != pair[0] ? pair[0] : pair[1];
            double ratio = 0;
            String reading = null == pair[0] ? "only in B" : "only in A";
            if (null != pair[0] && null != pair[1])
            {
                if (Units.dimension(pair[0].unit()).equals(Units.dimension(pair[1].unit())))
                {
                    ratio = Units.toBase(pair[1].value().stat().median(), pair[1].unit())
                        / Units.toBase(pair[0].value().stat().median(), pair[0].unit());
                    reading = "B's value is " + Units.ratio(ratio) + " A's; " + FigureReader.verdict(ratio,
                        any.better()) + " for B";
                }
                else
                {
                    reading = "units differ (" + pair[0].unit() + ", " + pair[1].unit() + ")";
                }
            }
            rows.add(new Row(id, any.title(), any.better(), pair[0], pair[1], ratio, reading));
        });
        return rows;
    }

    private static void print(final Comparison comparison, final PrintWriter out)
    {
        for (final RunHeader header : List.of(comparison.a(), comparison.b()))
        {
            out.printf(Locale.ROOT, "%s: %s, %s, %s run started %s%n    machine: %s%n",
                header == comparison.a() ? "A" : "B", header.file(), header.tool(), header.mode(), header.started(),
                header.machine());
            header.warnings().forEach(w -> out.println("    warning: " + w));
        }
        for (final Row row : comparison.rows())
        {
            out.println();
            out.println(row.id() + ": " + row.title());
            out.println("    A: " + side(row.a()));
            out.println("    B: " + side(row.b()));
            out.println("    " + row.reading());
        }
        out.flush();
    }

    private static String side(final Figure figure)
    {
        if (null == figure)
        {
            return "-";
        }
        return Summary.stat(figure.value().stat(), figure.unit()) + " against " + figure.baseline().label() + " "
            + Summary.stat(figure.baseline().stat(), figure.unit()) + ": " + Summary.ratio(figure);
    }
}
