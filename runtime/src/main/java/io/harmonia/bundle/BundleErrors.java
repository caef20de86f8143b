package io.harmonia.bundle;

/** OpenHarmony's bundle error codes (errorcode-bundle) that the bundle manager answers with. */
public final class BundleErrors
{
    /** The specified bundle name is not found. */
    public static final int BUNDLE_NOT_FOUND = 17700001;
    /** No bundle has the uid (getBundleNameByUid). */
    public static final int UID_NOT_FOUND = 17700021;
    /** The bundle cannot be parsed: a manifest field breaks a rule, a file is missing or malformed. */
    public static final int PARSE_FAILED = 17700010;
    /** The version to install is lower than the installed one. */
    public static final int VERSION_DOWNGRADE = 17700017;
    /** An install step failed on the device (disk, permissions); nothing was changed. */
    public static final int INSTALL_FAILED = 17700000;

    private BundleErrors()
    {
    }
}
