package io.harmonia.bench.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link BenchPeer} as a separate JVM and waits until it is ready. */
final class Peers
{
    private Peers()
    {
    }

    static Process start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dagrona.disable.bounds.checks=true", "-XX:+UseParallelGC",
            "-cp", System.getProperty("java.class.path"), BenchPeer.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!args[0].startsWith("pipe"))
        {
            final String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(line))
            {
                throw new IllegalStateException("peer " + args[0] + " did not start: " + line);
            }
        }
        return process;
    }

    static void stop(final Process process) throws InterruptedException
    {
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
