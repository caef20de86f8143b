package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code harmonia} entry script as a user runs it, after the tools jar is built: with an older JDK as the
 * default {@code java} and as {@code JAVA_HOME}, every tool still runs on the JDK >= 25 the build used, also
 * through a symbolic link on the PATH and when the build left no record of its JDK.
 */
class EntryScriptIT
{
    private static final Path ROOT = Path.of(System.getProperty("harmonia.root", "..")).toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("tools/target/harmonia-tools.jar");
    private static Path oldJdk;

    private record Result(int status, String out, String err)
    {
    }

    @BeforeAll
    static void findAnOlderJdk() throws IOException
    {
        oldJdk = olderJdk().orElse(null);
        Assumptions.assumeTrue(null != oldJdk,
            "SKIPPED: no JDK older than 25 under /usr/lib/jvm to stand as the default java (apt-get install openjdk-17-jdk-headless)");
    }

    private static Optional<Path> olderJdk() throws IOException
    {
        final Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms))
        {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms))
        {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> release(home).map(release -> release < 25).orElse(false)).sorted().findFirst();
        }
    }

    private static Optional<Integer> release(final Path home)
    {
        try
        {
            final Matcher version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(
                Files.readString(home.resolve("release")));
            return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
        }
        catch (final IOException ex)
        {
            return Optional.empty();
        }
    }

    private static Result run(final List<String> command, final Path directory) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        final Map<String, String> env = builder.environment();
        env.put("PATH", oldJdk.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", oldJdk.toString());
        final Process process = builder.start();
        process.getOutputStream().close();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void theOlderDefaultJavaCannotRunTheToolsJar() throws Exception
    {
        final Result direct = run(List.of("java", "-jar", JAR.toString(), "--version"), ROOT);
        assertNotEquals(0, direct.status(), direct.out());
        assertTrue(direct.err().contains("UnsupportedClassVersionError"), direct.err());
    }

    @Test
    void theScriptRunsTheToolsOnTheJdkTheBuildUsed() throws Exception
    {
        final String buildJdk = Files.readString(ROOT.resolve("tools/target/java-home")).strip();
        final Result version = run(List.of(ROOT.resolve("harmonia").toString(), "--version"), ROOT);
        assertEquals(0, version.status(), version.err());
        final String[] lines = version.out().split("\n");
        assertTrue(lines[0].startsWith("harmonia "), version.out());
        assertTrue(lines[1].startsWith("Java 25") || lines[1].matches("Java (2[6-9]|[3-9][0-9]).*"), version.out());
        assertTrue(lines[1].endsWith(" at " + buildJdk), version.out() + " expected the build's JDK " + buildJdk);
    }

    @Test
    void aLinkOnThePathWithoutTheBuildsRecordFindsAJdk25ByItself(@TempDir final Path directory) throws Exception
    {
        // a checkout whose build left no record of its JDK: the script must search for one itself
        final Path checkout = Files.createDirectories(directory.resolve("checkout/tools/target")).getParent()
            .getParent();
        Files.copy(ROOT.resolve("harmonia"), checkout.resolve("harmonia"));
        Files.createSymbolicLink(checkout.resolve("tools/target/harmonia-tools.jar"), JAR);
        final Path bin = Files.createDirectories(directory.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("harmonia"), checkout.resolve("harmonia"));

        final Result version = run(List.of(bin.resolve("harmonia").toString(), "-V"), directory);
        assertEquals(0, version.status(), version.err());
        final Matcher java = Pattern.compile("(?m)^Java (\\d+)").matcher(version.out());
        assertTrue(java.find(), version.out());
        assertTrue(Integer.parseInt(java.group(1)) >= 25, version.out());

        final Result usage = run(List.of(bin.resolve("harmonia").toString(), "appspawn", "dump", "--socket",
            directory.resolve("no-daemon").toString()), directory);
        assertEquals(3, usage.status(), usage.out());
        assertTrue(usage.err().startsWith("harmonia appspawn dump: error: cannot connect to appspawn at "), usage.err());
    }
}
