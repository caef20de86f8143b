package io.harmonia.foundation;

import java.nio.file.Path;
import java.util.List;

/**
 * How a foundation process runs.
 *
 * @param instance       the instance name its services are published under (io.harmonia.ability.FoundationServices).
 * @param stateDir       its state folder ({@link StateLayout}).
 * @param appspawnSocket appspawn's socket.
 * @param appClassPath   what app processes link: the runtime, bindings and their dependencies (jars or folders).
 * @param java           the JVM app processes run on.
 * @param installList    the device's install list (privileges; may be missing).
 * @param aotCache       whether installs make an AOT cache for the bundle (on by default; off for tests and the
 *                       benchmark's baseline).
 */
public record FoundationConfig(String instance, Path stateDir, Path appspawnSocket, List<Path> appClassPath,
    Path java, Path installList, boolean aotCache)
{
    /** The state folder of an installed system. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/harmonia");
    /** The install list of an installed system. */
    public static final Path DEFAULT_INSTALL_LIST = Path.of("/etc/harmonia/install_list_capability.json5");
}
