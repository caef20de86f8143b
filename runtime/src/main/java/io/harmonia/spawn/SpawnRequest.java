package io.harmonia.spawn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What appspawn starts: the fields of the AppProperty record (docs/protocols.md, section 2). Built with
 * {@link #builder()}; {@link Builder#build()} checks every rule of the record, so a request that exists can be
 * encoded, and a bad value is refused with a message naming the field and the limit.
 *
 * @param processName   the process name, 1..255 bytes of UTF-8 (the first 15 become the thread name).
 * @param bundleName    the bundle, 0..255 bytes.
 * @param soPath        the app library: an absolute path of 1..255 bytes.
 * @param uid           the uid, 1..2147483647.
 * @param gid           the gid, 1..2147483647.
 * @param gids          the supplementary groups, at most 64, each 1..2147483647.
 * @param capabilities  the capability bit mask (bit n = capability n); the daemon refuses bits above its
 *                      CAP_LAST_CAP.
 * @param accessTokenId the access token id handed to the app (any 32-bit value).
 * @param apl           the ability privilege level ("normal", "system_basic", "system_core"), 0..31 bytes.
 * @param coldStart     true to execute the launcher (cold start) instead of loading soPath in a fork of the daemon.
 */
public record SpawnRequest(String processName, String bundleName, String soPath, int uid, int gid, int[] gids,
    long capabilities, int accessTokenId, String apl, boolean coldStart)
{
    /** The largest processName, bundleName and soPath in bytes (the field holds a NUL too). */
    public static final int NAME_MAX = 255;
    /** The largest apl in bytes. */
    public static final int APL_MAX = 31;
    /** The most supplementary groups. */
    public static final int MAX_GIDS = 64;

    /**
     * The checks of {@link Builder#build()}.
     *
     * @param processName   see the record.
     * @param bundleName    see the record.
     * @param soPath        see the record.
     * @param uid           see the record.
     * @param gid           see the record.
     * @param gids          see the record.
     * @param capabilities  see the record.
     * @param accessTokenId see the record.
     * @param apl           see the record.
     * @param coldStart     see the record.
     */
    public SpawnRequest
    {
        Objects.requireNonNull(processName, "processName");
        Objects.requireNonNull(bundleName, "bundleName");
        Objects.requireNonNull(soPath, "soPath");
        Objects.requireNonNull(apl, "apl");
        gids = Objects.requireNonNull(gids, "gids").clone();
        checkString("processName", processName, 1, NAME_MAX);
        checkString("bundleName", bundleName, 0, NAME_MAX);
        checkString("soPath", soPath, 1, NAME_MAX);
        if ('/' != soPath.charAt(0))
        {
            throw new IllegalArgumentException("soPath=" + soPath + ": must be an absolute path");
        }
        checkString("apl", apl, 0, APL_MAX);
        checkId("uid", uid);
        checkId("gid", gid);
        if (gids.length > MAX_GIDS)
        {
            throw new IllegalArgumentException("gids: " + gids.length + " groups, at most " + MAX_GIDS);
        }
        for (final int group : gids)
        {
            checkId("gids[]", group);
        }
    }

    /**
     * The supplementary groups (a copy).
     *
     * @return the gids.
     */
    @Override
    public int[] gids()
    {
        return gids.clone();
    }

    /**
     * Whether the capability is requested.
     *
     * @param capability a capability number (CAP_*), 0..63.
     * @return true when its bit is set.
     */
    public boolean hasCapability(final int capability)
    {
        return 0 != (capabilities & (1L << capability));
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SpawnRequest that && processName.equals(that.processName)
            && bundleName.equals(that.bundleName) && soPath.equals(that.soPath) && uid == that.uid
            && gid == that.gid && Arrays.equals(gids, that.gids) && capabilities == that.capabilities
            && accessTokenId == that.accessTokenId && apl.equals(that.apl) && coldStart == that.coldStart;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(processName, bundleName, soPath, uid, gid, Arrays.hashCode(gids), capabilities,
            accessTokenId, apl, coldStart);
    }

    @Override
    public String toString()
    {
        return "SpawnRequest[processName=" + processName + ", bundleName=" + bundleName + ", soPath=" + soPath
            + ", uid=" + uid + ", gid=" + gid + ", gids=" + Arrays.toString(gids) + ", capabilities=0x"
            + Long.toHexString(capabilities) + ", accessTokenId=" + Integer.toUnsignedString(accessTokenId)
            + ", apl=" + apl + ", coldStart=" + coldStart + "]";
    }

    private static void checkString(final String field, final String value, final int min, final int max)
    {
        final int length = value.getBytes(StandardCharsets.UTF_8).length;
        if (value.indexOf('\0') >= 0)
        {
            throw new IllegalArgumentException(field + ": contains a NUL character");
        }
        if (length < min || length > max)
        {
            throw new IllegalArgumentException(field + ": " + length + " bytes, must be " + min + ".." + max);
        }
    }

    private static void checkId(final String field, final int id)
    {
        if (id <= 0)
        {
            throw new IllegalArgumentException(field + "=" + id + ": must be 1.." + Integer.MAX_VALUE);
        }
    }

    /**
     * A builder with the defaults: no groups, no capabilities, token 0, apl "normal", warm start.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Collects the fields; {@link #build()} checks them. */
    public static final class Builder
    {
        private String processName;
        private String bundleName = "";
        private String soPath;
        private int uid;
        private int gid;
        private int[] gids = new int[0];
        private long capabilities;
        private int accessTokenId;
        private String apl = "normal";
        private boolean coldStart;

        private Builder()
        {
        }

        /**
         * Sets the process name.
         *
         * @param processName 1..255 bytes.
         * @return this.
         */
        public Builder processName(final String processName)
        {
            this.processName = processName;
            return this;
        }

        /**
         * Sets the bundle name.
         *
         * @param bundleName 0..255 bytes.
         * @return this.
         */
        public Builder bundleName(final String bundleName)
        {
            this.bundleName = bundleName;
            return this;
        }

        /**
         * Sets the app library.
         *
         * @param soPath an absolute path.
         * @return this.
         */
        public Builder soPath(final String soPath)
        {
            this.soPath = soPath;
            return this;
        }

        /**
         * Sets uid and gid.
         *
         * @param uid the uid.
         * @param gid the gid.
         * @return this.
         */
        public Builder ids(final int uid, final int gid)
        {
            this.uid = uid;
            this.gid = gid;
            return this;
        }

        /**
         * Sets the supplementary groups.
         *
         * @param gids at most 64.
         * @return this.
         */
        public Builder gids(final int... gids)
        {
            this.gids = gids.clone();
            return this;
        }

        /**
         * Adds capabilities.
         *
         * @param capabilities capability numbers (CAP_*), 0..63.
         * @return this.
         */
        public Builder capabilities(final int... capabilities)
        {
            for (final int capability : capabilities)
            {
                if (capability < 0 || capability > 63)
                {
                    throw new IllegalArgumentException("capability " + capability + ": must be 0..63");
                }
                this.capabilities |= 1L << capability;
            }
            return this;
        }

        /**
         * Sets the access token id.
         *
         * @param accessTokenId any 32-bit value.
         * @return this.
         */
        public Builder accessTokenId(final int accessTokenId)
        {
            this.accessTokenId = accessTokenId;
            return this;
        }

        /**
         * Sets the ability privilege level.
         *
         * @param apl 0..31 bytes.
         * @return this.
         */
        public Builder apl(final String apl)
        {
            this.apl = apl;
            return this;
        }

        /**
         * Chooses a cold start.
         *
         * @param coldStart true to execute the launcher.
         * @return this.
         */
        public Builder coldStart(final boolean coldStart)
        {
            this.coldStart = coldStart;
            return this;
        }

        /**
         * Checks every rule and makes the request.
         *
         * @return the request.
         * @throws IllegalArgumentException naming the field and the limit it breaks.
         * @throws NullPointerException     when processName or soPath was not set.
         */
        public SpawnRequest build()
        {
            return new SpawnRequest(processName, bundleName, soPath, uid, gid, gids, capabilities, accessTokenId,
                apl, coldStart);
        }
    }
}
