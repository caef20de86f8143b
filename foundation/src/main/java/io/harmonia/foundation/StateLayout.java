package io.harmonia.foundation;

import java.nio.file.Path;

/**
 * Where foundation keeps its state, below one folder (default {@code /var/lib/harmonia}). Every folder an app
 * process loads from is enterable by every uid; the database and the staging area are root's alone.
 *
 * <pre>
 * state/                                  0755
 *   bms/                                  0711  the bundle manager
 *     bundles.json                        0600  the database (replaced atomically: the commit point)
 *     staging/                            0700  unpacked archives during an install (emptied at start)
 *     code/&lt;bundle&gt;/&lt;install id&gt;/        0755  a bundle's code: module.json5, libs/, resources, app.launch,
 *                                               libharmonia-java-launcher.so, app.aot (files 0644, root)
 *   platform/&lt;fingerprint&gt;/               0755  what apps link (jars) and libharmonia.so, staged once
 *   data/app/el1/&lt;user&gt;/base/&lt;bundle&gt;/   0700  owned by the bundle's uid
 *   data/app/el2/&lt;user&gt;/base/&lt;bundle&gt;/   0700  owned by the bundle's uid, with cache files temp
 *                                               preferences haps
 * </pre>
 *
 * @param root the state folder.
 */
public record StateLayout(Path root)
{
    /** The bundle manager's folder. */
    public Path bms()
    {
        return root.resolve("bms");
    }

    /** The bundle database. */
    public Path database()
    {
        return bms().resolve("bundles.json");
    }

    /** The staging area of installs. */
    public Path staging()
    {
        return bms().resolve("staging");
    }

    /** The code folders of every bundle. */
    public Path code()
    {
        return bms().resolve("code");
    }

    /** The staged app platforms. */
    public Path platform()
    {
        return root.resolve("platform");
    }

    /**
     * A bundle's base folder of an encryption level (el1 or el2).
     *
     * @param level      "el1" or "el2".
     * @param userId     the user.
     * @param bundleName the bundle.
     * @return the folder.
     */
    public Path data(final String level, final int userId, final String bundleName)
    {
        return root.resolve("data").resolve("app").resolve(level).resolve(Integer.toString(userId)).resolve("base")
            .resolve(bundleName);
    }
}
