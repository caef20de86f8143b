package io.harmonia.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds and loads libharmonia once per JVM, with no flag from the user.
 *
 * <p>Order of lookup:
 * <ol>
 *   <li>the system property {@value #LIBRARY_PATH_PROPERTY}, when set: an explicit library file (for
 *       example a sanitizer build);</li>
 *   <li>the class-path resource {@code native/linux-<arch>/libharmonia.so}. Inside the build this is a
 *       plain file (the freshly built library, loaded in place); from the bindings jar it is copied to a
 *       private temporary file, loaded, and the file is deleted at once (the mapping stays valid).</li>
 * </ol>
 * Any failure, including a JVM started without {@code --enable-native-access}, is reported as one
 * {@link NativeLibraryError} whose message names the fix. The outcome is remembered: every later use
 * gets the same message.
 */
public final class NativeLibrary
{
    /** System property naming an explicit libharmonia.so to load instead of the bundled one. */
    public static final String LIBRARY_PATH_PROPERTY = "harmonia.library.path";

    private static final String LIBRARY_FILE = "libharmonia.so";

    private NativeLibrary()
    {
    }

    /** Loaded (or failed) exactly once, on first use. */
    private static final class State
    {
        static final String FAILURE = loadOnce();
    }

    /**
     * Makes sure libharmonia is loaded and usable.
     *
     * @throws NativeLibraryError naming the fix when it is not.
     */
    public static void ensureLoaded()
    {
        final String failure = State.FAILURE;
        if (null != failure)
        {
            throw new NativeLibraryError(failure);
        }
    }

    /**
     * The address of an exported libharmonia function.
     *
     * @param name the C symbol.
     * @return its address.
     * @throws NativeLibraryError when the library cannot be used.
     */
    public static MemorySegment symbol(final String name)
    {
        ensureLoaded();
        return SymbolLookup.loaderLookup().findOrThrow(name);
    }

    /**
     * The platform folder this JVM looks for inside the jar, e.g. {@code linux-x86_64}.
     *
     * @return the folder name.
     */
    public static String platformFolder()
    {
        final String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return "linux-" + switch (arch)
        {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /** The version of libharmonia these bindings were compiled against. */
    static String expectedVersion()
    {
        final Properties properties = new Properties();
        try (InputStream in = NativeLibrary.class.getResourceAsStream("harmonia-bindings.properties"))
        {
            if (null == in)
            {
                throw new IllegalStateException("harmonia-bindings.properties is missing from the bindings jar");
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return properties.getProperty("version").replace("-SNAPSHOT", "");
    }

    /** Returns null on success, else the complete error message. */
    private static String loadOnce()
    {
        final String osName = System.getProperty("os.name");
        if (!"Linux".equals(osName))
        {
            return "Harmonia runs on Linux only; this JVM reports os.name=" + osName;
        }
        final Module module = NativeLibrary.class.getModule();
        if (!module.isNativeAccessEnabled())
        {
            final String target = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            return "Harmonia needs native access, which this JVM does not grant: start java with "
                + "--enable-native-access=" + target
                + " (in an executable jar, add 'Enable-Native-Access: " + target + "' to the manifest)";
        }
        try
        {
            final String explicit = System.getProperty(LIBRARY_PATH_PROPERTY);
            if (null != explicit)
            {
                final Path path = Path.of(explicit).toAbsolutePath();
                if (!Files.isRegularFile(path))
                {
                    return LIBRARY_PATH_PROPERTY + "=" + explicit + " does not name a file: point it at a "
                        + LIBRARY_FILE + " or remove the property to use the library bundled in harmonia-bindings";
                }
                System.load(path.toString());
            }
            else
            {
                final String failure = loadBundled();
                if (null != failure)
                {
                    return failure;
                }
            }
            return checkVersion();
        }
        catch (final UnsatisfiedLinkError | IOException | URISyntaxException ex)
        {
            return "libharmonia could not be loaded: " + ex.getMessage();
        }
    }

    private static String loadBundled() throws IOException, URISyntaxException
    {
        final String resource = "/native/" + platformFolder() + "/" + LIBRARY_FILE;
        final URL url = NativeLibrary.class.getResource(resource);
        if (null == url)
        {
            return "no " + LIBRARY_FILE + " for " + platformFolder() + " is bundled in harmonia-bindings (looked for "
                + resource + "); build the native library for this platform (README: 'Cross-compiling for ARM "
                + "boards') or set -D" + LIBRARY_PATH_PROPERTY + "=/path/to/" + LIBRARY_FILE;
        }
        if ("file".equals(url.getProtocol()))
        {
            // Inside the build tree: load the freshly built library where it lies.
            System.load(Path.of(url.toURI()).toString());
            return null;
        }
        // From a jar: the dynamic loader needs a real file. Once loaded, the mapping outlives the file,
        // so it is deleted straight away and nothing is left behind, whatever way the JVM exits.
        final Path copy = Files.createTempFile("libharmonia-", ".so");
        try
        {
            try (InputStream in = url.openStream())
            {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(copy.toString());
        }
        finally
        {
            Files.deleteIfExists(copy);
        }
        return null;
    }

    private static String checkVersion()
    {
        // Linked here rather than through LibHarmonia: that class needs the library to be loaded already.
        final MethodHandle versionHandle = Linker.nativeLinker().downcallHandle(
            SymbolLookup.loaderLookup().findOrThrow("hm_version"), FunctionDescriptor.of(LibHarmonia.C_STRING));
        final String loaded;
        try
        {
            loaded = ((MemorySegment)versionHandle.invokeExact()).getString(0);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("hm_version failed", ex);
        }
        final String expected = expectedVersion();
        if (!expected.equals(loaded))
        {
            return "the loaded libharmonia is version " + loaded + " but these bindings need " + expected
                + "; use the library from the same build (or the one bundled in harmonia-bindings " + expected + ")";
        }
        return null;
    }
}
