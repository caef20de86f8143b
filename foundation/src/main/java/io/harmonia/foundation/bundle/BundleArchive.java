package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks a bundle archive (a zip file, e.g. {@code .hap}) into a staging folder, for {@link BundleScanner}. The
 * archive is untrusted: an entry whose name is absolute, climbs out with {@code ..}, holds a NUL or backslash, or
 * repeats another, more than {@link BundleScanner#MAX_FILES} entries or more than
 * {@link BundleScanner#MAX_TOTAL_BYTES} bytes unpacked (counted while reading, not from the declared sizes) is
 * refused, naming the entry. Every entry becomes a regular file or a folder (an archived symbolic link becomes a
 * file holding its target's name: nothing unpacked ever points elsewhere).
 */
public final class BundleArchive
{
    private BundleArchive()
    {
    }

    /**
     * Unpacks an archive.
     *
     * @param archive the zip file.
     * @param into    an empty folder that will hold the bundle.
     * @throws ManifestException for an archive that breaks a rule.
     * @throws IOException       when it cannot be read or written.
     */
    public static void unpack(final Path archive, final Path into) throws ManifestException, IOException
    {
        final String name = archive.getFileName().toString();
        try (ZipFile zip = new ZipFile(archive.toFile()))
        {
            if (zip.size() > BundleScanner.MAX_FILES * 2)
            {
                throw refused(name, "holds " + zip.size() + " entries, limit " + BundleScanner.MAX_FILES * 2);
            }
            long total = 0;
            final Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements())
            {
                final ZipEntry entry = entries.nextElement();
                final Path target = target(name, into, entry);
                if (entry.isDirectory())
                {
                    FileTrees.folder(target, "rwxr-xr-x");
                    continue;
                }
                FileTrees.folder(target.getParent(), "rwxr-xr-x");
                if (Files.exists(target))
                {
                    throw refused(name, "entry " + entry.getName() + " appears twice");
                }
                try (InputStream in = zip.getInputStream(entry);
                    OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW))
                {
                    final byte[] buffer = new byte[65536];
                    for (int n; (n = in.read(buffer)) > 0; )
                    {
                        total += n;
                        if (total > BundleScanner.MAX_TOTAL_BYTES)
                        {
                            throw refused(name, "unpacks to more than " + BundleScanner.MAX_TOTAL_BYTES + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
        catch (final ZipException malformed)
        {
            throw refused(name, "not a zip archive (" + malformed.getMessage() + ")");
        }
    }

    private static Path target(final String archive, final Path into, final ZipEntry entry) throws ManifestException
    {
        final String entryName = entry.getName();
        if (entryName.isEmpty() || entryName.startsWith("/") || entryName.indexOf('\\') >= 0
            || entryName.indexOf('\0') >= 0)
        {
            throw refused(archive, "entry \"" + entryName + "\" is not a relative path");
        }
        final Path target = into.resolve(entryName).normalize();
        if (!target.startsWith(into) || target.equals(into))
        {
            throw refused(archive, "entry \"" + entryName + "\" points outside the bundle");
        }
        return target;
    }

    private static ManifestException refused(final String archive, final String reason)
    {
        return new ManifestException(List.of(archive + ": " + reason));
    }
}
