package io.harmonia.foundation;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.harmonia.spawn.AccessTokenTable;

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
 * @param tokenDir       appspawn's access-token table, which app processes read to answer
 *                       {@code IPCSkeleton.getCallingTokenId()} (appspawn's {@code --token-dir}).
 * @param deviceType     the device type (OpenHarmony's: default, phone, tablet, 2in1, tv, wearable, car);
 *                       AppServiceExtensionAbility works only on "2in1" (801 elsewhere).
 * @param samgrAddress   the samgr server to register the services in, or null for none (FoundationMain's
 *                       {@code --samgr} and {@code --no-samgr}).
 */
public record FoundationConfig(String instance, Path stateDir, Path appspawnSocket, List<Path> appClassPath,
    Path java, Path installList, boolean aotCache, Path tokenDir, String deviceType, String samgrAddress)
{
    /** The state folder of an installed system. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/harmonia");
    /** The install list of an installed system. */
    public static final Path DEFAULT_INSTALL_LIST = Path.of("/etc/harmonia/install_list_capability.json5");
    /** The device type of a Linux machine: a 2-in-1 (a PC) is the closest of OpenHarmony's types. */
    public static final String DEFAULT_DEVICE_TYPE = "2in1";
    /** OpenHarmony's device types. */
    public static final Set<String> DEVICE_TYPES = Set.of("default", "phone", "tablet", "2in1", "tv", "wearable",
        "car");

    /**
     * Checks the device type.
     *
     * @param instance       see the record.
     * @param stateDir       see the record.
     * @param appspawnSocket see the record.
     * @param appClassPath   see the record.
     * @param java           see the record.
     * @param installList    see the record.
     * @param aotCache       see the record.
     * @param tokenDir       see the record.
     * @param deviceType     see the record.
     * @param samgrAddress   see the record.
     * @throws IllegalArgumentException for a device type OpenHarmony does not define.
     */
    public FoundationConfig
    {
        if (!DEVICE_TYPES.contains(deviceType))
        {
            throw new IllegalArgumentException("device type \"" + deviceType + "\": must be one of "
                + String.join(", ", DEVICE_TYPES.stream().sorted().toList()));
        }
    }

    /**
     * A configuration with the system's token table, the default device type and no samgr.
     *
     * @param instance       see the record.
     * @param stateDir       see the record.
     * @param appspawnSocket see the record.
     * @param appClassPath   see the record.
     * @param java           see the record.
     * @param installList    see the record.
     * @param aotCache       see the record.
     */
    public FoundationConfig(final String instance, final Path stateDir, final Path appspawnSocket,
        final List<Path> appClassPath, final Path java, final Path installList, final boolean aotCache)
    {
        this(instance, stateDir, appspawnSocket, appClassPath, java, installList, aotCache,
            AccessTokenTable.DEFAULT_DIRECTORY, DEFAULT_DEVICE_TYPE, null);
    }

    /**
     * This configuration with another token table.
     *
     * @param directory appspawn's {@code --token-dir}.
     * @return the new configuration.
     */
    public FoundationConfig withTokenDir(final Path directory)
    {
        return new FoundationConfig(instance, stateDir, appspawnSocket, appClassPath, java, installList, aotCache,
            directory, deviceType, samgrAddress);
    }

    /**
     * This configuration with another device type.
     *
     * @param type the device type.
     * @return the new configuration.
     */
    public FoundationConfig withDeviceType(final String type)
    {
        return new FoundationConfig(instance, stateDir, appspawnSocket, appClassPath, java, installList, aotCache,
            tokenDir, type, samgrAddress);
    }

    /**
     * This configuration with another samgr server.
     *
     * @param address the server's address, or null for none.
     * @return the new configuration.
     */
    public FoundationConfig withSamgr(final String address)
    {
        return new FoundationConfig(instance, stateDir, appspawnSocket, appClassPath, java, installList, aotCache,
            tokenDir, deviceType, address);
    }
}
