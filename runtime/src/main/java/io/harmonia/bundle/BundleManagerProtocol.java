package io.harmonia.bundle;

/**
 * The bundle manager's request codes. Every reply follows {@link io.harmonia.ability.ServiceReply}: an int code,
 * then the results below or a message. Install and uninstall are for root (and foundation's own uid) only; the
 * queries are open to every caller.
 */
public final class BundleManagerProtocol
{
    /** The interface descriptor of the bundle manager's object. */
    public static final String DESCRIPTOR = "harmonia.BundleManager";
    /**
     * Installs or updates: data = string absolute path of a bundle folder or archive, readable by foundation;
     * reply = string bundleName, int uid, int versionCode, boolean updated.
     */
    public static final int INSTALL = 1;
    /** Uninstalls: data = string bundleName. */
    public static final int UNINSTALL = 2;
    /** One bundle: data = string bundleName; reply = string JSON (the bundle's record). */
    public static final int GET_BUNDLE_INFO = 3;
    /** Every bundle: reply = string JSON array of records. */
    public static final int LIST = 4;
    /** The bundle of a uid: data = int uid; reply = string bundleName. */
    public static final int GET_BUNDLE_NAME_BY_UID = 5;

    /** How long an install may take (it trains the bundle's AOT cache, a JVM run or two). */
    public static final long INSTALL_WAIT_MILLIS = 180_000;

    private BundleManagerProtocol()
    {
    }
}
