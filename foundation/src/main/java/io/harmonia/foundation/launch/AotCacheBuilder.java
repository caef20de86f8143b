package io.harmonia.foundation.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.harmonia.ability.AppMain;
import io.harmonia.ability.ApplicationInfo;
import io.harmonia.foundation.bundle.FileTrees;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.Publication;

/**
 * Makes a bundle's JDK AOT cache at install time (JEP 483/514/515), in OpenHarmony's spirit of compiling at install
 * (its bundle manager runs the ark AOT compiler). Two steps, each a JVM started here: the training run
 * ({@code -XX:AOTMode=record}: {@code AppMain --aot-train}, see io.harmonia.ability.AotTraining) attaches to a
 * stand-in ability manager this process publishes ({@link AotTrainingManager}), is driven through an ability's life
 * and exits, writing the configuration; the second ({@code -XX:AOTMode=create}) turns it into the cache. Both use the
 * bundle's exact {@link LaunchPlan} (class path and options), run under the bundle's uid and gid (never as root: the
 * run opens the bundle's jars) and die with foundation, through util-linux {@code setpriv --reuid --regid
 * --clear-groups --pdeathsig KILL} (without setpriv they run as foundation's user and are killed on timeout only).
 * The run loads the bundle's ability classes without initialising them: none of the app's code runs.
 *
 * <p>A bundle whose cache cannot be made still installs and runs without one; the reason is recorded in its record
 * and in {@code bm dump}.
 */
public final class AotCacheBuilder
{
    /** The longest each step may take. */
    public static final long STEP_TIMEOUT_SECONDS = 120;

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private AotCacheBuilder()
    {
    }

    /** The outcome: the cache, or null and why not. */
    public record Result(Path cache, String note)
    {
    }

    /**
     * Builds the cache into {@code codeDir/app.aot}.
     *
     * @param plan         the bundle's launch plan.
     * @param codeDir      its code folder.
     * @param uid          the bundle's uid.
     * @param gid          its gid.
     * @param entryClasses its ability classes, loaded by the training run.
     * @return the cache, or why there is none.
     */
    public static Result build(final LaunchPlan plan, final Path codeDir, final int uid, final int gid,
        final List<String> entryClasses)
    {
        final Path work = codeDir.resolve("aot.tmp");
        try
        {
            FileTrees.folder(work, "rwx------");
            FileTrees.chown(work, uid, gid);
            final Path configuration = work.resolve("app.aotconf");
            final Path cache = work.resolve(LaunchPlan.AOT_CACHE);
            final String address = "@harmonia.aot-train." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime());
            final List<String> record = new ArrayList<>(plan.jvmOptions());
            record.addAll(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration, "-cp",
                plan.classPath(), AppMain.class.getName(), "--aot-train", address));
            record.addAll(entryClasses);
            final AotTrainingManager manager = new AotTrainingManager(new ApplicationInfo("aot.training", 1, uid,
                codeDir.toString(), plan.dataDir().toString()));
            final String recorded;
            try (Publication publication = IPCSkeleton.publish(address, manager))
            {
                final Process training = start(plan, uid, gid, record(record, publication), work);
                final String driven = manager.drive(STEP_TIMEOUT_SECONDS);
                final String exited = await(training, work);
                recorded = null != driven ? driven + (null == exited ? "" : "; " + exited) : exited;
            }
            if (null != recorded)
            {
                return new Result(null, "AOT training run failed: " + recorded);
            }
            final List<String> create = new ArrayList<>(plan.jvmOptions());
            create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                "-XX:AOTCache=" + cache, "-cp", plan.classPath()));
            final String created = await(start(plan, uid, gid, create, work), work);
            if (null != created || !Files.isRegularFile(cache))
            {
                return new Result(null, "AOT cache creation failed: " + (null == created ? "no cache file" : created));
            }
            final Path target = codeDir.resolve(LaunchPlan.AOT_CACHE);
            Files.move(cache, target, StandardCopyOption.REPLACE_EXISTING);
            FileTrees.chown(target, 0, 0);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            return new Result(target, "");
        }
        catch (final IOException failed)
        {
            return new Result(null, "AOT cache not made: " + failed.getMessage());
        }
        finally
        {
            try
            {
                FileTrees.remove(work);
            }
            catch (final IOException ignored)
            {
                // a left-over training folder is removed with the code folder
            }
        }
    }

    /** The training command, once its stand-in is published there. */
    private static List<String> record(final List<String> command, final Publication published)
    {
        if (!command.contains(published.address()))
        {
            throw new IllegalStateException("the training run names another address than " + published.address());
        }
        return command;
    }

    /** Starts one JVM step under the bundle's ids, its output in work/step.log. */
    private static Process start(final LaunchPlan plan, final int uid, final int gid, final List<String> jvmArgs,
        final Path work) throws IOException
    {
        final List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETPRIV))
        {
            command.addAll(List.of(SETPRIV.toString(), "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                "--pdeathsig", "KILL", "--"));
        }
        command.add(plan.platform().java().toString());
        command.addAll(jvmArgs);
        return new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true).redirectOutput(work.resolve("step.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    /** Waits for a step; null on success, else what went wrong (its exit status and the end of its output). */
    private static String await(final Process process, final Path work) throws IOException
    {
        final Path log = work.resolve("step.log");
        try
        {
            if (!process.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                return "no result within " + STEP_TIMEOUT_SECONDS + " s";
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (0 != process.exitValue())
        {
            final String output = Files.readString(log);
            return "exit status " + process.exitValue() + ": "
                + output.substring(Math.max(0, output.length() - 2000)).strip();
        }
        return null;
    }
}
