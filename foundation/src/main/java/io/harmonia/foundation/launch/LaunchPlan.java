package io.harmonia.foundation.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import io.harmonia.ability.AppMain;

/**
 * How a bundle's app process runs: the JVM, its options, the class path (the platform, then the bundle's jars) and
 * the main class. The same plan drives the AOT training run, so the cache matches the real start (an AOT cache is
 * refused when the class path or the options that shape it differ). {@link #writeLaunchFile} writes it as the
 * launch file the Java launcher library executes (native/apps/java_launcher/launch_file.h).
 *
 * @param platform the app platform.
 * @param jars     the bundle's jars (absolute, in its code folder).
 * @param dataDir  the bundle's data folder: the working directory and, below it, the temporary folder.
 */
public record LaunchPlan(AppPlatform platform, List<Path> jars, Path dataDir)
{
    /** The launch file's name in a code folder. */
    public static final String LAUNCH_FILE = "app.launch";
    /** The AOT cache's name in a code folder. */
    public static final String AOT_CACHE = "app.aot";

    /**
     * The JVM options every app process and its training run share: serial GC and no perf data file (a small
     * process that starts fast and leaves nothing in /tmp), native access for the bindings, libharmonia from the
     * platform (no copy per start), the bundle's own temporary folder.
     *
     * @return the options.
     */
    public List<String> jvmOptions()
    {
        return List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED",
            "-Dharmonia.library.path=" + platform.library(), "-Djava.io.tmpdir=" + dataDir.resolve("temp"));
    }

    /**
     * The class path.
     *
     * @return the platform's jars, then the bundle's.
     */
    public String classPath()
    {
        return platform.classPathWith(jars);
    }

    /**
     * The command of an app process (without the launcher: this is what the launch file holds).
     *
     * @param aotCache    the AOT cache to use, or null.
     * @param environment the ability manager's address, the instance and the token table.
     * @return argv.
     */
    public List<String> command(final Path aotCache, final AppEnvironment environment)
    {
        final List<String> command = new ArrayList<>();
        command.add(platform.java().toString());
        command.addAll(jvmOptions());
        command.addAll(environment.systemProperties());
        if (null != aotCache)
        {
            command.add("-XX:AOTCache=" + aotCache);
        }
        command.addAll(List.of("-cp", classPath(), AppMain.class.getName(), "--ams", environment.amsAddress()));
        return command;
    }

    /**
     * Writes the launch file into a code folder (a temporary file renamed over the old one; root-owned, 0644).
     *
     * @param codeDir     the code folder.
     * @param aotCache    the AOT cache, or null.
     * @param environment the ability manager's address, the instance and the token table.
     * @throws IOException when it cannot be written.
     */
    public void writeLaunchFile(final Path codeDir, final Path aotCache, final AppEnvironment environment)
        throws IOException
    {
        final List<String> command = command(aotCache, environment);
        final StringBuilder text = new StringBuilder("harmonia-launch 1\n");
        text.append("cwd ").append(dataDir).append('\n');
        text.append("exec ").append(command.get(0)).append('\n');
        for (final String arg : command.subList(1, command.size()))
        {
            if (arg.indexOf('\n') >= 0)
            {
                throw new IOException("launch argument holds a line break: " + arg);
            }
            text.append("arg ").append(arg).append('\n');
        }
        final Path temporary = codeDir.resolve(LAUNCH_FILE + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(temporary, codeDir.resolve(LAUNCH_FILE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }
}
