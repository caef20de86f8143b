package io.harmonia.tools.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a class path into a folder every uid can enter and read, for a JVM started under a dropped uid: the
 * checkout and the Maven repository may sit under a home folder of mode 700.
 */
final class StagedClassPath
{
    private StagedClassPath()
    {
    }

    /**
     * Stages each entry (jar or class folder) under {@code into} (mode 0755 folders, 0644 files).
     *
     * @return the staged class path.
     */
    static String stage(final String classPath, final Path into) throws IOException
    {
        Files.createDirectories(into);
        open(into.getParent());
        open(into);
        final List<String> staged = new ArrayList<>();
        int index = 0;
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final Path source = Path.of(entry);
            if (!Files.exists(source))
            {
                continue;
            }
            final Path target = into.resolve(index++ + "-" + source.getFileName());
            if (Files.isDirectory(source))
            {
                copyTree(source, target);
            }
            else
            {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            }
            staged.add(target.toString());
        }
        return String.join(File.pathSeparator, staged);
    }

    private static void copyTree(final Path source, final Path target) throws IOException
    {
        Files.walkFileTree(source, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult preVisitDirectory(final Path directory, final BasicFileAttributes attributes)
                throws IOException
            {
                final Path copy = target.resolve(source.relativize(directory).toString());
                Files.createDirectories(copy);
                open(copy);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException
            {
                final Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void open(final Path directory) throws IOException
    {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Deletes a folder and everything in it; problems are ignored (it is a temporary folder). */
    static void deleteQuietly(final Path directory)
    {
        if (null == directory)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // a temporary folder: the system cleans it eventually
        }
    }
}
