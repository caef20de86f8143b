package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.tools.cli.ExitCode;

/**
 * {@code harmonia bench}'s commands that work on runs already taken (the fixtures: a Java run and a C run of two
 * machines), and its usage errors. The quick run itself is {@link BenchQuickIT}.
 */
class BenchCommandTest
{
    private static final Path FIXTURES = Path.of("src/test/resources/bench").toAbsolutePath();
    private final CommandRunner harmonia = new CommandRunner();

    @Test
    void compareShowsEachFigureOfBothRunsSideBySide()
    {
        assertEquals(ExitCode.OK, harmonia.run("bench", "compare", fixture("run-a.json"), fixture("run-b.json")),
            harmonia.err());
        final String out = harmonia.out();
        assertTrue(out.contains("A: " + fixture("run-a.json") + ", harmonia bench 0.1.0 (java), full run"), out);
        assertTrue(out.contains("Fixture CPU B (Cortex-A72), 4 cores, aarch64"), out);
        assertTrue(out.contains("warning: busy machine: other processes used 40 %"), out);
        // Both have the spin round trip: B's p50 (500 ns) is 2x A's (250 ns), and lower is better.
        assertTrue(out.contains("transport.roundtrip.spin.p50: Channel round trip, 32 B, both ends spinning, p50\n"
            + "    A: 250 ns (240 ns - 260 ns, 3 forks) against Unix domain socket 50.6 us (50.0 us - 52.0 us, 3 forks)"
            + ": 0.0049x (0.0046x-0.0052x)\n"
            + "    B: 500 ns (480 ns - 530 ns, 3 forks) against Unix domain socket 31.0 us (30.0 us - 33.0 us, 3 forks)"
            + ": 0.016x (0.015x-0.018x)\n"
            + "    B's value is 2.00x A's; lower is better: 2.00x worse for B"), out);
        assertTrue(out.contains("transport.ring.64.vs-agrona: One-to-one ring between processes, 64 B, messages/s\n"
            + "    A: 42.4 M/s"), out);
        assertTrue(out.contains("    B: -\n    only in A"), out);
        assertTrue(out.contains("transport.ring.64.vs-socket"), out);
        assertTrue(out.contains("    A: -\n"), out);
    }

    @Test
    void compareAsJsonPairsFiguresById() throws IOException
    {
        assertEquals(ExitCode.OK, harmonia.run("bench", "compare", "--json", fixture("run-a.json"),
            fixture("run-b.json")), harmonia.err());
        final JsonNode comparison = new ObjectMapper().readTree(harmonia.out());
        assertEquals("c", comparison.path("b").path("tool").asText().replaceAll(".*\\((\\w+)\\)$", "$1"));
        final JsonNode rows = comparison.path("rows");
        assertEquals(4, rows.size(), harmonia.out());
        assertEquals("transport.roundtrip.spin.p50", rows.get(0).path("id").asText());
        assertEquals(2.0, rows.get(0).path("valueRatio").asDouble(), 1e-9);
        assertTrue(rows.get(1).path("b").isNull(), rows.get(1).toString());
        assertEquals("transport.ring.64.vs-socket", rows.get(3).path("id").asText());
    }

    @Test
    void reportDrawsThePageAndNonBlankPlotsFromAJsonAlone(@TempDir final Path out) throws IOException
    {
        assertEquals(ExitCode.OK, harmonia.run("bench", "report", fixture("run-a.json"), "--out", out.toString()),
            harmonia.err());
        final String page = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.endsWith("</html>\n"), page);
        assertTrue(page.contains("Fixture CPU A, 2 cores, x86_64"), page);
        assertTrue(page.contains("<img src=\"latency-transport.png\""), page);
        assertTrue(page.contains("<img src=\"throughput-transport.png\""), page);
        assertTrue(page.contains("<img src=\"ratios.png\""), page);
        assertTrue(page.contains("Skipped spawn: needs root"), page);
        for (final String plot : new String[] {"latency-transport.png", "throughput-transport.png", "ratios.png"})
        {
            assertDrawn(out.resolve(plot));
        }
    }

    @Test
    void reportReadsTheCBenchsRunToo(@TempDir final Path out) throws IOException
    {
        assertEquals(ExitCode.OK, harmonia.run("bench", "report", fixture("run-b.json"), "--out", out.toString()),
            harmonia.err());
        assertDrawn(out.resolve("latency-transport.png"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("harmonia-bench 0.1.0 (c)"));
    }

    @Test
    void headlineReplacesOnlyItsSectionAndWritesThePlotsBesideTheFile(@TempDir final Path dir) throws IOException
    {
        final Path results = dir.resolve("RESULTS.md");
        Files.writeString(results, "# Benchmark results\n\nIntro stays.\n\n## Downcall cost\n\nA table stays.\n");
        assertEquals(ExitCode.OK, harmonia.run("bench", "headline", fixture("run-a.json"), "--into",
            results.toString()), harmonia.err());
        final String once = Files.readString(results);
        assertTrue(once.startsWith("# Benchmark results\n\nIntro stays.\n\n<!-- harmonia bench headline: begin"), once);
        assertTrue(once.endsWith("<!-- harmonia bench headline: end -->\n\n## Downcall cost\n\nA table stays.\n"),
            once);
        assertTrue(once.contains("| Channel round trip, 32 B, both ends spinning, p50 | 250 ns (240 ns - 260 ns, 3 "
            + "forks) | Unix domain socket 50.6 us (50.0 us - 52.0 us, 3 forks) | **0.0049x (0.0046x-0.0052x)** | "
            + "lower is better: 202x better |"), once);
        assertTrue(once.contains("![transport: latency percentiles per transport"), once);
        assertTrue(once.contains("(results/latency-transport.png)"), once);
        assertDrawn(dir.resolve("results/latency-transport.png"));
        assertEquals(Files.readString(Path.of(fixture("run-a.json"))), Files.readString(dir.resolve(
            "results/bench.json")));
        // Again from another run: the section is replaced, not added.
        assertEquals(ExitCode.OK, harmonia.run("bench", "headline", fixture("run-b.json"), "--into",
            results.toString()), harmonia.err());
        final String twice = Files.readString(results);
        assertEquals(1, twice.split("harmonia bench headline: begin", -1).length - 1, twice);
        assertTrue(twice.contains("Fixture CPU B") && !twice.contains("Fixture CPU A"), twice);
        assertTrue(twice.endsWith("## Downcall cost\n\nA table stays.\n"), twice);
    }

    @Test
    void aFileThatIsNotARunIsRefusedNamingTheField(@TempDir final Path dir) throws IOException
    {
        final Path broken = dir.resolve("broken.json");
        Files.writeString(broken, Files.readString(Path.of(fixture("run-a.json"))).replace("\"better\": \"lower\"",
            "\"better\": \"faster\""));
        assertEquals(ExitCode.FAILED, harmonia.run("bench", "compare", broken.toString(), fixture("run-b.json")));
        assertEquals("harmonia bench compare: error: " + broken + ": figure transport.roundtrip.spin.p50 better "
            + "must be lower or higher\n", harmonia.err());
        Files.writeString(broken, "{\"schema\": 2}");
        assertEquals(ExitCode.FAILED, harmonia.run("bench", "report", broken.toString()));
        assertTrue(harmonia.err().contains(broken + ": "), harmonia.err());
        assertEquals(ExitCode.FAILED, harmonia.run("bench", "report", dir.resolve("missing.json").toString()));
        assertTrue(harmonia.err().contains("missing.json: no such file"), harmonia.err());
    }

    @Test
    void anOutFolderMayHaveTheNameOfASubcommand()
    {
        assertEquals(ExitCode.OK, harmonia.run("bench", "--out", "report", "--plan"), harmonia.err());
        assertTrue(harmonia.out().startsWith("full run: "), harmonia.out());
    }

    @Test
    void anUnknownGroupIsAUsageError()
    {
        assertEquals(ExitCode.USAGE, harmonia.run("bench", "--only", "transport,disk"));
        assertTrue(harmonia.err().startsWith("harmonia bench: error: --only: unknown group 'disk' (one of transport, "
            + "ipcio, spawn, samgr, rpc, samgr-remote)\nTry 'harmonia bench --help'"), harmonia.err());
    }

    @Test
    void planPrintsTheStepsAndAFullRunUnderFifteenMinutesWithoutRunning()
    {
        assertEquals(ExitCode.OK, harmonia.run("bench", "--plan"), harmonia.err());
        final String out = harmonia.out();
        final double minutes = Double.parseDouble(out.replaceAll("(?s)^full run: \\d+ trials, about ([0-9.]+) "
            + "minutes.*", "$1"));
        assertTrue(minutes > 5 && minutes < 15, out);
        assertTrue(out.contains("    transport.RoundTripBenchmark     roundTrip transport=harmonia-spin,"
            + "harmonia-blocking,cacheline-spin,agrona-spin,unix-socket,pipe: 6 trials x 3 forks"), out);
        assertTrue(out.contains("spawn: appspawn warm and cold starts against ProcessBuilder (needs root) [root]"), out);
        assertEquals(ExitCode.OK, harmonia.run("bench", "--plan", "--quick", "--only", "ipcio"), harmonia.err());
        assertTrue(harmonia.out().startsWith("quick run: 2 trials"), harmonia.out());
    }

    private static String fixture(final String name)
    {
        return FIXTURES.resolve(name).toString();
    }

    /** A PNG of the report's size that holds a drawing: many colours, not one flat fill. */
    static void assertDrawn(final Path png) throws IOException
    {
        assertTrue(Files.size(png) > 10_000, png + " is " + Files.size(png) + " bytes");
        final BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 400, png + ": " + image.getWidth() + "x"
            + image.getHeight());
        final Set<Integer> colours = new HashSet<>();
        int nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y += 2)
        {
            for (int x = 0; x < image.getWidth(); x += 2)
            {
                final int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                nonWhite += 0xffffff == rgb ? 0 : 1;
            }
        }
        assertTrue(colours.size() > 20, png + " has " + colours.size() + " colours");
        assertTrue(nonWhite > image.getWidth() * image.getHeight() / 4 / 50, png + ": " + nonWhite
            + " sampled pixels are not white");
    }
}
