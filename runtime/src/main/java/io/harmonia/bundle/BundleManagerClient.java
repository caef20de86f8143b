package io.harmonia.bundle;

import java.util.Objects;

import io.harmonia.ability.FoundationServices;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;

/**
 * A client of the bundle manager ({@link BundleManagerProtocol}), for tools and apps (the seeds'
 * {@code getBundleNameByUid}). Thread-safe. Failures are {@link ServiceException}s with the manager's code
 * ({@link BundleErrors}, 201, 401) and message, or {@link ServiceException#UNREACHABLE}.
 */
public final class BundleManagerClient
{
    private static final long CALL_MILLIS = 10_000;

    private final IRemoteObject manager;

    private BundleManagerClient(final IRemoteObject manager)
    {
        this.manager = manager;
    }

    /**
     * Connects to the bundle manager of a foundation instance (found as {@link FoundationServices} says: samgr
     * first for the default instance).
     *
     * @param instance the instance.
     * @return a client.
     * @throws ServiceException UNREACHABLE when nothing answers.
     */
    public static BundleManagerClient connect(final String instance)
    {
        return of(FoundationServices.find(instance, FoundationServices.BUNDLE_MANAGER));
    }

    /**
     * A client of a bundle manager object already at hand (e.g. from samgr's BUNDLE_MGR_SERVICE_SYS_ABILITY_ID).
     *
     * @param manager the manager's object.
     * @return a client.
     */
    public static BundleManagerClient of(final IRemoteObject manager)
    {
        return new BundleManagerClient(Objects.requireNonNull(manager, "manager"));
    }

    /** What an install did. */
    public record Installed(String bundleName, int uid, int versionCode, boolean updated)
    {
    }

    /**
     * Installs (or updates) a bundle.
     *
     * @param path absolute path of a bundle folder or archive, readable by foundation.
     * @return what was installed.
     */
    public Installed install(final String path)
    {
        return ServiceReply.request(manager, BundleManagerProtocol.INSTALL, BundleManagerProtocol.INSTALL_WAIT_MILLIS,
            "installing " + path, data -> data.writeString(path),
            reply -> new Installed(reply.readString(), reply.readInt(), reply.readInt(), reply.readBoolean()));
    }

    /**
     * Uninstalls a bundle (its process is killed, its code and data removed).
     *
     * @param bundleName the bundle.
     */
    public void uninstall(final String bundleName)
    {
        ServiceReply.request(manager, BundleManagerProtocol.UNINSTALL, CALL_MILLIS, "uninstalling " + bundleName,
            data -> data.writeString(bundleName), reply -> null);
    }

    /**
     * One bundle's record.
     *
     * @param bundleName the bundle.
     * @return its record as JSON.
     */
    public String getBundleInfo(final String bundleName)
    {
        return ServiceReply.request(manager, BundleManagerProtocol.GET_BUNDLE_INFO, CALL_MILLIS,
            "querying " + bundleName, data -> data.writeString(bundleName), MessageSequence::readString);
    }

    /**
     * Every bundle's record.
     *
     * @return a JSON array.
     */
    public String list()
    {
        return ServiceReply.request(manager, BundleManagerProtocol.LIST, CALL_MILLIS, "listing bundles", data -> { },
            MessageSequence::readString);
    }

    /**
     * The bundle a uid belongs to.
     *
     * @param uid the uid (e.g. {@code IPCSkeleton.getCallingUid()}).
     * @return the bundle name.
     */
    public String getBundleNameByUid(final int uid)
    {
        return ServiceReply.request(manager, BundleManagerProtocol.GET_BUNDLE_NAME_BY_UID, CALL_MILLIS,
            "looking up uid " + uid, data -> data.writeInt(uid), MessageSequence::readString);
    }
}
