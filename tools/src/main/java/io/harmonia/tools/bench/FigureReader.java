package io.harmonia.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.harmonia.tools.bench.BenchGroup.FigureSpec;
import io.harmonia.tools.bench.BenchGroup.Metric;
import io.harmonia.tools.bench.BenchGroup.Selector;
import io.harmonia.tools.bench.BenchRun.Figure;
import io.harmonia.tools.bench.BenchRun.Measurement;
import io.harmonia.tools.bench.BenchRun.Ratio;
import io.harmonia.tools.bench.BenchRun.Side;
import io.harmonia.tools.bench.BenchRun.Stat;

/**
 * Reads a group's figures from the measurements of a run: for each comparison, the metric per fork on both sides,
 * their medians and ranges, and the ratio. A comparison whose sides were not both measured (a quick run, a failed
 * step) is left out.
 */
final class FigureReader
{
    private FigureReader()
    {
    }

    /**
     * The figures of some groups.
     *
     * @param groups       the groups that ran.
     * @param measurements the run's measurements.
     * @return the figures that both sides of which were measured, in declaration order.
     */
    static List<Figure> read(final List<BenchGroup> groups, final List<Measurement> measurements)
    {
        final List<Figure> figures = new ArrayList<>();
        for (final BenchGroup group : groups)
        {
            for (final FigureSpec spec : group.figures())
            {
                read(group.name(), spec, measurements).ifPresent(figures::add);
            }
        }
        return figures;
    }

    private static Optional<Figure> read(final String group, final FigureSpec spec,
        final List<Measurement> measurements)
    {
        final Optional<Measurement> value = find(spec.value(), measurements);
        final Optional<Measurement> baseline = find(spec.baseline(), measurements);
        if (value.isEmpty() || baseline.isEmpty())
        {
            return Optional.empty();
        }
        final Optional<Stat> valueStat = metric(spec.metric(), value.get());
        final Optional<Stat> baselineStat = metric(spec.metric(), baseline.get());
        if (valueStat.isEmpty() || baselineStat.isEmpty())
        {
            return Optional.empty();
        }
        final String unit = switch (spec.metric().kind())
        {
            case SCORE -> value.get().unit();
            case PERCENTILE -> "ns";
            case EXTRA -> value.get().extras().get(spec.metric().extra()).unit();
        };
        return Optional.of(figure(spec.id(), group, spec.title(), unit, spec.better(),
            new Side(spec.value().label(), valueStat.get()), new Side(spec.baseline().label(), baselineStat.get())));
    }

    /**
     * A figure from its two sides: the ratio of the medians, and the widest range the forks allow.
     *
     * @param id       the figure's id.
     * @param group    its group.
     * @param title    the comparison in words.
     * @param unit     the unit of both sides.
     * @param better   "lower" or "higher".
     * @param value    Harmonia's side.
     * @param baseline the baseline's side.
     * @return the figure.
     */
    static Figure figure(final String id, final String group, final String title, final String unit,
        final String better, final Side value, final Side baseline)
    {
        final Stat v = value.stat();
        final Stat b = baseline.stat();
        final Ratio ratio = new Ratio(v.median() / b.median(), v.min() / b.max(), v.max() / b.min());
        return new Figure(id, group, title, unit, better, value, baseline, ratio, reading(ratio.median(), better));
    }

    /**
     * A ratio in words, in the direction that is better.
     *
     * @param ratio  value / baseline.
     * @param better "lower" or "higher".
     * @return e.g. "0.31x the baseline; lower is better: 3.2x better".
     */
    static String reading(final double ratio, final String better)
    {
        return Units.ratio(ratio) + " the baseline; " + verdict(ratio, better);
    }

    /**
     * Which way a ratio goes, in words.
     *
     * @param ratio  value / reference.
     * @param better "lower" or "higher".
     * @return e.g. "lower is better: 3.2x better".
     */
    static String verdict(final double ratio, final String better)
    {
        final boolean lowerBetter = "lower".equals(better);
        final double gain = lowerBetter ? 1 / ratio : ratio;
        final String verdict;
        if (Double.isNaN(gain) || Double.isInfinite(gain))
        {
            verdict = "no ratio";
        }
        else if (Math.abs(gain - 1) < 0.005)
        {
            verdict = "parity";
        }
        else
        {
            verdict = gain > 1 ? Units.digits(gain) + "x better" : Units.digits(1 / gain) + "x worse";
        }
        return better + " is better: " + verdict;
    }

    private static Optional<Measurement> find(final Selector selector, final List<Measurement> measurements)
    {
        return measurements.stream().filter(selector::matches).findFirst();
    }

    private static Optional<Stat> metric(final Metric metric, final Measurement measurement)
    {
        return switch (metric.kind())
        {
            case SCORE -> Optional.of(measurement.score());
            case PERCENTILE -> measurement.percentiles().stream()
                .filter(p -> p.percentile() == metric.percentile()).map(BenchRun.Percentile::ns).findFirst();
            case EXTRA -> Optional.ofNullable(measurement.extras().get(metric.extra())).map(BenchRun.Extra::value);
        };
    }
}
