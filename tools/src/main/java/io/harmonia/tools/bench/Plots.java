package io.harmonia.tools.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import io.harmonia.tools.bench.BenchRun.Figure;
import io.harmonia.tools.bench.BenchRun.Measurement;
import io.harmonia.tools.bench.BenchRun.Percentile;
import io.harmonia.tools.bench.BenchRun.Stat;

/**
 * The report's PNG plots, drawn with JFreeChart from a {@link BenchRun} alone (so a run from a board is plotted on
 * a host): per group, latency percentile curves (one per transport: the median over forks as a line, the range
 * over forks as a band; both axes logarithmic, percentiles spread as 90 %, 99 %, 99.9 %, ...) and throughput bars
 * per message size (the median, labelled with the range over forks); and one chart of every figure's ratio,
 * turned so that right of 1 is always better for Harmonia.
 */
final class Plots
{
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Plots()
    {
    }

    /**
     * Draws every plot the run has data for.
     *
     * @param run       the run.
     * @param directory where the PNGs go.
     * @return the files written, relative to the directory, with a caption each, in order.
     */
    static Map<String, String> draw(final BenchRun run, final Path directory)
    {
        final Map<String, String> written = new LinkedHashMap<>();
        try
        {
            Files.createDirectories(directory);
            for (final String group : run.groups())
            {
                final List<Measurement> ofGroup = run.measurements().stream()
                    .filter(m -> m.group().equals(group)).toList();
                if (ofGroup.stream().anyMatch(m -> !m.percentiles().isEmpty()))
                {
                    final String file = "latency-" + group + ".png";
                    save(latency(group, ofGroup), directory.resolve(file));
                    written.put(file, group + ": latency percentiles per transport (median over forks, band: "
                        + "range over forks)");
                }
                if (ofGroup.stream().anyMatch(Plots::isSizedRate))
                {
                    final String file = "throughput-" + group + ".png";
                    save(throughput(group, ofGroup), directory.resolve(file));
                    written.put(file, group + ": throughput per message size (median over forks, range in the "
                        + "labels)");
                }
            }
            if (!run.figures().isEmpty())
            {
                save(ratios(run.figures()), directory.resolve("ratios.png"));
                written.put("ratios.png", "every figure against its same-run baseline: times better (right of 1) "
                    + "or worse (left of 1)");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the plots into " + directory, ex);
        }
        return written;
    }

    private static boolean isSizedRate(final Measurement measurement)
    {
        return Units.perSecond(measurement.unit()) > 0 && measurement.params().containsKey("size");
    }

    /** A measurement's name in a legend: its transport, else its method and parameters. */
    static String seriesName(final Measurement measurement)
    {
        final String transport = measurement.params().get("transport");
        if (null != transport)
        {
            return transport;
        }
        final String method = measurement.benchmark().substring(measurement.benchmark().lastIndexOf('.') + 1);
        final StringBuilder name = new StringBuilder(method);
        measurement.params().forEach((k, v) -> name.append(' ').append(k).append('=').append(v));
        return name.toString();
    }

    private static JFreeChart latency(final String group, final List<Measurement> measurements)
    {
        final YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        double low = Double.MAX_VALUE;
        double high = 0;
        for (final Measurement measurement : measurements)
        {
            if (measurement.percentiles().isEmpty())
            {
                continue;
            }
            final YIntervalSeries series = new YIntervalSeries(seriesName(measurement));
            for (final Percentile point : measurement.percentiles())
            {
                final Stat ns = point.ns();
                series.add(1 / (1 - point.percentile() / 100), micros(ns.median()), micros(ns.min()),
                    micros(ns.max()));
                low = Math.min(low, micros(ns.min()));
                high = Math.max(high, micros(ns.max()));
            }
            data.addSeries(series);
        }
        final LogAxis percentile = new LogAxis("percentile");
        percentile.setNumberFormatOverride(new PercentileFormat());
        percentile.setSmallestValue(1);
        final LogAxis latency = new LogAxis("latency (us, log scale)");
        latency.setNumberFormatOverride(new DecimalFormat("0.###"));
        latency.setSmallestValue(1e-3);
        final DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.15f);
        for (int i = 0; i < data.getSeriesCount(); i++)
        {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesFillPaint(i, renderer.lookupSeriesPaint(i));
        }
        latency.setRange(decades(low, high));
        percentile.setRange(1, 2e4); // room for the 99.99 % label
        perDecade(latency);
        perDecade(percentile);
        final XYPlot plot = new XYPlot(data, percentile, latency, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart(group + ": latency by percentile (lower is better)", plot);
    }

    private static JFreeChart throughput(final String group, final List<Measurement> measurements)
    {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        final Map<String, Stat> stats = new HashMap<>();
        final TreeSet<Integer> sizes = new TreeSet<>();
        measurements.stream().filter(Plots::isSizedRate)
            .forEach(m -> sizes.add(Integer.parseInt(m.params().get("size"))));
        for (final int size : sizes)
        {
            for (final Measurement m : measurements)
            {
                if (isSizedRate(m) && Integer.toString(size).equals(m.params().get("size")))
                {
                    final double scale = Units.perSecond(m.unit()) / 1e6;
                    final String column = size + " B";
                    final Stat s = m.score();
                    data.addValue(s.median() * scale, seriesName(m), column);
                    stats.put(seriesName(m) + "\n" + column, new Stat(s.median() * scale, s.min() * scale,
                        s.max() * scale, List.of()));
                }
            }
        }
        final LogAxis rate = new LogAxis("million messages per second (log scale)");
        rate.setNumberFormatOverride(new DecimalFormat("0.###"));
        rate.setSmallestValue(1e-3);
        final BarRenderer renderer = barRenderer((row, column) ->
        {
            final Stat s = stats.get(row + "\n" + column);
            return null == s ? "" : Units.digits(s.median()) + " (" + Units.digits(s.min()) + "-"
                + Units.digits(s.max()) + ")";
        });
        rate.setRange(decades(stats.values().stream().mapToDouble(Stat::min).min().orElse(1),
            stats.values().stream().mapToDouble(Stat::max).max().orElse(1)));
        renderer.setMaximumBarWidth(0.12);
        perDecade(rate);
        final CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("message size"), rate, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart(group + ": one-way throughput between processes (higher is better)", plot);
    }

    private static JFreeChart ratios(final List<Figure> figures)
    {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        final Map<String, String> labels = new HashMap<>();
        double low = 0.5;
        double high = 2;
        for (final Figure figure : figures)
        {
            final boolean lower = "lower".equals(figure.better());
            final double gain = lower ? 1 / figure.ratio().median() : figure.ratio().median();
            final double worst = lower ? 1 / figure.ratio().max() : figure.ratio().min();
            final double best = lower ? 1 / figure.ratio().min() : figure.ratio().max();
            data.addValue(gain, "times better than the baseline", figure.id());
            low = Math.min(low, worst);
            high = Math.max(high, best);
            labels.put(figure.id(), Units.digits(gain) + "x (" + Units.digits(worst) + "-" + Units.digits(best)
                + ")");
        }
        final LogAxis times = new LogAxis("times better than the same-run baseline (log scale; 1 = parity)");
        times.setNumberFormatOverride(new DecimalFormat("0.###"));
        times.setSmallestValue(1e-4);
        times.setRange(decades(low, high));
        perDecade(times);
        final BarRenderer renderer = barRenderer((row, column) -> labels.getOrDefault(column, ""));
        renderer.setMaximumBarWidth(0.05);
        renderer.setSeriesPaint(0, new Color(70, 130, 180));
        // Right of each bar's end, where a short bar's label is not cut off by the axis.
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3,
            TextAnchor.CENTER_LEFT));
        final CategoryAxis names = new CategoryAxis();
        names.setTickLabelFont(LABEL_FONT);
        names.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        names.setMaximumCategoryLabelWidthRatio(0.45f);
        final CategoryPlot plot = new CategoryPlot(data, names, times, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        final ValueMarker parity = new ValueMarker(1, Color.DARK_GRAY, new BasicStroke(1.5f));
        plot.addRangeMarker(parity);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        final JFreeChart chart = chart("Harmonia against its same-run baselines (right of 1: Harmonia better)",
            plot);
        chart.removeLegend();
        return chart;
    }

    /** Bar labels from the bar's row (series) and column (category) keys. */
    private static final class Labels extends StandardCategoryItemLabelGenerator
    {
        private static final long serialVersionUID = 1L;
        private final transient BiFunction<String, String, String> text;

        Labels(final BiFunction<String, String, String> text)
        {
            this.text = text;
        }

        @Override
        public String generateLabel(final CategoryDataset dataset, final int row, final int column)
        {
            return text.apply(String.valueOf(dataset.getRowKey(row)), String.valueOf(dataset.getColumnKey(column)));
        }
    }

    private static BarRenderer barRenderer(final BiFunction<String, String, String> labelText)
    {
        final Labels labels = new Labels(labelText);
        final BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setIncludeBaseInRange(false);
        renderer.setDefaultItemLabelGenerator(labels);
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(LABEL_FONT);
        return renderer;
    }

    private static JFreeChart chart(final String title, final org.jfree.chart.plot.Plot plot)
    {
        final JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static void save(final JFreeChart chart, final Path file) throws IOException
    {
        final int rows = chart.getPlot() instanceof CategoryPlot plot
            && PlotOrientation.HORIZONTAL == plot.getOrientation() ? plot.getDataset().getColumnCount() : 0;
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, Math.max(HEIGHT, 120 + rows * 26));
    }

    /** One tick per power of ten. */
    private static void perDecade(final LogAxis axis)
    {
        axis.setTickUnit(new NumberTickUnit(1), false, true);
    }

    /** A log axis range of whole decades around the values, at least one decade wide. */
    private static Range decades(final double low, final double high)
    {
        final double bottom = Math.pow(10, Math.floor(Math.log10(Math.max(1e-4, low))));
        final double top = Math.pow(10, Math.ceil(Math.log10(Math.max(bottom * 10, high * 1.5))));
        return new Range(bottom, top);
    }

    private static double micros(final double nanos)
    {
        return Math.max(1e-3, nanos / 1e3);
    }

    /** The percentile axis: x = 1 / (1 - p) is labelled p ("90%", "99.9%"). */
    private static final class PercentileFormat extends NumberFormat
    {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(final double x, final StringBuffer to, final FieldPosition pos)
        {
            final double p = 100 * (1 - 1 / x);
            return to.append(String.format(Locale.ROOT, "%s%%", new DecimalFormat("0.####").format(Math.max(0, p))));
        }

        @Override
        public StringBuffer format(final long x, final StringBuffer to, final FieldPosition pos)
        {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(final String source, final ParsePosition pos)
        {
            return null;
        }
    }
}
