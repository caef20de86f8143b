package io.harmonia.bench.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Writes the benchmarks' bundle folders: a module.json5 and libs/bench.jar with the given classes. */
final class BenchBundles
{
    private BenchBundles()
    {
    }

    /**
     * Writes a bundle folder.
     *
     * @param folder   where.
     * @param manifest the module.json5 text.
     * @param classes  the classes the jar holds (the benchmark's own, from its class path).
     * @return the folder.
     * @throws IOException when it cannot be written.
     */
    static Path write(final Path folder, final String manifest, final Class<?>... classes) throws IOException
    {
        Files.createDirectories(folder.resolve("libs"));
        Files.writeString(folder.resolve("module.json5"), manifest, StandardCharsets.UTF_8);
        try (OutputStream file = Files.newOutputStream(folder.resolve("libs/bench.jar"));
            JarOutputStream jar = new JarOutputStream(file))
        {
            for (final Class<?> type : classes)
            {
                final String name = type.getName().replace('.', '/') + ".class";
                try (InputStream in = type.getClassLoader().getResourceAsStream(name))
                {
                    jar.putNextEntry(new JarEntry(name));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return folder;
    }
}
