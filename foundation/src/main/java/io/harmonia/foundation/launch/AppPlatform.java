package io.harmonia.foundation.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.harmonia.bindings.NativeExecutables;
import io.harmonia.foundation.bundle.FileTrees;

/**
 * What every Java app process links, staged where every uid can read it: the jars of the app class path (runtime,
 * bindings and their dependencies, never foundation's own code), {@code libharmonia.so}, the Java launcher library
 * and the JVM to run. A class folder on the configured class path (a build tree) is packed into a jar, because an
 * AOT cache accepts only jars. The staged folder is named by a fingerprint of everything in it (the JVM's path and
 * executable included), so a changed platform is a new folder, and every launch file and AOT cache records the
 * fingerprint it was made for.
 *
 * @param folder      the staged folder.
 * @param fingerprint its name: a SHA-256 prefix over every staged byte and the JVM's path, size and time.
 * @param classPath   the staged jars, in class path order.
 * @param library     the staged libharmonia.so.
 * @param launcher    the staged libharmonia-java-launcher.so.
 * @param java        the JVM executable apps run on.
 */
public record AppPlatform(Path folder, String fingerprint, List<Path> classPath, Path library, Path launcher,
    Path java)
{
    private static final String LIBRARY = "libharmonia.so";

    /**
     * Stages a platform (or finds it staged already).
     *
     * @param platforms the folder of staged platforms.
     * @param classPath the app class path entries (jars or class folders).
     * @param java      the JVM executable.
     * @return the staged platform.
     * @throws IOException when an entry cannot be read or the folder written.
     */
    public static AppPlatform stage(final Path platforms, final List<Path> classPath, final Path java)
        throws IOException
    {
        FileTrees.folder(platforms, "rwxr-xr-x");
        final Path work = Files.createTempDirectory(platforms, ".staging-");
        try
        {
            final List<Path> jars = new ArrayList<>();
            int index = 0;
            for (final Path entry : classPath)
            {
                final String base = entry.getFileName().toString();
                final Path target = work.resolve(String.format("%02d-%s", index++,
                    base.endsWith(".jar") ? base : base + ".jar"));
                if (Files.isDirectory(entry))
                {
                    pack(entry, target);
                }
                else
                {
                    Files.copy(entry, target);
                }
                jars.add(target);
            }
            Files.copy(NativeExecutables.locate(LIBRARY), work.resolve(LIBRARY));
            Files.copy(NativeExecutables.locate(NativeExecutables.JAVA_LAUNCHER),
                work.resolve(NativeExecutables.JAVA_LAUNCHER));
            final String fingerprint = fingerprint(work, java);
            final Path folder = platforms.resolve(fingerprint);
            if (!Files.isDirectory(folder))
            {
                try (Stream<Path> files = Files.list(work))
                {
                    for (final Path file : files.toList())
                    {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
                Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(work, folder, StandardCopyOption.ATOMIC_MOVE);
            }
            final List<Path> staged = jars.stream().map(jar -> folder.resolve(jar.getFileName())).toList();
            return new AppPlatform(folder, fingerprint, staged, folder.resolve(LIBRARY),
                folder.resolve(NativeExecutables.JAVA_LAUNCHER), java);
        }
        finally
        {
            FileTrees.remove(work);
        }
    }

    /**
     * Removes every staged platform but this one (after the bundles moved to it).
     *
     * @throws IOException when one cannot be removed.
     */
    public void removeOthers() throws IOException
    {
        for (final Path other : FileTrees.list(folder.getParent()))
        {
            if (!other.equals(folder))
            {
                FileTrees.remove(other);
            }
        }
    }

    /**
     * The class path string of the platform followed by a bundle's jars.
     *
     * @param bundleJars the bundle's jars (absolute).
     * @return the joined class path.
     */
    public String classPathWith(final List<Path> bundleJars)
    {
        final List<String> entries = new ArrayList<>();
        classPath.forEach(jar -> entries.add(jar.toString()));
        bundleJars.forEach(jar -> entries.add(jar.toString()));
        return String.join(":", entries);
    }

    private static void pack(final Path folder, final Path jar) throws IOException
    {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
            Stream<Path> paths = Files.walk(folder))
        {
            for (final Path path : paths.sorted().toList())
            {
                if (path.equals(folder))
                {
                    continue;
                }
                final String name = folder.relativize(path).toString() + (Files.isDirectory(path) ? "/" : "");
                final JarEntry entry = new JarEntry(name);
                entry.setTime(0);
                out.putNextEntry(entry);
                if (!Files.isDirectory(path))
                {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
    }

    private static String fingerprint(final Path work, final Path java) throws IOException
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final Path realJava = java.toRealPath();
            digest.update((realJava + "\n" + Files.size(realJava) + "\n" + Files.getLastModifiedTime(realJava) + "\n")
                .getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.list(work))
            {
                for (final Path file : files.sorted().toList())
                {
                    digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(file))
                    {
                        final byte[] buffer = new byte[65536];
                        for (int n; (n = in.read(buffer)) > 0; )
                        {
                            digest.update(buffer, 0, n);
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        }
        catch (final NoSuchAlgorithmException impossible)
        {
            throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
        }
    }
}
