package io.harmonia.ability;

import java.nio.file.Path;

/**
 * What every ability of an app process can ask about where it runs: its bundle, its own name and the bundle's
 * folders (OpenHarmony's {@code filesDir}, {@code cacheDir}, {@code tempDir}, {@code preferencesDir}).
 */
public class AbilityContext
{
    private final ApplicationInfo application;
    private final String abilityName;

    AbilityContext(final ApplicationInfo application, final String abilityName)
    {
        this.application = application;
        this.abilityName = abilityName;
    }

    /**
     * The bundle this ability belongs to.
     *
     * @return the application info the ability manager sent at attach.
     */
    public ApplicationInfo getApplicationInfo()
    {
        return application;
    }

    /**
     * The ability's name.
     *
     * @return its name in module.json5.
     */
    public String getAbilityName()
    {
        return abilityName;
    }

    /**
     * The bundle's files folder.
     *
     * @return {@code <dataDir>/files}.
     */
    public Path getFilesDir()
    {
        return Path.of(application.dataDir(), "files");
    }

    /**
     * The bundle's cache folder.
     *
     * @return {@code <dataDir>/cache}.
     */
    public Path getCacheDir()
    {
        return Path.of(application.dataDir(), "cache");
    }

    /**
     * The bundle's temporary folder.
     *
     * @return {@code <dataDir>/temp}.
     */
    public Path getTempDir()
    {
        return Path.of(application.dataDir(), "temp");
    }

    /**
     * The bundle's preferences folder.
     *
     * @return {@code <dataDir>/preferences}.
     */
    public Path getPreferencesDir()
    {
        return Path.of(application.dataDir(), "preferences");
    }
}
