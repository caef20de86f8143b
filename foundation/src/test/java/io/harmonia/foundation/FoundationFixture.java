package io.harmonia.foundation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import io.harmonia.bindings.posix.Posix;
import io.harmonia.foundation.bundle.FileTrees;

/** What the foundation tests share: root checks, scratch folders every uid can enter, the app class path. */
public final class FoundationFixture
{
    /**
     * The ability manager's timeout ratio in tests: the machines that run them are shared and loaded, where a JVM
     * start can take longer than OpenHarmony's 10 s load timeout; the timeouts are not what these tests check.
     */
    public static final int TIMEOUT_RATIO = 6;

    static
    {
        System.setProperty(io.harmonia.foundation.ability.AbilityManagerService.TIMEOUT_RATIO_PROPERTY,
            Integer.toString(TIMEOUT_RATIO));
    }

    private FoundationFixture()
    {
    }

    /** Skips the test loudly unless it runs as root (uid changes, chown, appspawn). */
    public static void requireRoot(final String what)
    {
        Assumptions.assumeTrue(0 == Posix.euid(), "SKIPPED: " + what + " needs root (uids, chown, appspawn)");
    }

    /** A scratch folder in /tmp, mode 0755 (app processes under other uids read below it). */
    public static Path scratch(final String prefix) throws IOException
    {
        final Path folder = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        return folder;
    }

    /** Removes a scratch folder. */
    public static void remove(final Path folder) throws IOException
    {
        if (null != folder)
        {
            FileTrees.remove(folder);
        }
    }

    /** The app class path the build wrote (runtime, bindings, dependencies; foundation's pom). */
    public static List<Path> appClassPath() throws IOException
    {
        final String file = System.getProperty("harmonia.test.appClassPathFile");
        Assumptions.assumeTrue(null != file && Files.isRegularFile(Path.of(file)),
            "SKIPPED: no app class path file (run through Maven: foundation/pom.xml writes it)");
        final List<Path> entries = new ArrayList<>();
        for (final String entry : Files.readString(Path.of(file)).strip().split(":"))
        {
            entries.add(Path.of(entry));
        }
        return entries;
    }

    /** A unique foundation instance name for one test. */
    public static String instance(final String test)
    {
        return "test-" + test + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    }

    /** The configuration of a test foundation: a state folder, an appspawn socket, AOT caches on or off. */
    public static FoundationConfig config(final String instance, final Path state, final Path socket,
        final Path installList, final boolean aot) throws IOException
    {
        return new FoundationConfig(instance, state, socket, appClassPath(),
            Path.of(System.getProperty("java.home"), "bin", "java"), installList, aot);
    }

    /**
     * Every path below a folder with its mode and owner: a picture to compare before and after a refused change.
     */
    public static Map<String, String> snapshot(final Path root) throws IOException
    {
        final Map<String, String> picture = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.toList())
            {
                picture.put(root.relativize(path).toString(), Files.getAttribute(path, "unix:mode",
                    LinkOption.NOFOLLOW_LINKS) + " " + Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                    + " " + (Files.isRegularFile(path) ? Files.size(path) : "-"));
            }
        }
        return picture;
    }
}
