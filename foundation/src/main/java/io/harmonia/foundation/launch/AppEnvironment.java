package io.harmonia.foundation.launch;

import java.nio.file.Path;
import java.util.List;

import io.harmonia.ability.FoundationServices;
import io.harmonia.spawn.AccessTokenTable;

/**
 * What an app process must be told about the system it runs in, through its launch file: the ability manager's
 * address (AppMain's {@code --ams}), the foundation instance (so the app's clients of the bundle manager and the
 * access token manager find theirs) and appspawn's access-token table (so {@code IPCSkeleton.getCallingTokenId()}
 * answers inside the app's services).
 *
 * @param amsAddress the ability manager's address.
 * @param instance   the foundation instance.
 * @param tokenDir   appspawn's {@code --token-dir}.
 */
public record AppEnvironment(String amsAddress, String instance, Path tokenDir)
{
    /**
     * The system properties an app JVM gets.
     *
     * @return {@code -D} options.
     */
    public List<String> systemProperties()
    {
        return List.of("-D" + FoundationServices.INSTANCE_PROPERTY + "=" + instance,
            "-D" + AccessTokenTable.DIRECTORY_PROPERTY + "=" + tokenDir);
    }
}
