package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder operations of the bundle manager: create with a mode, remove a tree (never following links). */
public final class FileTrees
{
    private FileTrees()
    {
    }

    /**
     * Creates a folder (and missing parents, mode 0755) and sets its mode.
     *
     * @param folder the folder.
     * @param mode   e.g. "rwxr-xr-x".
     * @return the folder.
     * @throws IOException when it cannot be made.
     */
    public static Path folder(final Path folder, final String mode) throws IOException
    {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS))
        {
            final Path parent = folder.toAbsolutePath().getParent();
            if (null != parent && !Files.isDirectory(parent))
            {
                folder(parent, "rwxr-xr-x");
            }
            Files.createDirectory(folder);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
        return folder;
    }

    /**
     * Removes a file or a folder with everything in it; symbolic links are removed, never followed. A missing path
     * is fine. Retries a few times when something appears in a folder while it is being removed.
     *
     * @param path the path.
     * @throws IOException when something cannot be removed.
     */
    public static void remove(final Path path) throws IOException
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                removeOnce(path);
                return;
            }
            catch (final java.nio.file.DirectoryNotEmptyException racing)
            {
                if (attempt >= 3)
                {
                    throw racing;
                }
            }
        }
    }

    private static void removeOnce(final Path path) throws IOException
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException
            {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(final Path file, final IOException failure) throws IOException
            {
                if (failure instanceof NoSuchFileException)
                {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path folder, final IOException failure) throws IOException
            {
                if (null != failure && !(failure instanceof NoSuchFileException))
                {
                    throw failure;
                }
                Files.deleteIfExists(folder);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Gives a file or folder (not a link's target) to a uid and gid.
     *
     * @param path the path.
     * @param uid  the owner.
     * @param gid  the group.
     * @throws IOException when it cannot be changed (foundation runs as root).
     */
    public static void chown(final Path path, final int uid, final int gid) throws IOException
    {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The entries of a folder, sorted; none when it does not exist.
     *
     * @param folder the folder.
     * @return its entries.
     * @throws IOException when it cannot be listed.
     */
    public static java.util.List<Path> list(final Path folder) throws IOException
    {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS))
        {
            return java.util.List.of();
        }
        try (Stream<Path> entries = Files.list(folder))
        {
            return entries.sorted(Comparator.naturalOrder()).toList();
        }
    }
}
