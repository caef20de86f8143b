package io.harmonia.tools.bench;

import java.util.Locale;

/**
 * Turns a figure and its unit as JMH gives them ("ns/op", "ops/us", ...) into what a reader expects ("0.24 us",
 * "42.4 M/s"), with three significant digits; and says which units are times and which are rates, so plots can
 * put like with like.
 */
final class Units
{
    private Units()
    {
    }

    /**
     * Nanoseconds per unit of a time unit, or 0 when the unit is not a time.
     *
     * @param unit "ns", "us/op", "ms/op", ...
     * @return the factor.
     */
    static double nanosPer(final String unit)
    {
        final String base = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (base)
        {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 0;
        };
    }

    /**
     * Operations per second of one per-time unit, or 0 when the unit is not a rate.
     *
     * @param unit "ops/s", "ops/us", ...
     * @return the factor.
     */
    static double perSecond(final String unit)
    {
        return switch (unit)
        {
            case "ops/ns" -> 1e9;
            case "ops/us" -> 1e6;
            case "ops/ms" -> 1e3;
            case "ops/s" -> 1;
            case "ops/min" -> 1.0 / 60;
            default -> 0;
        };
    }

    /**
     * What a unit measures, so that values in different units of the same kind can be compared.
     *
     * @param unit a unit.
     * @return "time", "rate", or the unit itself.
     */
    static String dimension(final String unit)
    {
        return nanosPer(unit) > 0 ? "time" : perSecond(unit) > 0 ? "rate" : unit;
    }

    /**
     * A value in its dimension's base unit: nanoseconds for times, per second for rates, as it is otherwise.
     *
     * @param value the value.
     * @param unit  its unit.
     * @return the value in the base unit.
     */
    static double toBase(final double value, final String unit)
    {
        final double nanos = nanosPer(unit);
        final double rate = perSecond(unit);
        return nanos > 0 ? value * nanos : rate > 0 ? value * rate : value;
    }

    /**
     * A value with its unit, scaled for reading.
     *
     * @param value the value.
     * @param unit  its unit.
     * @return e.g. "0.24 us", "42.4 M/s", "7.30 ns", "0 B/op".
     */
    static String format(final double value, final String unit)
    {
        final double nanos = nanosPer(unit);
        if (nanos > 0)
        {
            final double ns = value * nanos;
            if (Math.abs(ns) < 1e3)
            {
                return digits(ns) + " ns";
            }
            if (Math.abs(ns) < 1e6)
            {
                return digits(ns / 1e3) + " us";
            }
            return Math.abs(ns) < 1e9 ? digits(ns / 1e6) + " ms" : digits(ns / 1e9) + " s";
        }
        final double rate = perSecond(unit);
        if (rate > 0)
        {
            final double perSecond = value * rate;
            if (Math.abs(perSecond) >= 1e6)
            {
                return digits(perSecond / 1e6) + " M/s";
            }
            return Math.abs(perSecond) >= 1e3 ? digits(perSecond / 1e3) + " k/s" : digits(perSecond) + " /s";
        }
        return digits(value) + " " + unit;
    }

    /**
     * A ratio as "0.31x".
     *
     * @param ratio the ratio.
     * @return its text.
     */
    static String ratio(final double ratio)
    {
        return digits(ratio) + "x";
    }

    /**
     * Three significant digits from 1 up, two below (0.31, 0.0049), no exponent for everyday magnitudes.
     *
     * @param value a number.
     * @return its text.
     */
    static String digits(final double value)
    {
        final double magnitude = Math.abs(value);
        if (0 == magnitude)
        {
            return "0";
        }
        if (magnitude >= 100)
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return magnitude >= 10 ? String.format(Locale.ROOT, "%.1f", value)
            : magnitude >= 1 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.2g", value);
    }
}
