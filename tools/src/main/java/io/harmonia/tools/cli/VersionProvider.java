package io.harmonia.tools.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the tools' version and the JVM running them (so a user sees at once which Java the entry
 * script picked). Loads no native code, so it works wherever the jar starts.
 */
public final class VersionProvider implements IVersionProvider
{
    /**
     * The project version the tools were built as.
     *
     * @return e.g. "0.1.0".
     */
    public static String toolsVersion()
    {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/io/harmonia/tools/version.properties"))
        {
            final Properties properties = new Properties();
            if (null != in)
            {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The JVM in one line.
     *
     * @return e.g. "Java 25.0.3 (Eclipse Adoptium) at /usr/lib/jvm/temurin-25-jdk-amd64".
     */
    public static String javaDescription()
    {
        return "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at "
            + System.getProperty("java.home");
    }

    @Override
    public String[] getVersion()
    {
        return new String[] {"harmonia " + toolsVersion(), javaDescription()};
    }
}
