package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.FoundationServices;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;

/**
 * The README's flow with the built tools jar, as root: {@code harmonia up} starts samgr, appspawn and foundation
 * (which registers its services in that samgr, where {@code bm} finds them for the default instance); the
 * example bundle project (examples/bundle-hello, compiled here from its sources against this build's runtime, laid
 * out as its Maven build lays it out) is installed with {@code bm install}, started with {@code aa start}, runs
 * under its own uid and says hello; SIGTERM to {@code up} leaves no process behind.
 */
class UpIT
{
    private static final Path ROOT = Path.of(System.getProperty("harmonia.root", "..")).toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("tools/target/harmonia-tools.jar");
    private static final Path EXAMPLE = ROOT.resolve("examples/bundle-hello");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Result(int status, String out, String err)
    {
    }

    private static List<String> harmonia(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Result run(final List<String> command) throws Exception
    {
        return run(new ProcessBuilder(command));
    }

    private static Result run(final ProcessBuilder builder) throws Exception
    {
        final List<String> command = builder.command();
        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(200, TimeUnit.SECONDS), command.toString());
        return new Result(process.exitValue(), out, err);
    }

    /** Builds target/bundle/ of the example as its pom does: module.json5, resources, libs/hello-bundle.jar. */
    private static Path buildExample(final Path into) throws IOException
    {
        final Path classes = Files.createDirectories(into.resolve("classes"));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final List<String> sources;
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java")))
        {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).toList();
        }
        final List<String> args = new ArrayList<>(List.of("--release", "25", "-cp",
            System.getProperty("java.class.path"), "-d", classes.toString()));
        args.addAll(sources);
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the example compiles");
        final Path bundle = into.resolve("bundle");
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/bundle")))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                final Path target = bundle.resolve(EXAMPLE.resolve("src/main/bundle").relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Files.createDirectories(bundle.resolve("libs"));
        try (OutputStream file = Files.newOutputStream(bundle.resolve("libs/hello-bundle.jar"));
            JarOutputStream jar = new JarOutputStream(file); Stream<Path> files = Files.walk(classes))
        {
            for (final Path path : files.filter(Files::isRegularFile).toList())
            {
                jar.putNextEntry(new JarEntry(classes.relativize(path).toString()));
                Files.copy(path, jar);
                jar.closeEntry();
            }
        }
        return bundle;
    }

    /** A samgr address of this test's own, so no test binds the machine's or another test's. */
    private static String samgrAddress(final String instance)
    {
        return "@harmonia-it-samgr-" + instance + "-" + System.nanoTime();
    }

    private static Process up(final Path scratch, final String instance, final Path installList) throws IOException
    {
        return up(scratch, instance, installList, samgrAddress(instance));
    }

    private static Process up(final Path scratch, final String instance, final Path installList,
        final String samgrAddress) throws IOException
    {
        return new ProcessBuilder(harmonia("up", "--json", "--foundation", instance, "--samgr-address", samgrAddress,
            "--state-dir",
            scratch.resolve("state").toString(), "--run-dir", scratch.resolve("run").toString(), "--install-list",
            installList.toString())).redirectError(scratch.resolve("up.err").toFile()).start();
    }

    /** Reads up's JSON document: it is printed once everything is ready. */
    private static JsonNode ready(final Process up) throws IOException
    {
        final BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(),
            StandardCharsets.UTF_8));
        final StringBuilder readyJson = new StringBuilder();
        for (String line = out.readLine(); null != line; line = out.readLine())
        {
            readyJson.append(line).append('\n');
            if (line.equals("}"))
            {
                break;
            }
        }
        return JSON.readTree(readyJson.toString());
    }

    /** SIGTERM first: up stops samgr, appspawn and foundation; SIGKILL would leave them running. */
    private static void cleanUp(final Process up, final Path scratch) throws Exception
    {
        up.destroy();
        if (!up.waitFor(60, TimeUnit.SECONDS))
        {
            up.destroyForcibly().waitFor();
        }
        try (Stream<Path> paths = Files.walk(scratch))
        {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Path scratch(final String prefix) throws IOException
    {
        final Path scratch = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        return scratch;
    }

    @Test
    void theServiceExtensionActionsOfAa() throws Exception
    {
        Assumptions.assumeTrue(0 == Posix.euid(), "SKIPPED: harmonia up starts appspawn and needs root");
        final Path scratch = scratch("harmonia-aa-");
        final String instance = "aa-it-" + ProcessHandle.current().pid();
        final Path installList = scratch.resolve("install_list.json5");
        io.harmonia.tools.demo.ability.DemoBundles.installList(installList);
        final Process up = up(scratch, instance, installList);
        try
        {
            ready(up);
            final String bundle = io.harmonia.tools.demo.ability.DemoBundles.SERVICE_BUNDLE;
            final String ability = io.harmonia.tools.demo.ability.DemoBundles.SERVICE_ABILITY;
            final Result installed = run(harmonia("bm", "install", "-p", io.harmonia.tools.demo.ability.DemoBundles
                .service(scratch.resolve("service")).toString(), "--foundation", instance));
            assertEquals(0, installed.status(), installed.err());

            final Result started = run(harmonia("aa", "start", "-b", bundle, "-a", ability, "--foundation",
                instance));
            assertEquals(0, started.status(), started.err());
            assertEquals("start ability successfully: " + bundle + "/" + ability + " (service)", started.out().strip());
            final JsonNode record = JSON.readTree(run(harmonia("aa", "dump", "--json", "--foundation", instance))
                .out()).get("extensions").get(0);
            assertEquals("ACTIVE", record.get("state").asText());
            assertEquals(1, record.get("startId").asInt());

            final Result connected = run(harmonia("aa", "connect", "-b", bundle, "-a", ability, "--int", "41",
                "--json", "--foundation", instance));
            assertEquals(0, connected.status(), connected.err());
            assertEquals("[42]", JSON.readTree(connected.out()).get("reply").toString(), connected.out());
            final Result text = run(harmonia("aa", "connect", "-b", bundle, "-a", ability, "--int", "99",
                "--foundation", instance));
            assertTrue(text.out().contains("reply: [100]"), text.out());
            final Result dump = run(harmonia("aa", "dump", "--foundation", instance));
            assertTrue(dump.out().contains("ACTIVE") && dump.out().contains(bundle + "/" + ability), dump.out());

            assertEquals(0, run(harmonia("aa", "force-timeout", ability, "COMMAND", "--foundation", instance))
                .status());
            final Result late = run(harmonia("aa", "start", "-b", bundle, "-a", ability, "--foundation", instance));
            assertEquals(1, late.status(), late.out());
            assertTrue(late.err().contains("timed out (forced by the test hook) (code 16000050)"), late.err());
            assertEquals(0, run(harmonia("aa", "force-timeout", "clean", "--foundation", instance)).status());

            final Result stopped = run(harmonia("aa", "stop-service", "-b", bundle, "-a", ability, "--foundation",
                instance));
            assertEquals(0, stopped.status(), stopped.err());
            final Result again = run(harmonia("aa", "stop-service", "-b", bundle, "-a", ability, "--foundation",
                instance));
            assertEquals(1, again.status());
            assertTrue(again.err().contains("is not running (code 16000050)"), again.err());
            assertEquals(0, JSON.readTree(run(harmonia("aa", "dump", "--json", "--foundation", instance)).out())
                .get("extensions").size());
        }
        finally
        {
            cleanUp(up, scratch);
        }
    }

    @Test
    void upInstallStartAndStop() throws Exception
    {
        Assumptions.assumeTrue(0 == Posix.euid(), "SKIPPED: harmonia up starts appspawn and needs root");
        final Path scratch = scratch("harmonia-up-");
        final String instance = "up-it-" + ProcessHandle.current().pid();
        final String samgrAddress = samgrAddress(instance);
        final Process up = up(scratch, instance, scratch.resolve("none"), samgrAddress);
        try
        {
            final String readyJson = ready(up).toString();
            final JsonNode ready = JSON.readTree(readyJson);
            assertEquals(samgrAddress, ready.get("samgr").get("address").asText(), readyJson);
            final long samgrPid = ready.get("samgr").get("pid").asLong();
            assertTrue(Files.exists(Path.of("/proc/" + samgrPid)), "samgr runs: " + readyJson);
            final long foundationPid = ready.get("foundation").get("pid").asLong();
            final long appspawnPid = ready.get("appspawn").get("pid").asLong();
            final SamgrClient samgr = SamgrClient.connect(samgrAddress, 5_000);
            for (final int id : new int[] {FoundationServices.ABILITY_MGR_SERVICE_ID,
                FoundationServices.BUNDLE_MGR_SERVICE_SYS_ABILITY_ID})
            {
                assertEquals(foundationPid, samgr.dump(SamgrKey.ability(id)).get(0).providerPid(),
                    "foundation registered " + id + " in up's samgr");
            }

            final Path bundle = buildExample(scratch.resolve("example"));
            final Result installed = run(harmonia("bm", "install", "-p", bundle.toString(), "--foundation",
                instance));
            assertEquals(0, installed.status(), installed.err());
            assertEquals("installed com.example.hello version 1000000 uid 20010000", installed.out().strip());
            final Result list = run(harmonia("bm", "list", "--json", "--foundation", instance));
            assertEquals(20010000, JSON.readTree(list.out()).get("bundles").get(0).get("uid").asInt(), list.out());
            assertTrue(JSON.readTree(list.out()).get("bundles").get(0).get("aotCache").asBoolean(), list.out());
            // The default instance's clients look in samgr first: pointed at up's samgr, bm finds this foundation
            // there (no foundation answers at the default instance's own address).
            final ProcessBuilder viaSamgr = new ProcessBuilder(harmonia("bm", "list", "--json", "--foundation",
                FoundationServices.DEFAULT_INSTANCE));
            viaSamgr.environment().put(SamgrProtocol.ADDRESS_ENV, samgrAddress);
            final Result listed = run(viaSamgr);
            assertEquals(0, listed.status(), listed.err());
            assertEquals("com.example.hello", JSON.readTree(listed.out()).get("bundles").get(0).get("bundleName")
                .asText(), listed.out());

            final Result started = run(harmonia("aa", "start", "-b", "com.example.hello", "-a", "MainAbility",
                "--ps", "greeting", "hi", "--json", "--foundation", instance));
            assertEquals(0, started.status(), started.err());
            final int pid = JSON.readTree(started.out()).get("pid").asInt();
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/status")).contains("\nUid:\t20010000\t"));
            final Path hello = scratch.resolve("state/data/app/el2/100/base/com.example.hello/files/hello.log");
            assertTrue(Files.readString(hello).startsWith("Hello from com.example.hello/MainAbility: onCreate, "
                + "greeting hi (pid " + pid + ", uid 20010000)"), Files.readString(hello));
            final Result dump = run(harmonia("aa", "dump", "--foundation", instance));
            assertTrue(dump.out().contains("MainAbility:FOREGROUND*"), dump.out());

            up.destroy();
            assertTrue(up.waitFor(60, TimeUnit.SECONDS), "harmonia up stops on SIGTERM");
            for (final long gone : new long[] {pid, foundationPid, appspawnPid, samgrPid})
            {
                assertTrue(!Files.exists(Path.of("/proc/" + gone)), "pid " + gone + " outlived harmonia up");
            }
        }
        finally
        {
            cleanUp(up, scratch);
        }
    }
}
