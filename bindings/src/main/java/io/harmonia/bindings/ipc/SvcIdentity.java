package io.harmonia.bindings.ipc;

/**
 * A mutable {@code SvcIdentity} (handle, token, cookie) that {@link IpcIoBuffer#readRemoteObject} fills,
 * so reading a remote object allocates nothing.
 */
public final class SvcIdentity
{
    private int handle;
    private long token;
    private long cookie;

    /**
     * The handle: {@link IpcIoFormat#INVALID_HANDLE} for a local object.
     *
     * @return the handle.
     */
    public int handle()
    {
        return handle;
    }

    /**
     * The token.
     *
     * @return the token.
     */
    public long token()
    {
        return token;
    }

    /**
     * The cookie.
     *
     * @return the cookie.
     */
    public long cookie()
    {
        return cookie;
    }

    /**
     * Sets all three fields.
     *
     * @param handle the handle.
     * @param token  the token.
     * @param cookie the cookie.
     * @return this.
     */
    public SvcIdentity set(final int handle, final long token, final long cookie)
    {
        this.handle = handle;
        this.token = token;
        this.cookie = cookie;
        return this;
    }

    @Override
    public String toString()
    {
        return "SvcIdentity{handle=" + handle + ", token=" + token + ", cookie=" + cookie + "}";
    }
}
