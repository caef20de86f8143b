package io.harmonia.spawn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What appspawn starts: the fields of the AppProperty record (docs/protocols.md, section 3). Built with
 * {@link #builder()}; {@link Builder#build()} checks every rule of the record, so a request that exists can be
 * encoded, and a bad value is refused with a message naming the field and the limit (never repeating a value that
 * broke a character set: it could hold a line break).
 *
 * @param processName   the process name, 1..255 bytes of ASCII letters, digits, '.', '_', ':' and '-' (the first 15
 *                      become the thread name).
 * @param bundleName    the bundle, empty or up to 255 bytes: an ASCII letter, then letters, digits, '.' and '_'
 *                      (OpenHarmony's bundle-name characters).
 * @param soPath        the app library: an absolute path of 1..255 bytes of UTF-8 without control characters.
 * @param uid           the uid, 1..2147483647.
 * @param gid           the gid, 1..2147483647.
 * @param gids          the supplementary groups, at most 64, each 1..2147483647.
 * @param capabilities  the capability bit mask (bit n = capability n); the daemon refuses bits above its
 *                      CAP_LAST_CAP.
 * @param accessTokenId the access token id handed to the app (any 32-bit value).
 * @param apl           the ability privilege level ("normal", "system_basic", "system_core"), 0..31 bytes of
 *                      lower-case ASCII letters and '_'.
 * @param dataDir       the app's working directory, entered as the app before its code runs: empty (then "/") or
 *                      an absolute path like soPath.
 * @param coldStart     true to execute the launcher (cold start) instead of loading soPath in a fork of the daemon.
 */
public record SpawnRequest(String processName, String bundleName, String soPath, int uid, int gid, int[] gids,
    long capabilities, int accessTokenId, String apl, String dataDir, boolean coldStart)
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
     * @param dataDir       see the record.
     * @param coldStart     see the record.
     */
    public SpawnRequest
    {
        Objects.requireNonNull(processName, "processName");
        Objects.requireNonNull(bundleName, "bundleName");
        Objects.requireNonNull(soPath, "soPath");
        Objects.requireNonNull(apl, "apl");
        Objects.requireNonNull(dataDir, "dataDir");
        gids = Objects.requireNonNull(gids, "gids").clone();
        checkString("processName", processName, 1, NAME_MAX);
        checkCharacters("processName", processName, TextRule.PROCESS_NAME);
        checkString("bundleName", bundleName, 0, NAME_MAX);
        checkCharacters("bundleName", bundleName, TextRule.BUNDLE_NAME);
        checkString("soPath", soPath, 1, NAME_MAX);
        checkCharacters("soPath", soPath, TextRule.PATH);
        if ('/' != soPath.charAt(0))
        {
            throw new IllegalArgumentException("soPath=" + soPath + ": must be an absolute path");
        }
        checkString("apl", apl, 0, APL_MAX);
        checkCharacters("apl", apl, TextRule.APL);
        checkString("dataDir", dataDir, 0, NAME_MAX);
        checkCharacters("dataDir", dataDir, TextRule.PATH);
        if (!dataDir.isEmpty() && '/' != dataDir.charAt(0))
        {
            throw new IllegalArgumentException("dataDir=" + dataDir + ": must be empty or an absolute path");
        }
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
            && accessTokenId == that.accessTokenId && apl.equals(that.apl) && dataDir.equals(that.dataDir)
            && coldStart == that.coldStart;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(processName, bundleName, soPath, uid, gid, Arrays.hashCode(gids), capabilities,
            accessTokenId, apl, dataDir, coldStart);
    }

    @Override
    public String toString()
    {
        return "SpawnRequest[processName=" + processName + ", bundleName=" + bundleName + ", soPath=" + soPath
            + ", uid=" + uid + ", gid=" + gid + ", gids=" + Arrays.toString(gids) + ", capabilities=0x"
            + Long.toHexString(capabilities) + ", accessTokenId=" + Integer.toUnsignedString(accessTokenId)
            + ", apl=" + apl + ", dataDir=" + dataDir + ", coldStart=" + coldStart + "]";
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

    /** The character sets of the text fields, as {@code native/src/spawn/names.c} defines them. */
    private enum TextRule
    {
        PROCESS_NAME("ASCII letters, digits, '.', '_', ':' and '-'"),
        BUNDLE_NAME("an ASCII letter, then letters, digits, '.' and '_'"),
        APL("lower-case ASCII letters and '_'"),
        PATH("characters other than control characters");

        private final String description;

        TextRule(final String description)
        {
            this.description = description;
        }

        boolean allows(final char c, final int index)
        {
            final boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            final boolean digit = c >= '0' && c <= '9';
            return switch (this)
            {
                case PROCESS_NAME -> letter || digit || '.' == c || '_' == c || ':' == c || '-' == c;
                case BUNDLE_NAME -> letter || (index > 0 && (digit || '.' == c || '_' == c));
                case APL -> (c >= 'a' && c <= 'z') || '_' == c;
                case PATH -> c >= 0x20 && c != 0x7F;
            };
        }
    }

    /** Refuses a character outside the field's set; the message names its position, never the value. */
    private static void checkCharacters(final String field, final String value, final TextRule rule)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (!rule.allows(c, i))
            {
                throw new IllegalArgumentException(String.format("%s: character %d (U+%04X) is not allowed: must "
                    + "hold %s only", field, i, (int)c, rule.description));
            }
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
     * A builder with the defaults: no groups, no capabilities, token 0, apl "normal", no data directory, warm
     * start.
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
        private String dataDir = "";
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
         * Sets the app's working directory, which the child enters as the app before its code runs.
         *
         * @param dataDir empty (the default: "/") or an absolute path.
         * @return this.
         */
        public Builder dataDir(final String dataDir)
        {
            this.dataDir = dataDir;
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
                apl, dataDir, coldStart);
        }
    }
}
