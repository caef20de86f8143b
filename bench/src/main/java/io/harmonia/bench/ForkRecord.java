package io.harmonia.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What one JMH fork leaves for {@code harmonia bench} beside JMH's own results: the fork's whole latency histogram
 * (every operation of the measurement iterations, which JMH's sampling does not keep) and figures JMH has no place
 * for (the CPU time per call). Written at the end of the trial as a properties file into the directory that the
 * system property {@value #DIRECTORY_PROPERTY} names; without the property nothing is written, and a plain JMH run
 * prints the same figures as text.
 *
 * <p>Keys: {@code benchmark} (JMH's benchmark name), {@code param.<name>} (each JMH parameter),
 * {@code histogram} (HdrHistogram's compressed encoding, Base64, values in nanoseconds) and
 * {@code extra.<name>} (a number). One file per fork: the reader pairs files with JMH's results by benchmark and
 * parameters.
 */
public final class ForkRecord
{
    /** The system property naming the directory the records go to. */
    public static final String DIRECTORY_PROPERTY = "harmonia.bench.records";

    private ForkRecord()
    {
    }

    /**
     * Writes this fork's record when the directory property is set.
     *
     * @param params    the trial's JMH parameters (injected into the trial's tear-down).
     * @param histogram every measured operation, in nanoseconds.
     * @param extras    further figures by name (may be empty).
     */
    public static void write(final BenchmarkParams params, final Histogram histogram, final Map<String, Double> extras)
    {
        final String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (null == directory || directory.isEmpty())
        {
            return;
        }
        final Properties record = new Properties();
        record.setProperty("benchmark", params.getBenchmark());
        for (final String key : params.getParamsKeys())
        {
            record.setProperty("param." + key, params.getParam(key));
        }
        final ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(encoded);
        record.setProperty("histogram", Base64.getEncoder().encodeToString(
            Arrays.copyOf(encoded.array(), length)));
        extras.forEach((name, value) -> record.setProperty("extra." + name, Double.toString(value)));
        final Path file = Path.of(directory, "fork-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
            + ".properties");
        try
        {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file))
            {
                record.store(out, "harmonia bench fork record");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the fork record " + file, ex);
        }
    }
}
