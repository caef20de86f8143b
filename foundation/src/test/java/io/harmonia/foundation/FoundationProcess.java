package io.harmonia.foundation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.harmonia.foundation.ability.AbilityManagerService;

/** A foundation process (FoundationMain) started by a test, on the test's class path; its stderr in a file. */
public final class FoundationProcess implements AutoCloseable
{
    private final Process process;
    private final Path log;

    private FoundationProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts one and waits for "foundation ready".
     *
     * @param extra further FoundationMain options (a later option overrides an earlier one, e.g.
     *              "--install-list", "--token-dir", "--device-type").
     */
    public static FoundationProcess start(final String instance, final Path state, final Path socket,
        final boolean aot, final String... extra) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-D" + AbilityManagerService.TIMEOUT_RATIO_PROPERTY + "=" + FoundationFixture.TIMEOUT_RATIO,
            "-cp", System.getProperty("java.class.path"), FoundationMain.class.getName(),
            "--instance", instance, "--state-dir", state.toString(), "--appspawn-socket", socket.toString(),
            "--install-list", state.resolveSibling("none").toString(), "--app-classpath",
            "@" + System.getProperty("harmonia.test.appClassPathFile")));
        if (!aot)
        {
            command.add("--no-aot-cache");
        }
        command.addAll(List.of(extra));
        final Path log = Files.createTempFile("harmonia-foundation-", ".log");
        final Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final String line = out.readLine();
        if (null == line || !line.startsWith("foundation ready"))
        {
            process.destroyForcibly();
            throw new IOException("foundation did not start: " + line + "\n" + Files.readString(log));
        }
        return new FoundationProcess(process, log);
    }

    /** Its pid. */
    public long pid()
    {
        return process.pid();
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
    }

    /** What it logged. */
    public String log() throws IOException
    {
        return Files.readString(log);
    }

    /** SIGTERM (it stops every app process) and wait. */
    @Override
    public void close() throws IOException
    {
        process.destroy();
        try
        {
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
