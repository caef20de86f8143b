package io.harmonia.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import io.harmonia.tools.bench.BenchRun.Figure;
import io.harmonia.tools.bench.BenchRun.Measurement;

/**
 * The report of a run: one self-contained HTML page ({@code report.html}) beside its PNG plots and the run's JSON,
 * drawn from the {@link BenchRun} alone. It holds the machine and its warnings, every figure against its
 * same-run baseline with the ratio and which way is better (medians with the range over forks), the plots, and
 * every measurement.
 */
final class HtmlReport
{
    /** The page's file name. */
    static final String FILE = "report.html";

    private HtmlReport()
    {
    }

    /**
     * Writes the plots and the page.
     *
     * @param run       the run.
     * @param directory where (created when missing).
     * @return the page.
     */
    static Path write(final BenchRun run, final Path directory)
    {
        final Map<String, String> plots = Plots.draw(run, directory);
        final StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Harmonia benchmark "
            + "report</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:left;vertical-align:top}th{background:#f0f0f0}.warning{color:#a00;font-weight:bold}"
            + "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}</style></head><body>\n");
        html.append("<h1>Harmonia benchmark report</h1>\n<p>")
            .append(escape(run.tool().name() + " " + run.tool().version() + " (" + run.tool().implementation()
                + "), " + run.mode() + " run of " + String.join(", ", run.groups()) + ", started " + run.started()
                + ", " + Math.round(run.seconds()) + " s"))
            .append("</p>\n<p>Every figure has its baseline measured in the same run; a ratio is Harmonia's figure "
                + "divided by the baseline's. Values are medians over forks (a fork is a fresh JVM, or for the C "
                + "bench a fresh pair of processes), with the range over forks; never the best run.</p>\n");
        if ("quick".equals(run.mode()))
        {
            html.append("<p class=\"warning\">A quick run: it proves the benchmarks work; its figures are not "
                + "measurements.</p>\n");
        }
        html.append("<h2>Machine</h2>\n<p>").append(escape(Summary.machine(run.machine()))).append("</p>\n");
        for (final String warning : run.machine().warnings())
        {
            html.append("<p class=\"warning\">").append(escape(warning)).append("</p>\n");
        }
        html.append("<h2>Figures</h2>\n<table><tr><th>Figure</th><th>Harmonia</th><th>Baseline (same run)</th>"
            + "<th>Ratio</th><th>Better</th><th>Reading</th></tr>\n");
        for (final Figure figure : run.figures())
        {
            html.append("<tr><td>").append(escape(figure.title())).append("<br><small>").append(escape(figure.id()))
                .append("</small></td><td>").append(escape(figure.value().label() + ": "
                    + Summary.stat(figure.value().stat(), figure.unit())))
                .append("</td><td>").append(escape(figure.baseline().label() + ": "
                    + Summary.stat(figure.baseline().stat(), figure.unit())))
                .append("</td><td>").append(escape(Summary.ratio(figure))).append("</td><td>")
                .append(escape(figure.better())).append("</td><td>").append(escape(figure.reading()))
                .append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (final var s : run.skipped())
        {
            html.append("<p>Skipped ").append(escape(s.group() + ": " + s.reason())).append("</p>\n");
        }
        for (final var f : run.failures())
        {
            html.append("<p class=\"warning\">Failed ").append(escape(f.step() + ": " + f.message()))
                .append("</p>\n");
        }
        html.append("<h2>Plots</h2>\n");
        plots.forEach((file, caption) -> html.append("<figure><img src=\"").append(escape(file)).append("\" alt=\"")
            .append(escape(caption)).append("\"><figcaption>").append(escape(caption))
            .append("</figcaption></figure>\n"));
        html.append("<h2>Every measurement</h2>\n<table><tr><th>Group</th><th>Benchmark</th><th>Parameters</th>"
            + "<th>Score</th><th>p50</th><th>p99</th><th>Other</th></tr>\n");
        for (final Measurement m : run.measurements())
        {
            html.append("<tr><td>").append(escape(m.group())).append("</td><td>").append(escape(m.benchmark()))
                .append("</td><td>").append(escape(m.params().entrySet().stream().map(e -> e.getKey() + "="
                    + e.getValue()).collect(Collectors.joining(" "))))
                .append("</td><td>").append(escape(Summary.stat(m.score(), m.unit()))).append("</td><td>")
                .append(escape(percentile(m, 50))).append("</td><td>").append(escape(percentile(m, 99)))
                .append("</td><td>").append(escape(m.extras().entrySet().stream().map(e -> e.getKey() + " "
                    + Summary.stat(e.getValue().value(), e.getValue().unit())).collect(Collectors.joining("; "))))
                .append("</td></tr>\n");
        }
        html.append("</table>\n<p>The run's data: <a href=\"bench.json\">bench.json</a>.</p>\n</body></html>\n");
        final Path page = directory.resolve(FILE);
        try
        {
            Files.writeString(page, html, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + page, ex);
        }
        return page;
    }

    private static String percentile(final Measurement measurement, final double p)
    {
        return measurement.percentiles().stream().filter(point -> point.percentile() == p).findFirst()
            .map(point -> Summary.stat(point.ns(), "ns")).orElse("");
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
