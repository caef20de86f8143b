package io.harmonia.rpc;

import static io.harmonia.rpc.RpcPeerMain.BOUNCE;
import static io.harmonia.rpc.RpcPeerMain.FORWARD;
import static io.harmonia.rpc.RpcPeerMain.NEW_OBJECT;
import static io.harmonia.rpc.RpcPeerMain.PID;
import static io.harmonia.rpc.RpcPeerMain.SEED_ERRCODE_THEN_VALUE;
import static io.harmonia.rpc.RpcPeerMain.TABLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote objects passed between three processes (this JVM and two peers): references reach the owner directly,
 * come back as the object itself, are counted across processes, and leak nothing over many passes.
 */
class ObjectPassingTest
{
    private static Process first;
    private static Process second;
    private static IRemoteObject firstService;
    private static IRemoteObject secondService;

    @BeforeAll
    static void start() throws IOException
    {
        final String a = RemoteCallTest.address();
        final String b = RemoteCallTest.address();
        first = RemoteCallTest.startPeer("serve", a);
        second = RemoteCallTest.startPeer("serve", b);
        firstService = IPCSkeleton.connect(a, 5000);
        secondService = IPCSkeleton.connect(b, 5000);
    }

    @AfterAll
    static void stop() throws InterruptedException
    {
        first.destroy();
        second.destroy();
        first.waitFor();
        second.waitFor();
    }

    /** Counts the calls it gets and the pid of the last caller. */
    static final class Counter extends RemoteObject
    {
        final AtomicInteger calls = new AtomicInteger();
        volatile int lastCallerPid;
        final AtomicInteger lastReleases = new AtomicInteger();

        Counter()
        {
            super("counter");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            calls.incrementAndGet();
            lastCallerPid = IPCSkeleton.getCallingPid();
            reply.writeInt(0);
            reply.writeInt(data.readInt() + 1);
            return true;
        }

        @Override
        protected void onLastRemoteRelease()
        {
            lastReleases.incrementAndGet();
        }
    }

    private static int[] tables(final IRemoteObject service)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            service.sendMessageRequestSync(TABLES, data, reply, new MessageOption());
            return new int[] {reply.readInt(), reply.readInt(), reply.readInt(), reply.readInt()};
        }
    }

    @Test
    void aStubPassedOnToAThirdProcessIsCalledDirectlyWithTheThirdProcesssIdentity()
    {
        final Counter counter = new Counter();
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeRemoteObject(secondService); // B will call C (second) ...
            data.writeRemoteObject(counter);       // ... handing it our object, which C calls back
            data.writeInt(41);
            firstService.sendMessageRequestSync(FORWARD, data, reply, new MessageOption());
            assertEquals(0, reply.readInt());
            assertEquals(42, reply.readInt());
        }
        assertEquals(1, counter.calls.get());
        assertEquals((int)second.pid(), counter.lastCallerPid, "the owner saw the third process, not the relay");
    }

    @Test
    void aStubReadBackInItsProcessIsTheStubItselfAndAProxyIsUniquePerObject()
    {
        final Counter counter = new Counter();
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeRemoteObject(counter);
            firstService.sendMessageRequestSync(BOUNCE, data, reply, new MessageOption());
            assertSame(counter, reply.readRemoteObject());
        }
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeRemoteObject(firstService);
            secondService.sendMessageRequestSync(BOUNCE, data, reply, new MessageOption());
            final IRemoteObject back = reply.readRemoteObject();
            assertSame(firstService, back, "one proxy per remote object in a process");
        }
    }

    @Test
    void objectsReturnedByACallAreProxiesOfTheirOwner()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            firstService.sendMessageRequestSync(NEW_OBJECT, data, reply, new MessageOption());
            final IRemoteObject created = reply.readRemoteObject();
            assertInstanceOf(RemoteProxy.class, created);
            assertNotSame(firstService, created);
            try (MessageSequence request = MessageSequence.create(); MessageSequence answer = MessageSequence.create())
            {
                request.writeInt(1);
                created.sendMessageRequestSync(SEED_ERRCODE_THEN_VALUE, request, answer, new MessageOption());
                assertEquals(0, answer.readInt());
                assertEquals(2, answer.readInt());
            }
            try (MessageSequence request = MessageSequence.create(); MessageSequence answer = MessageSequence.create())
            {
                created.sendMessageRequestSync(PID, request, answer, new MessageOption());
                assertEquals((int)first.pid(), answer.readInt());
            }
        }
    }

    @Test
    void theOwnerHearsWhenTheLastRemoteReferenceIsGone() throws Exception
    {
        final Counter counter = new Counter();
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeRemoteObject(secondService);
            data.writeRemoteObject(counter);
            data.writeInt(1);
            firstService.sendMessageRequestSync(FORWARD, data, reply, new MessageOption());
        }
        // Both peers held proxies of the counter; once they collect them, the owner hears it once.
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (0 == counter.lastReleases.get() && System.nanoTime() < deadline)
        {
            tables(firstService);
            tables(secondService);
            Thread.sleep(20);
        }
        assertEquals(1, counter.lastReleases.get());
        assertEquals(null, counter.exported, "the object left the table");
    }

    @Test
    void passAndDropLeaksNothing() throws Exception
    {
        // Warm up so that lazily created threads and connections exist before counting.
        bounceMany(1000);
        System.gc();
        Thread.sleep(100);
        final long fds = countEntries(Path.of("/proc/self/fd"));
        final long maps = Files.readAllLines(Path.of("/proc/self/maps")).size();
        final int threads = Thread.activeCount();
        bounceMany(100_000);
        final long deadline = System.nanoTime() + 20_000_000_000L;
        int[] peer = tables(firstService);
        while (System.nanoTime() < deadline &&
            (RpcRuntime.get().objects().size() > 0 || peer[2] > 0 || peer[3] > 0 || RpcRuntime.get().objects().pinCount() > 0))
        {
            System.gc();
            Thread.sleep(50);
            peer = tables(firstService);
        }
        assertEquals(0, RpcRuntime.get().objects().pinCount(), "pins left in this process");
        assertEquals(0, peer[3], "proxy pins left in the peer");
        assertEquals(0, peer[2] > 0 ? peer[2] : 0, "proxies left in the peer");
        assertEquals(0, RpcRuntime.get().objects().size(), "objects left in this process's table");
        assertTrue(countEntries(Path.of("/proc/self/fd")) <= fds + 2, "fds leaked");
        assertTrue(Files.readAllLines(Path.of("/proc/self/maps")).size() <= maps + 10, "mappings leaked");
        assertTrue(Thread.activeCount() <= threads + 2, "threads leaked: " + threads + " -> " + Thread.activeCount());
    }

    private static void bounceMany(final int cycles)
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            for (int i = 0; i < cycles; i++)
            {
                final Counter counter = new Counter();
                data.rewindWrite(0);
                data.writeRemoteObject(counter);
                firstService.sendMessageRequestSync(BOUNCE, data, reply, new MessageOption());
                assertSame(counter, reply.readRemoteObject());
            }
        }
    }

    private static long countEntries(final Path directory) throws IOException
    {
        try (var entries = Files.list(directory))
        {
            return entries.count();
        }
    }
}
