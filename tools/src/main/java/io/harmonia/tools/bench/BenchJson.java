package io.harmonia.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.harmonia.tools.bench.BenchRun.Figure;
import io.harmonia.tools.bench.BenchRun.Measurement;
import io.harmonia.tools.bench.BenchRun.Stat;

/**
 * Writes and reads {@link BenchRun} documents. Reading checks the document against the schema (every field
 * present, the schema version, each summary consistent with its forks), so a file from another tool version, a
 * truncated copy or a C bench whose output drifted is refused with the field that is wrong, instead of being
 * reported as figures.
 */
final class BenchJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private BenchJson()
    {
    }

    /**
     * The run as JSON text.
     *
     * @param run the run.
     * @return the document.
     */
    static String text(final BenchRun run)
    {
        try
        {
            return MAPPER.writeValueAsString(run);
        }
        catch (final JacksonException ex)
        {
            throw new IllegalStateException("cannot write the run as JSON", ex);
        }
    }

    /**
     * Writes the run.
     *
     * @param run  the run.
     * @param file where.
     * @throws IOException when it cannot be written.
     */
    static void write(final BenchRun run, final Path file) throws IOException
    {
        Files.writeString(file, text(run) + "\n");
    }

    /**
     * Reads and checks a run.
     *
     * @param file a bench.json of the Java or the C tool.
     * @return the run.
     * @throws IllegalArgumentException naming the file and what is wrong with it.
     */
    static BenchRun read(final Path file)
    {
        final BenchRun run;
        try
        {
            run = MAPPER.readValue(Files.readString(file), BenchRun.class);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException(file + ": no such file", ex);
        }
        catch (final JacksonException ex)
        {
            throw new IllegalArgumentException(file + ": not a harmonia bench run: " + ex.getOriginalMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(file + ": cannot be read: " + ex.getMessage(), ex);
        }
        check(run, file.toString());
        return run;
    }

    /**
     * Checks a run against the schema.
     *
     * @param run  the run.
     * @param name where it came from, for the message.
     * @throws IllegalArgumentException naming the field that is wrong.
     */
    static void check(final BenchRun run, final String name)
    {
        require(null != run, name, "document", "is empty");
        require(BenchRun.SCHEMA == run.schema(), name, "schema", "is " + run.schema() + ", this tool reads "
            + BenchRun.SCHEMA);
        require(null != run.tool() && null != run.tool().name() && null != run.tool().version()
            && Set.of("java", "c").contains(run.tool().implementation()), name, "tool",
            "needs name, implementation (java or c) and version");
        require(Set.of("full", "quick").contains(run.mode()), name, "mode", "must be full or quick");
        require(null != run.started() && run.seconds() >= 0, name, "started/seconds", "missing or negative");
        final BenchRun.Machine m = run.machine();
        require(null != m && null != m.cpuModel() && m.cores() > 0 && null != m.arch() && null != m.kernel()
            && null != m.runtime() && null != m.busyProcesses() && null != m.warnings(), name, "machine",
            "needs cpuModel, cores > 0, arch, kernel, runtime, busyProcesses and warnings");
        require(null != m.loadStart() && 3 == m.loadStart().size() && null != m.loadEnd() && 3 == m.loadEnd().size(),
            name, "machine.loadStart/loadEnd", "must hold 3 load averages each");
        require(null != run.groups() && null != run.figures() && null != run.measurements()
            && null != run.skipped() && null != run.failures(), name, "groups/figures/measurements/skipped/failures",
            "must all be present (empty lists allowed)");
        for (final Measurement measurement : run.measurements())
        {
            final String where = "measurement " + measurement.benchmark();
            require(null != measurement.group() && null != measurement.benchmark() && null != measurement.params()
                && null != measurement.unit() && null != measurement.percentiles() && null != measurement.extras(),
                name, where, "needs group, benchmark, params, unit, percentiles and extras");
            stat(measurement.score(), name, where + " score");
            double previous = -1;
            for (final BenchRun.Percentile point : measurement.percentiles())
            {
                require(point.percentile() > previous && point.percentile() < 100, name, where + " percentiles",
                    "must rise and stay below 100");
                previous = point.percentile();
                stat(point.ns(), name, where + " percentile " + point.percentile());
            }
            for (final Map.Entry<String, BenchRun.Extra> extra : measurement.extras().entrySet())
            {
                require(null != extra.getValue().unit(), name, where + " extra " + extra.getKey(), "needs a unit");
                stat(extra.getValue().value(), name, where + " extra " + extra.getKey());
            }
        }
        for (final Figure figure : run.figures())
        {
            final String where = "figure " + figure.id();
            require(null != figure.id() && null != figure.group() && null != figure.title() && null != figure.unit()
                && null != figure.reading(), name, where, "needs id, group, title, unit and reading");
            require(Set.of("lower", "higher").contains(figure.better()), name, where + " better",
                "must be lower or higher");
            require(null != figure.value() && null != figure.baseline() && null != figure.ratio()
                && null != figure.value().label() && null != figure.baseline().label(), name, where,
                "needs value, baseline (each with a label) and ratio");
            stat(figure.value().stat(), name, where + " value");
            stat(figure.baseline().stat(), name, where + " baseline");
            require(figure.ratio().min() <= figure.ratio().median() && figure.ratio().median() <= figure.ratio().max(),
                name, where + " ratio", "needs min <= median <= max");
        }
    }

    private static void stat(final Stat stat, final String name, final String where)
    {
        require(null != stat && null != stat.forks() && !stat.forks().isEmpty(), name, where,
            "needs median, min, max and at least one fork's value");
        final List<Double> forks = stat.forks();
        final double min = forks.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        final double max = forks.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        require(min == stat.min() && max == stat.max() && stat.min() <= stat.median() && stat.median() <= stat.max(),
            name, where, "min, median and max must agree with the forks' values");
    }

    private static void require(final boolean condition, final String name, final String field,
        final String problem)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(name + ": " + field + " " + problem);
        }
    }
}
