package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code harmonia bench --quick} as a user runs it, from the built tools jar: every group's quick subset through
 * real JMH forks (the benchmarks' peers and daemon included), then the JSON, the report and the plots it wrote,
 * checked for form, not for the figures (a quick run on a shared machine measures nothing). The C
 * {@code harmonia-bench} of the host build takes a quick run too, and {@code bench compare} reads both: the two
 * tools write one schema.
 */
class BenchQuickIT
{
    private static final Path ROOT = Path.of(System.getProperty("harmonia.root", "..")).toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("tools/target/harmonia-tools.jar");
    private static final Path C_BENCH = ROOT.resolve("target/cmake/host/native/bench/harmonia-bench");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private record Result(int status, String out, String err)
    {
    }

    private static Result run(final Path directory, final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectOutput(directory.resolve("stdout.txt").toFile())
            .redirectError(directory.resolve("stderr.txt").toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 10 minutes");
        }
        return new Result(process.exitValue(), Files.readString(directory.resolve("stdout.txt")),
            Files.readString(directory.resolve("stderr.txt")));
    }

    private static Result harmonia(final Path directory, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(JAVA, "--sun-misc-unsafe-memory-access=allow", "-jar",
            JAR.toString()));
        command.addAll(List.of(args));
        return run(directory, command.toArray(String[]::new));
    }

    @Test
    void aQuickRunWritesItsJsonReportAndPlotsAndTheCBenchsRunComparesWithIt(@TempDir final Path dir)
        throws Exception
    {
        final long start = System.nanoTime();
        final Result quick = harmonia(dir, "bench", "--quick", "--json", "--out", "report");
        final double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, quick.status(), quick.err());
        System.out.printf("harmonia bench --quick took %.1f s%n", seconds);

        // Progress: one line per trial with the time left, on stderr; stdout holds only the JSON.
        final Matcher progress = Pattern.compile("(?m)^\\[(\\d+)/(\\d+)\\] \\S+ .*\\(\\d+:\\d\\d elapsed, about "
            + "\\d+:\\d\\d left\\)$").matcher(quick.err());
        int lines = 0;
        while (progress.find())
        {
            lines++;
        }
        assertTrue(lines >= 10, quick.err());
        final JsonNode run = new ObjectMapper().readTree(quick.out());
        assertEquals(1, run.path("schema").asInt());
        assertEquals("quick", run.path("mode").asText());
        assertEquals(List.of("transport", "ipcio", "spawn", "samgr", "rpc", "samgr-remote"),
            new ObjectMapper().convertValue(run.path("groups"), List.class));
        assertTrue(run.path("failures").isEmpty(), run.path("failures").toString());
        assertTrue(run.path("machine").path("cores").asInt() > 0);
        assertTrue(run.path("figures").size() >= 6, run.path("figures").toString());
        for (final JsonNode figure : run.path("figures"))
        {
            final JsonNode ratio = figure.path("ratio");
            assertTrue(ratio.path("min").asDouble() <= ratio.path("median").asDouble()
                && ratio.path("median").asDouble() <= ratio.path("max").asDouble(), figure.toString());
            assertTrue(figure.path("reading").asText().contains(" is better: "), figure.toString());
        }
        // The round trips left their histograms: latency curves per transport.
        assertTrue(run.path("measurements").findValues("percentiles").stream().anyMatch(p -> p.size() == 11),
            quick.out());

        final Path report = dir.resolve("report");
        assertEquals(quick.out().strip(), Files.readString(report.resolve("bench.json")).strip());
        assertTrue(Files.size(report.resolve("jmh.log")) > 0);
        final String page = Files.readString(report.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.endsWith("</html>\n"), page);
        final Matcher images = Pattern.compile("<img src=\"([^\"]+\\.png)\"").matcher(page);
        final List<String> plots = new ArrayList<>();
        while (images.find())
        {
            plots.add(images.group(1));
        }
        assertTrue(plots.containsAll(List.of("latency-transport.png", "throughput-transport.png", "latency-rpc.png",
            "ratios.png")), plots.toString());
        for (final String plot : plots)
        {
            BenchCommandTest.assertDrawn(report.resolve(plot));
        }
        // The file reads back through the checking reader.
        final Result self = harmonia(dir, "bench", "compare", "report/bench.json", "report/bench.json");
        assertEquals(0, self.status(), self.err());

        Assumptions.assumeTrue(Files.isExecutable(C_BENCH), "SKIPPED the C half: " + C_BENCH + " is not built");
        final Result c = run(dir, C_BENCH.toString(), "--quick", "--only", "transport,ipcio", "--out", "c.json");
        assertEquals(0, c.status(), c.err());
        final Result compare = harmonia(dir, "bench", "compare", "c.json", "report/bench.json");
        assertEquals(0, compare.status(), compare.err());
        assertTrue(compare.out().contains("A: c.json, harmonia-bench 0.1.0 (c), quick run"), compare.out());
        final String spin = compare.out().substring(compare.out().indexOf("transport.roundtrip.spin.p50:"));
        assertFalse(spin.substring(0, spin.indexOf("\n\n")).contains("only in"), spin);
        assertEquals(0, harmonia(dir, "bench", "report", "c.json", "--out", "c-report").status());
        BenchCommandTest.assertDrawn(dir.resolve("c-report/latency-transport.png"));
    }
}
