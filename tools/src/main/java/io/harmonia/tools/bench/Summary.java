package io.harmonia.tools.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.harmonia.tools.bench.BenchRun.Figure;
import io.harmonia.tools.bench.BenchRun.Machine;
import io.harmonia.tools.bench.BenchRun.Stat;

/**
 * The words and numbers of a run, shared by the terminal summary, the HTML report and the Markdown section: the
 * machine line, a figure's value with its range, and the summary table printed after a run.
 */
final class Summary
{
    private Summary()
    {
    }

    /**
     * The machine in one line.
     *
     * @param machine the machine record.
     * @return e.g. "AMD EPYC, 2 cores, x86_64, kernel 6.18.0, Java 25.0.3 (Eclipse Adoptium), load 0.90 -> 1.80".
     */
    static String machine(final Machine machine)
    {
        return String.format(Locale.ROOT, "%s, %d cores, %s, kernel %s, %s, load %.2f -> %.2f, other processes %.0f %% "
            + "of a core", machine.cpuModel(), machine.cores(), machine.arch(), machine.kernel(), machine.runtime(),
            machine.loadStart().getFirst(), machine.loadEnd().getFirst(), machine.otherCpuPercent());
    }

    /**
     * A summary with its unit: the median, then the range over forks.
     *
     * @param stat the summary.
     * @param unit its unit.
     * @return e.g. "0.24 us (0.22-0.26 over 3 forks)".
     */
    static String stat(final Stat stat, final String unit)
    {
        final int forks = stat.forks().size();
        return Units.format(stat.median(), unit) + (1 == forks ? " (1 fork)"
            : " (" + Units.format(stat.min(), unit) + " - " + Units.format(stat.max(), unit) + ", " + forks
                + " forks)");
    }

    /**
     * A figure's ratio with its range.
     *
     * @param figure the figure.
     * @return e.g. "0.31x (0.25x-0.36x)".
     */
    static String ratio(final Figure figure)
    {
        return Units.ratio(figure.ratio().median()) + (figure.value().stat().forks().size() > 1
            || figure.baseline().stat().forks().size() > 1
            ? " (" + Units.ratio(figure.ratio().min()) + "-" + Units.ratio(figure.ratio().max()) + ")" : "");
    }

    /**
     * Prints the summary of a run: tool, machine and warnings, each figure against its baseline, what was
     * skipped and what failed.
     *
     * @param run the run.
     * @param out where.
     */
    static void print(final BenchRun run, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "== %s %s (%s, %s run of %s, %.0f s)%n", run.tool().name(), run.tool().version(),
            run.tool().implementation(), run.mode(), String.join(", ", run.groups()), run.seconds());
        out.println("machine: " + machine(run.machine()));
        run.machine().warnings().forEach(w -> out.println("warning: " + w));
        if ("quick".equals(run.mode()))
        {
            out.println("note: a quick run proves the benchmarks work; its figures are not measurements");
        }
        for (final Figure figure : run.figures())
        {
            out.println();
            out.println(figure.id() + ": " + figure.title());
            out.println("    " + figure.value().label() + ": " + stat(figure.value().stat(), figure.unit()));
            out.println("    baseline, " + figure.baseline().label() + ": " + stat(figure.baseline().stat(),
                figure.unit()));
            out.println("    ratio " + ratio(figure) + ": " + FigureReader.verdict(figure.ratio().median(),
                figure.better()));
        }
        lines("skipped", run.skipped().stream().map(s -> s.group() + ": " + s.reason()).toList(), out);
        lines("failed", run.failures().stream().map(f -> f.step() + ": " + f.message()).toList(), out);
        out.flush();
    }

    private static void lines(final String heading, final List<String> lines, final PrintWriter out)
    {
        if (!lines.isEmpty())
        {
            out.println();
            out.println(lines.stream().map(line -> heading + ": " + line).collect(Collectors.joining("\n")));
        }
    }
}
