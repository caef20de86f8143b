package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a bundle without changing anything: a folder, or an archive (zip, e.g. {@code .hap}) that
 * {@link BundleArchive} has unpacked into a private staging folder. A bundle holds {@code module.json5} at its top,
 * its jars in {@code libs/} (at least one; together they are the app's class path, in name order) and anything else
 * (resources) in regular files and folders. Symbolic links, devices and the like are refused (a bundle is copied
 * into the device, never referenced). Every srcEntry class must be in one of the jars.
 */
public final class BundleScanner
{
    /** Most files in a bundle. */
    public static final int MAX_FILES = 10_000;
    /** Largest bundle, all files together, in bytes. */
    public static final long MAX_TOTAL_BYTES = 512L << 20;
    /** The folder of the app's jars. */
    public static final String LIBS = "libs";

    private BundleScanner()
    {
    }

    /**
     * A checked bundle.
     *
     * @param root     the folder it was read from.
     * @param manifest its manifest.
     * @param files    every regular file, relative to root, sorted.
     * @param jars     the jars of libs/, relative to root, sorted.
     */
    public record Contents(Path root, ModuleManifest manifest, List<Path> files, List<Path> jars)
    {
    }

    /**
     * Reads and checks a bundle folder.
     *
     * @param root the folder.
     * @return its contents.
     * @throws ManifestException with every violation found.
     * @throws IOException       when the folder cannot be read.
     */
    public static Contents scan(final Path root) throws ManifestException, IOException
    {
        final List<String> violations = new ArrayList<>();
        final List<Path> files = new ArrayList<>();
        long total = 0;
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted()::iterator)
            {
                final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
                final Path relative = root.relativize(path);
                if (attributes.isSymbolicLink())
                {
                    violations.add(relative + ": a symbolic link; a bundle holds only regular files and folders");
                }
                else if (attributes.isRegularFile())
                {
                    files.add(relative);
                    total += attributes.size();
                }
                else if (!attributes.isDirectory())
                {
                    violations.add(relative + ": not a regular file or folder");
                }
            }
        }
        if (files.size() > MAX_FILES)
        {
            violations.add("the bundle holds " + files.size() + " files, limit " + MAX_FILES);
        }
        if (total > MAX_TOTAL_BYTES)
        {
            violations.add("the bundle holds " + total + " bytes, limit " + MAX_TOTAL_BYTES);
        }
        final Path manifestFile = root.resolve(ManifestParser.FILE_NAME);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS))
        {
            violations.add(ManifestParser.FILE_NAME + ": missing at the top of the bundle");
            throw new ManifestException(violations);
        }
        ModuleManifest manifest = null;
        try
        {
            manifest = ManifestParser.parse(readLimited(manifestFile, ManifestParser.MAX_BYTES + 1L));
        }
        catch (final ManifestException bad)
        {
            violations.addAll(bad.violations());
        }
        final List<Path> jars = files.stream().filter(file -> 2 == file.getNameCount()
            && LIBS.equals(file.getName(0).toString()) && file.getFileName().toString().endsWith(".jar")).toList();
        if (jars.isEmpty())
        {
            violations.add(LIBS + "/: no jar; a Java bundle carries its classes in at least one libs/*.jar");
        }
        final Set<String> classes = new HashSet<>();
        final int before = violations.size();
        for (final Path jar : jars)
        {
            classes(root.resolve(jar), jar, classes, violations);
        }
        // A class is looked for only when every jar could be read (else the unreadable jar is the one error).
        if (null != manifest && null != manifest.module() && !jars.isEmpty() && violations.size() == before)
        {
            checkEntries(manifest.module(), classes, violations);
        }
        if (!violations.isEmpty())
        {
            throw new ManifestException(violations);
        }
        return new Contents(root, manifest, List.copyOf(files), jars);
    }

    private static void checkEntries(final ModuleManifest.Module module, final Set<String> classes,
        final List<String> violations)
    {
        for (int i = 0; i < module.abilities().size(); i++)
        {
            final ModuleManifest.Ability ability = module.abilities().get(i);
            missingClass("module.abilities[" + i + "].srcEntry", ability.entryClass(), classes, violations);
        }
        for (int i = 0; i < module.extensionAbilities().size(); i++)
        {
            final ModuleManifest.Extension extension = module.extensionAbilities().get(i);
            missingClass("module.extensionAbilities[" + i + "].srcEntry", extension.entryClass(), classes,
                violations);
        }
    }

    private static void missingClass(final String field, final String entryClass, final Set<String> classes,
        final List<String> violations)
    {
        if (null != entryClass && !classes.contains(entryClass.replace('.', '/') + ".class"))
        {
            violations.add(ManifestParser.FILE_NAME + ": " + field + " names class " + entryClass
                + ", which no jar in " + LIBS + "/ contains");
        }
    }

    private static void classes(final Path jar, final Path relative, final Set<String> classes,
        final List<String> violations)
    {
        try (ZipFile zip = new ZipFile(jar.toFile()))
        {
            final Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements())
            {
                final String name = entries.nextElement().getName();
                if (name.endsWith(".class"))
                {
                    classes.add(name);
                }
            }
        }
        catch (final ZipException malformed)
        {
            violations.add(relative + ": not a jar (" + malformed.getMessage() + ")");
        }
        catch (final IOException unreadable)
        {
            violations.add(relative + ": unreadable (" + unreadable.getMessage() + ")");
        }
    }

    private static byte[] readLimited(final Path file, final long limit) throws IOException
    {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))
        {
            return in.readNBytes((int)Math.min(limit, Integer.MAX_VALUE - 8));
        }
    }
}
