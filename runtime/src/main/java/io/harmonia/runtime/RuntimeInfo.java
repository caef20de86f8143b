package io.harmonia.runtime;

import java.util.Set;

import io.harmonia.bindings.Feature;
import io.harmonia.bindings.Harmonia;
import io.harmonia.bindings.posix.Posix;

/**
 * What this process runs on: the loaded libharmonia and the process's own identity. This is the
 * identity a call sees as "local" when it is not inside a remote call.
 *
 * @param libraryVersion the loaded libharmonia's version.
 * @param arch           the architecture the library was built for.
 * @param features       what the library can do on this host.
 * @param pid            this process.
 * @param uid            its real user id.
 * @param userName       the user's login name, or {@code uid<N>} when the user database has none.
 * @param gid            its real group id.
 */
public record RuntimeInfo(String libraryVersion, String arch, Set<Feature> features, long pid, int uid,
    String userName, int gid)
{
    /**
     * Reads the current values.
     *
     * @return this process's runtime information.
     */
    public static RuntimeInfo current()
    {
        final int uid = Posix.uid();
        return new RuntimeInfo(Harmonia.version(), Harmonia.arch(), Harmonia.features(), Posix.pid(), uid,
            Posix.userName(uid).orElse("uid" + uid), Posix.gid());
    }

    /**
     * One line for logs and the demo.
     *
     * @return e.g. {@code libharmonia 0.1.0 (x86_64; memfd, futex), pid 42, uid 0 (root), gid 0}.
     */
    public String describe()
    {
        final String featureList = String.join(", ", features.stream().map(Feature::cName).toList());
        return "libharmonia " + libraryVersion + " (" + arch + "; " + featureList + "), pid " + pid + ", uid " + uid
            + " (" + userName + "), gid " + gid;
    }
}
