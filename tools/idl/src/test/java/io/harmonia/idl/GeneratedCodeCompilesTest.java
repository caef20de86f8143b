package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated Java compiles with {@code javac -Xlint:all -Werror --release 25} against the RPC API (the
 * runtime on the test classpath), for the golden IDL files and for a batch of random valid IDL files whose
 * parameter names collide with the generator's own names.
 */
class GeneratedCodeCompilesTest
{
    private static final int RANDOM_FILES = 24;

    @Test
    void goldenIdlFilesCompileWithoutAWarning(@TempDir final Path dir) throws Exception
    {
        final List<Path> sources = new ArrayList<>();
        for (final Path idl : TestFiles.idlFiles())
        {
            sources.addAll(write(dir.resolve("src"), IdlCompiler.compile(idl)));
        }
        compile(dir, sources);
    }

    @Test
    void randomValidIdlFilesCompileWithoutAWarning(@TempDir final Path dir) throws Exception
    {
        final long seed = Long.getLong("harmonia.idl.random.seed", 20261207L);
        final Random random = new Random(seed);
        final List<Path> sources = new ArrayList<>();
        for (int i = 0; i < RANDOM_FILES; i++)
        {
            final String idl = RandomIdl.generate(random, i);
            final List<IdlCompiler.GeneratedFile> files;
            try
            {
                files = IdlCompiler.compile("IGen" + i + ".idl", idl);
            }
            catch (final IdlException refused)
            {
                throw new AssertionError("seed " + seed + ", file " + i + " was refused:\n" + idl, refused);
            }
            sources.addAll(write(dir.resolve("src"), files));
        }
        compile(dir, sources);
    }

    private static List<Path> write(final Path root, final List<IdlCompiler.GeneratedFile> files) throws IOException
    {
        final List<Path> written = new ArrayList<>();
        for (final IdlCompiler.GeneratedFile file : files)
        {
            final Path target = root.resolve(file.path());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content());
            written.add(target);
        }
        return written;
    }

    private static void compile(final Path dir, final List<Path> sources) throws IOException
    {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK (not a JRE) runs the tests");
        final List<String> arguments = new ArrayList<>(List.of("-Xlint:all", "-Werror", "--release", "25",
            "-proc:none", "-implicit:none", "-d", Files.createDirectories(dir.resolve("classes")).toString(),
            "-classpath", System.getProperty("java.class.path")));
        sources.forEach(source -> arguments.add(source.toString()));
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int status = javac.run(null, diagnostics, diagnostics, arguments.toArray(new String[0]));
        assertEquals(0, status, "javac failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        assertEquals("", diagnostics.toString(StandardCharsets.UTF_8), "javac printed something");
        assertTrue(Files.isRegularFile(dir.resolve("classes/ohos/IdlServiceExtProxy.class")) ||
            Files.isDirectory(dir.resolve("classes/ohos/fuzz")), "classes were written");
    }
}
