package io.harmonia.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The native programs and app libraries bundled next to libharmonia, found without any flag: the appspawn daemon
 * ({@value #APPSPAWN}), its cold-start launcher ({@value #APP_LAUNCHER}), two small app libraries
 * ({@value #EXAMPLE_APP}, {@value #ONESHOT_APP}) and the app library that starts a Java bundle's JVM
 * ({@value #JAVA_LAUNCHER}).
 *
 * <p>They are class-path resources under {@code native/linux-<arch>/}, like the library. A program cannot run from
 * inside a jar, and a plain copy by the build loses its executable bit, so every file is copied once per JVM into a
 * private temporary directory, made executable and deleted when the JVM exits. The directory is readable by other
 * users ({@code rwxr-xr-x}, owned by the JVM's user, writable by nobody else) because spawned apps, which run under
 * other uids, load the app libraries from there.
 *
 * <p>The system property {@value #DIRECTORY_PROPERTY} names a directory holding the files instead (for example
 * an installation made with {@code cmake --install}, or a sanitizer build's {@code java-resources} folder); it
 * is used as it is.
 */
public final class NativeExecutables
{
    /** System property naming a directory that holds the native files, used instead of the bundled ones. */
    public static final String DIRECTORY_PROPERTY = "harmonia.native.dir";
    /** The appspawn daemon. */
    public static final String APPSPAWN = "harmonia-appspawn";
    /** The program a cold start executes. */
    public static final String APP_LAUNCHER = "harmonia-app-launcher";
    /** An app library whose entry prints who it is and waits until it is terminated. */
    public static final String EXAMPLE_APP = "libharmonia-example-app.so";
    /** An app library whose entry returns at once (the spawn benchmark's app). */
    public static final String ONESHOT_APP = "libharmonia-oneshot-app.so";
    /** The app library whose entry executes the JVM named by the launch file beside it (a Java bundle's). */
    public static final String JAVA_LAUNCHER = "libharmonia-java-launcher.so";

    private static final Set<PosixFilePermission> READABLE_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Map<String, Path> EXTRACTED = new HashMap<>();
    private static Path directory;

    private NativeExecutables()
    {
    }

    /**
     * The path of a bundled native file, ready to execute or load.
     *
     * @param fileName one of the names above (or {@code libharmonia.so}).
     * @return an absolute path to a regular file.
     * @throws NativeLibraryError when the file is not bundled for this platform, naming what is missing.
     */
    public static synchronized Path locate(final String fileName)
    {
        final String explicit = System.getProperty(DIRECTORY_PROPERTY);
        if (null != explicit)
        {
            final Path path = Path.of(explicit, fileName).toAbsolutePath();
            if (!Files.isRegularFile(path))
            {
                throw new NativeLibraryError(DIRECTORY_PROPERTY + "=" + explicit + " holds no " + fileName
                    + "; point it at a directory with the Harmonia programs or remove the property");
            }
            return path;
        }
        final Path known = EXTRACTED.get(fileName);
        if (null != known && Files.isRegularFile(known))
        {
            return known;
        }
        final String resource = "/native/" + NativeLibrary.platformFolder() + "/" + fileName;
        final URL url = NativeExecutables.class.getResource(resource);
        if (null == url)
        {
            throw new NativeLibraryError("no " + fileName + " for " + NativeLibrary.platformFolder()
                + " is bundled in harmonia-bindings (looked for " + resource + "); build the native part for this "
                + "platform or set -D" + DIRECTORY_PROPERTY + "=<directory with the Harmonia programs>");
        }
        try
        {
            final Path copy = privateDirectory().resolve(fileName);
            try (InputStream in = url.openStream())
            {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(copy, READABLE_DIRECTORY);
            copy.toFile().deleteOnExit();
            EXTRACTED.put(fileName, copy);
            return copy;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy " + resource + " out of the class path", ex);
        }
    }

    private static Path privateDirectory() throws IOException
    {
        if (null == directory || !Files.isDirectory(directory))
        {
            directory = Files.createTempDirectory("harmonia-native-");
            Files.setPosixFilePermissions(directory, READABLE_DIRECTORY);
            // Registered before the files: deleteOnExit runs in reverse order, so the files go first.
            directory.toFile().deleteOnExit();
        }
        return directory;
    }
}
