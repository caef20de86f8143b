package io.harmonia.tools.demo;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the demo states a measured figure: with the baseline measured in the same run, the ratio, which way is
 * better, and whether the measurement stopped at its time limit. Every timed loop of the demo has a limit, so a
 * loaded machine cannot stretch the demo; a figure cut short says so.
 */
final class Figures
{
    private Figures()
    {
    }

    /** Which way a ratio is better. */
    enum Better
    {
        HIGHER("higher is better"),
        LOWER("lower is better");

        private final String words;

        Better(final String words)
        {
            this.words = words;
        }
    }

    /**
     * Messages sent in a time.
     *
     * @param messages       how many were sent.
     * @param planned        how many the step meant to send.
     * @param nanos          how long it took.
     * @param stoppedAtLimit whether the time limit ended the run before {@code planned}.
     */
    record Throughput(long messages, long planned, long nanos, boolean stoppedAtLimit)
    {
        double millionsPerSecond()
        {
            return messages * 1e3 / nanos;
        }
    }

    /**
     * Round-trip times.
     *
     * @param nanos          each round trip's time, sorted.
     * @param planned        how many the step meant to time.
     * @param stoppedAtLimit whether the time limit ended the run before {@code planned}.
     */
    record RoundTrips(long[] nanos, long planned, boolean stoppedAtLimit)
    {
        static RoundTrips of(final long[] times, final int count, final long planned, final boolean stoppedAtLimit)
        {
            final long[] sorted = Arrays.copyOf(times, count);
            Arrays.sort(sorted);
            return new RoundTrips(sorted, planned, stoppedAtLimit);
        }

        double percentileMicros(final double fraction)
        {
            return nanos[(int)Math.min(nanos.length - 1, (long)(nanos.length * fraction))] / 1e3;
        }
    }

    /**
     * A ratio with as many decimals as it needs to say something.
     *
     * @param ratio figure / baseline.
     * @param better which way is better.
     * @return e.g. "12.3x (higher is better)".
     */
    static String ratio(final double ratio, final Better better)
    {
        final String format = ratio >= 10 ? "%.1fx" : ratio >= 0.1 ? "%.2fx" : "%.3fx";
        return String.format(Locale.ROOT, format, ratio) + " (" + better.words + ")";
    }

    /**
     * Microseconds with the decimals that matter at their size.
     *
     * @param micros a time in microseconds.
     * @return e.g. "0.24", "49.3" or "8030".
     */
    static String micros(final double micros)
    {
        return String.format(Locale.ROOT, micros < 10 ? "%.2f" : micros < 1000 ? "%.1f" : "%.0f", micros);
    }

    /**
     * The note for a run the time limit cut short, or null when it ran in full.
     *
     * @param what   the run, e.g. "the socket's one-way run".
     * @param done   how many were done.
     * @param planned how many were planned.
     * @param limitSeconds the limit.
     * @param unit   what was counted, e.g. "messages".
     * @param stopped whether it stopped at the limit.
     * @return the note, or null.
     */
    static String limitNote(final String what, final long done, final long planned, final double limitSeconds,
        final String unit, final boolean stopped)
    {
        return stopped ? String.format(Locale.ROOT, "note: %s stopped at the %.0f s limit after %,d of %,d %s; the "
            + "figure is over what was done", what, limitSeconds, done, planned, unit) : null;
    }
}
