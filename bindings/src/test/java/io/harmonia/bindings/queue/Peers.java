package io.harmonia.bindings.queue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the peer processes of the cross-process tests: the C peer and a second JVM. */
final class Peers
{
    /** The C peer built by CMake next to the C tests (the host preset's build tree). */
    static final Path C_PEER = Path.of(System.getProperty("harmonia.root", ".."))
        .resolve("target/cmake/host/native/tests/queue/hm_queue_peer").toAbsolutePath().normalize();

    private Peers()
    {
    }

    static Process c(final String... args) throws IOException
    {
        assertTrue(Files.isExecutable(C_PEER), "the C peer must be built first (mvn builds it): " + C_PEER);
        final List<String> command = new ArrayList<>();
        command.add(C_PEER.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static Process java(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(QueuePeerMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static BufferedReader stdout(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static int exit(final Process process) throws InterruptedException
    {
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("peer did not finish in 60 s: " + process.info().commandLine().orElse(""));
        }
        return process.exitValue();
    }
}
