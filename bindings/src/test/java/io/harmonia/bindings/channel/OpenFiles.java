package io.harmonia.bindings.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What this process holds open, from /proc/self: for leak checks, and to identify a received fd's file. */
public final class OpenFiles
{
    private OpenFiles()
    {
    }

    /**
     * Open fds of this process.
     *
     * @return the entries of /proc/self/fd.
     */
    public static long fds()
    {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd")))
        {
            return entries.count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Mappings of memfds (raw data, regions): unlike the JVM's heap and code mappings they change only when
     * this code maps or unmaps one.
     *
     * @return the lines of /proc/self/maps naming a memfd.
     */
    public static long memfdMappings()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.contains("/memfd:")).count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The inode of the file an fd of this process refers to (its fstat st_ino).
     *
     * @param fd the fd.
     * @return st_ino.
     */
    public static long inode(final int fd)
    {
        try
        {
            return (Long)Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The bytes of the file an fd refers to, read through /proc/self/fd (from the start, as text).
     *
     * @param fd the fd.
     * @return the content.
     */
    public static String content(final int fd)
    {
        try
        {
            return new String(Files.readAllBytes(Path.of("/proc/self/fd/" + fd)), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Whether an fd number is open in this process.
     *
     * @param fd the fd.
     * @return true when /proc/self/fd lists it.
     */
    public static boolean isOpen(final int fd)
    {
        return Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
