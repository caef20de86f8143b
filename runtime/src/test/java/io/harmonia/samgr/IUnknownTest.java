package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.harmonia.samgr.Fixtures.EchoApi;
import io.harmonia.samgr.Fixtures.EchoImpl;

/** The ground of OpenHarmony's IUnknownTest, plus the fixed release semantics. */
class IUnknownTest
{
    @Test
    void shouldStartAtDefaultVersionWithOneReference()
    {
        final EchoImpl entry = new EchoImpl();
        assertEquals(0x20, entry.version());
        assertEquals(IUnknown.DEFAULT_VERSION, entry.version());
        assertEquals(1, entry.refCount());
    }

    @Test
    void shouldQueryDefaultVersionAndCountTheReference()
    {
        final EchoImpl entry = new EchoImpl();
        final EchoApi api = entry.queryInterface(IUnknown.DEFAULT_VERSION, EchoApi.class);
        assertSame(entry, api);
        assertEquals(2, entry.refCount());
        final int afterAddRef = api.addRef();
        final int afterRelease = api.release();
        assertEquals(1, afterAddRef - afterRelease);
        assertEquals(2, api.release() + 1);
        assertEquals("hi", api.echo("hi"));
    }

    @Test
    void shouldRefuseAVersionWithBitsTheEntryLacks()
    {
        final EchoImpl entry = new EchoImpl();
        assertNull(entry.queryInterface(0x30, EchoApi.class));
        assertNull(entry.queryInterface(IUnknown.SERVER_PROXY_VERSION, EchoApi.class));
        assertNull(entry.queryInterface(-1, EchoApi.class));
        assertNull(entry.queryInterface(0x10020, EchoApi.class));
        assertEquals(1, entry.refCount(), "a failed query must not count a reference");
    }

    @Test
    void shouldAnswerServerImplementationAsDefaultAndServerButNotClientProxy()
    {
        final EchoImpl server = new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION);
        assertNotNull(server.queryInterface(IUnknown.DEFAULT_VERSION, EchoApi.class));
        assertNotNull(server.queryInterface(IUnknown.SERVER_PROXY_VERSION, EchoApi.class));
        assertNull(server.queryInterface(IUnknown.CLIENT_PROXY_VERSION, EchoApi.class));
        assertEquals(3, server.refCount());
    }

    @Test
    void shouldAnswerClientProxyAsDefaultAndItsOwnBitOnly()
    {
        final EchoImpl proxy = new EchoImpl(IUnknown.CLIENT_PROXY_VERSION);
        assertNotNull(proxy.queryInterface(IUnknown.DEFAULT_VERSION, EchoApi.class));
        assertNotNull(proxy.queryInterface(0x40, EchoApi.class));
        assertNotNull(proxy.queryInterface(IUnknown.CLIENT_PROXY_VERSION, EchoApi.class));
        assertNull(proxy.queryInterface(IUnknown.SERVER_PROXY_VERSION, EchoApi.class));
    }

    @Test
    void shouldAcceptTheOldVersionOnlyForVersionZeroOrDefaultEntries()
    {
        assertNotNull(new EchoImpl(0).queryInterface(IUnknown.OLD_VERSION, EchoApi.class));
        assertNotNull(new EchoImpl(IUnknown.DEFAULT_VERSION).queryInterface(IUnknown.OLD_VERSION, EchoApi.class));
        assertNotNull(new EchoImpl(IUnknown.SERVER_IMPL_PROXY_VERSION)
            .queryInterface(IUnknown.OLD_VERSION, EchoApi.class));
        assertNull(new EchoImpl(IUnknown.SERVER_PROXY_VERSION).queryInterface(IUnknown.OLD_VERSION, EchoApi.class));
        assertNull(new EchoImpl(0x40).queryInterface(IUnknown.OLD_VERSION, EchoApi.class));
    }

    @Test
    void shouldRefuseATypeTheEntryDoesNotImplement()
    {
        final EchoImpl entry = new EchoImpl();
        assertNull(entry.queryInterface(IUnknown.DEFAULT_VERSION, Runnable.class));
        assertNull(entry.queryInterface(IUnknown.DEFAULT_VERSION, null));
        assertEquals(1, entry.refCount());
    }

    @Test
    void shouldLetQueryInterfaceBeOverridden()
    {
        final AtomicInteger queries = new AtomicInteger();
        final IUnknownEntry entry = new IUnknownEntry(IUnknown.DEFAULT_VERSION)
        {
            @Override
            public <T> T queryInterface(final int version, final Class<T> type)
            {
                queries.incrementAndGet();
                return 0x30 == version ? super.queryInterface(IUnknown.DEFAULT_VERSION, type)
                    : super.queryInterface(version, type);
            }
        };
        assertNotNull(entry.queryInterface(0x30, IUnknown.class));
        assertEquals(1, queries.get());
        assertEquals(2, entry.refCount());
    }

    @Test
    void shouldRunTheLastReleaseHookOnceWhenTheCountReachesZero()
    {
        final AtomicInteger freed = new AtomicInteger();
        final IUnknownEntry entry = new IUnknownEntry(IUnknown.CLIENT_PROXY_VERSION)
        {
            @Override
            protected void onLastRelease()
            {
                freed.incrementAndGet();
            }
        };
        entry.addRef();
        assertEquals(1, entry.release());
        assertEquals(0, freed.get());
        assertEquals(0, entry.release());
        assertEquals(1, freed.get());
        final IllegalStateException error = assertThrows(IllegalStateException.class, entry::release);
        assertEquals(1, freed.get());
        assertEquals(0, entry.refCount());
        assertNotNull(error.getMessage());
    }

    @Test
    void shouldRejectVersionsThatDoNotFitSixteenBits()
    {
        assertThrows(IllegalArgumentException.class, () -> new EchoImpl(0x10000));
        assertThrows(IllegalArgumentException.class, () -> new EchoImpl(-1));
    }
}
