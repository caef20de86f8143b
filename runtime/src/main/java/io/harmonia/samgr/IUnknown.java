package io.harmonia.samgr;

/**
 * The base of every API a service or feature publishes (OpenHarmony's {@code IUnknown}). A caller obtains an
 * {@code IUnknown} from {@link Samgr#getFeatureApi(String, String)} and asks it for the interface and version it
 * needs. The object behind it may be the local implementation or, once the cross-process endpoint exists, a client
 * proxy that marshals each call into a channel: callers cannot tell the difference, which is the point.
 *
 * <p>Versions are bit masks: an object answers a query for {@code version} when it has every bit of
 * {@code version} (see {@link IUnknownEntry#queryInterface(int, Class)}). Reference counts follow the C API: an entry
 * starts at 1, a successful query adds one, and the caller releases what it queried.
 */
public interface IUnknown
{
    /** The version of an ordinary in-process API ({@code DEFAULT_VERSION}). */
    int DEFAULT_VERSION = 0x20;

    /** Marks an API that the endpoint may export to other processes ({@code SERVER_PROXY_VER}). */
    int SERVER_PROXY_VERSION = 0x80;

    /** A server implementation: usable in-process and exportable ({@code SERVER_IMPL_PROXY_VER}, 0x80 | 0x20). */
    int SERVER_IMPL_PROXY_VERSION = 0xA0;

    /** A client proxy to an API in another process ({@code CLIENT_PROXY_VER}, 0x40 | 0x20). */
    int CLIENT_PROXY_VERSION = 0x60;

    /** The legacy "any" version: accepted only by entries of version 0 or that include the default bit. */
    int OLD_VERSION = 0;

    /**
     * Asks for this object as {@code type} at {@code version}. On success the reference count goes up by one and
     * the caller owes a {@link #release()}.
     *
     * @param version the version bits the caller needs.
     * @param type    the interface the caller will use.
     * @param <T>     that interface.
     * @return this object as {@code type}, or {@code null} when the version does not match or this object is not a
     *     {@code type} (OpenHarmony's {@code EC_INVALID}); the count is unchanged then.
     */
    <T> T queryInterface(int version, Class<T> type);

    /**
     * Adds a reference.
     *
     * @return the new count.
     */
    int addRef();

    /**
     * Drops a reference.
     *
     * @return the new count; at 0 the object's owner may free what it holds (a client proxy closes its channel).
     */
    int release();
}
