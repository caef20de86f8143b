package io.harmonia.ability;

import io.harmonia.rpc.MessageSequence;

/**
 * What the ability manager tells an app process when it attaches: who it is (from the bundle database, not from
 * anything the process said) and where its folders are.
 *
 * @param bundleName  the bundle.
 * @param versionCode its version code.
 * @param uid         its uid.
 * @param codeDir     the bundle's code folder (read-only for the app).
 * @param dataDir     the bundle's data folder (owned by its uid; files, cache, temp, preferences, haps inside).
 */
public record ApplicationInfo(String bundleName, int versionCode, int uid, String codeDir, String dataDir)
{
    /**
     * Writes this into a reply.
     *
     * @param reply the reply.
     */
    public void writeTo(final MessageSequence reply)
    {
        reply.writeString(bundleName);
        reply.writeInt(versionCode);
        reply.writeInt(uid);
        reply.writeString(codeDir);
        reply.writeString(dataDir);
    }

    /**
     * Reads one written by {@link #writeTo}.
     *
     * @param reply the reply.
     * @return the info.
     */
    public static ApplicationInfo readFrom(final MessageSequence reply)
    {
        return new ApplicationInfo(reply.readString(), reply.readInt(), reply.readInt(), reply.readString(),
            reply.readString());
    }
}
