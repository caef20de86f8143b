package io.harmonia.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading as users meet it: each case runs {@link LoadProbe} in a fresh JVM. */
class NativeLibraryTest
{
    /** The bindings' own classes and resources (target/classes inside the build). */
    private static final Path CLASSES = classesOf(NativeLibrary.class);

    record Outcome(int exitCode, String output)
    {
    }

    private static Outcome runProbe(final String classPath, final List<String> jvmFlags)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, LoadProbe.class.getName()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(process.waitFor(), output);
    }

    private static Path classesOf(final Class<?> type)
    {
        try
        {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String testClassPath()
    {
        return System.getProperty("java.class.path");
    }

    /** The test class path with the bindings' classes replaced by the given jar. */
    private static String classPathWith(final Path jar)
    {
        final List<String> entries = new ArrayList<>(List.of(testClassPath().split(":")));
        entries.remove(CLASSES.toString());
        entries.addFirst(jar.toString());
        return String.join(":", entries);
    }

    @Test
    void withoutNativeAccessTheErrorNamesTheFlag() throws Exception
    {
        final Outcome outcome = runProbe(testClassPath(), List.of());
        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("error=Harmonia needs native access"), outcome.output());
        assertTrue(outcome.output().contains("--enable-native-access=ALL-UNNAMED"), outcome.output());
        assertTrue(outcome.output().contains("again=Harmonia needs native access"), outcome.output());
    }

    @Test
    void aMissingExplicitLibraryIsNamedWithTheProperty() throws Exception
    {
        final Outcome outcome = runProbe(testClassPath(), List.of("--enable-native-access=ALL-UNNAMED",
            "-D" + NativeLibrary.LIBRARY_PATH_PROPERTY + "=/nonexistent/libharmonia.so"));
        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(NativeLibrary.LIBRARY_PATH_PROPERTY + "=/nonexistent/libharmonia.so does "
            + "not name a file"), outcome.output());
    }

    @Test
    void aClassPathWithoutTheLibraryExplainsWhatWasMissing(@TempDir final Path tmp) throws Exception
    {
        final Path jar = jarOf(tmp.resolve("no-native.jar"), false);
        final Outcome outcome = runProbe(classPathWith(jar),
            List.of("--enable-native-access=ALL-UNNAMED"));
        assertEquals(3, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("no libharmonia.so for " + NativeLibrary.platformFolder()
            + " is bundled"), outcome.output());
    }

    @Test
    void fromAJarTheBundledLibraryLoadsWithoutFlagsAndLeavesNoFileBehind(@TempDir final Path tmp) throws Exception
    {
        final Path jar = jarOf(tmp.resolve("bindings.jar"), true);
        final Path privateTmp = Files.createDirectory(tmp.resolve("tmp"));
        final Outcome outcome = runProbe(classPathWith(jar),
            List.of("--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + privateTmp));
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("version=" + NativeLibrary.expectedVersion()), outcome.output());
        try (Stream<Path> left = Files.list(privateTmp))
        {
            assertEquals(List.of(), left.toList());
        }
    }

    /** A jar of the bindings' compiled classes and resources, with or without the native library. */
    private static Path jarOf(final Path jar, final boolean withNative) throws IOException
    {
        assertTrue(Files.isDirectory(CLASSES.resolve("native")), "bindings classes without native/: " + CLASSES);
        try (OutputStream file = Files.newOutputStream(jar);
            JarOutputStream out = new JarOutputStream(file);
            Stream<Path> tree = Files.walk(CLASSES))
        {
            for (final Path path : tree.filter(Files::isRegularFile).toList())
            {
                final String name = CLASSES.relativize(path).toString();
                if (!withNative && name.startsWith("native/"))
                {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
