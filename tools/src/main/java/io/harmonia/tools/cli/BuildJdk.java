package io.harmonia.tools.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by the build (tools/pom.xml, with the JDK the Maven toolchain picked): writes that JDK's home to a file,
 * which the {@code harmonia} entry script reads to run every tool with the same JDK, whatever {@code java} is
 * first on the PATH.
 */
public final class BuildJdk
{
    private BuildJdk()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file to write.
     * @throws IOException when it cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, System.getProperty("java.home") + "\n", StandardCharsets.UTF_8);
    }
}
