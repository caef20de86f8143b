package io.harmonia.samgr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The default {@link IUnknown} implementation ({@code IUnknownEntry} with {@code DEFAULT_IUNKNOWN_IMPL}): a fixed
 * version and a reference count that starts at 1. Extend it and implement your API interface:
 *
 * <pre>{@code
 * interface EchoApi extends IUnknown { String echo(String text); }
 * final class EchoImpl extends IUnknownEntry implements EchoApi {
 *     EchoImpl() { super(IUnknown.DEFAULT_VERSION); }
 *     public String echo(String text) { return text; }
 * }
 * }</pre>
 *
 * <p>Unlike OpenHarmony's {@code IUNKNOWN_Release}, which never stores 0 and never frees (reference 6.3), the count
 * really reaches 0 here and {@link #onLastRelease()} runs once; releasing below 0 is refused.
 */
public abstract class IUnknownEntry implements IUnknown
{
    private static final VarHandle REF_COUNT;

    static
    {
        try
        {
            REF_COUNT = MethodHandles.lookup().findVarHandle(IUnknownEntry.class, "refCount", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int version;
    @SuppressWarnings("unused") // accessed through REF_COUNT
    private volatile int refCount = 1;

    /**
     * An entry with a version.
     *
     * @param version the version bits, 0..0xFFFF (a {@code uint16} in the C struct), e.g.
     *                {@link IUnknown#DEFAULT_VERSION}.
     * @throws IllegalArgumentException if the version does not fit 16 bits.
     */
    protected IUnknownEntry(final int version)
    {
        if (version < 0 || version > 0xFFFF)
        {
            throw new IllegalArgumentException("version=0x" + Integer.toHexString(version)
                + " must fit the entry's uint16 (0..0xFFFF)");
        }
        this.version = version;
    }

    /**
     * The version bits this entry answers to.
     *
     * @return e.g. 0x20.
     */
    public final int version()
    {
        return version;
    }

    /**
     * The current reference count.
     *
     * @return 1 for a fresh entry.
     */
    public final int refCount()
    {
        return refCount;
    }

    /**
     * Whether an entry of version {@code entryVersion} answers a query for {@code requested}: every requested bit
     * must be present, and the legacy version 0 is accepted only by entries of version 0 or with the default bit.
     *
     * @param entryVersion the entry's version.
     * @param requested    the queried version.
     * @return true when the query succeeds.
     */
    public static boolean versionMatches(final int entryVersion, final int requested)
    {
        if ((entryVersion & requested) != requested)
        {
            return false;
        }
        return OLD_VERSION != requested || OLD_VERSION == entryVersion
            || (entryVersion & DEFAULT_VERSION) == DEFAULT_VERSION;
    }

    /**
     * {@inheritDoc} The version rule is {@link #versionMatches(int, int)}.
     */
    @Override
    public <T> T queryInterface(final int version, final Class<T> type)
    {
        if (null == type || !versionMatches(this.version, version) || !type.isInstance(this))
        {
            return null;
        }
        addRef();
        return type.cast(this);
    }

    @Override
    public final int addRef()
    {
        return (int)REF_COUNT.getAndAdd(this, 1) + 1;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the count is already 0 (a release without a matching reference).
     */
    @Override
    public final int release()
    {
        int current;
        do
        {
            current = refCount;
            if (current <= 0)
            {
                throw new IllegalStateException("release() on " + getClass().getName()
                    + " whose reference count is already 0: every release needs a matching reference");
            }
        }
        while (!REF_COUNT.compareAndSet(this, current, current - 1));
        if (1 == current)
        {
            onLastRelease();
        }
        return current - 1;
    }

    /**
     * Runs once, on the thread whose {@link #release()} took the count to 0. A local API usually has nothing to free;
     * a client proxy closes its channel here. The default does nothing.
     */
    protected void onLastRelease()
    {
    }
}
