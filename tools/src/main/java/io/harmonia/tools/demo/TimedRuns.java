package io.harmonia.tools.demo;

import java.io.IOException;

import io.harmonia.tools.demo.Figures.RoundTrips;
import io.harmonia.tools.demo.Figures.Throughput;

/**
 * The demo's two timed loops, shared by the channel and its socket baseline so both are measured the same way:
 * a one-way stream closed by a round trip (the peer answers once it has read everything before), and a series of
 * round trips. Each loop stops at its time limit, and says whether it did.
 */
final class TimedRuns
{
    /** How often the one-way loop looks at the clock. */
    private static final int CLOCK_EVERY = 1024;

    private TimedRuns()
    {
    }

    /** One message or one round trip. */
    @FunctionalInterface
    interface Step
    {
        void run() throws IOException;
    }

    static Throughput oneWay(final long planned, final long limitNanos, final Step send, final Step roundTrip)
        throws IOException
    {
        final long start = System.nanoTime();
        final long deadline = start + limitNanos;
        long sent = 0;
        boolean stopped = false;
        while (sent < planned && !stopped)
        {
            send.run();
            sent++;
            stopped = 0 == sent % CLOCK_EVERY && System.nanoTime() - deadline > 0 && sent < planned;
        }
        roundTrip.run();
        return new Throughput(sent, planned, System.nanoTime() - start, stopped);
    }

    static RoundTrips roundTrips(final int planned, final long limitNanos, final Step roundTrip) throws IOException
    {
        final long[] times = new long[planned];
        final long deadline = System.nanoTime() + limitNanos;
        int done = 0;
        while (done < planned && System.nanoTime() - deadline < 0)
        {
            final long sent = System.nanoTime();
            roundTrip.run();
            times[done++] = System.nanoTime() - sent;
        }
        return RoundTrips.of(times, done, planned, done < planned);
    }
}
