package io.harmonia.rpc;

import static io.harmonia.rpc.RpcPeerMain.CALL_BACK;
import static io.harmonia.rpc.RpcPeerMain.ECHO;
import static io.harmonia.rpc.RpcPeerMain.REFUSE;
import static io.harmonia.rpc.RpcPeerMain.SEED_ERRCODE_THEN_VALUE;
import static io.harmonia.rpc.RpcPeerMain.SEED_VALUE_ONLY;
import static io.harmonia.rpc.RpcPeerMain.SLEEP;
import static io.harmonia.rpc.RpcPeerMain.THROW;
import static io.harmonia.rpc.RpcPeerMain.WHO_CALLS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.harmonia.bindings.posix.Posix;

/** Calls from this JVM to a RemoteObject published by a second JVM: the seeds' flows and every outcome. */
class RemoteCallTest
{
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Process peer;
    private static IRemoteObject service;

    static String address()
    {
        return "@harmonia-rpc-test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** Starts a peer JVM publishing at an address and waits for its "ready". */
    static Process startPeer(final String mode, final String address, final String... jvmOptions) throws IOException
    {
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
            ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(java.util.List.of(jvmOptions));
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), RpcPeerMain.class.getName(),
            mode, address));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final String line = out.readLine();
        assertTrue(null != line && line.startsWith("ready"), "the peer did not start: " + line);
        return process;
    }

    @BeforeAll
    static void start() throws IOException
    {
        final String address = address();
        peer = startPeer("serve", address);
        service = IPCSkeleton.connect(address, 5000);
    }

    @AfterAll
    static void stop() throws InterruptedException
    {
        peer.destroy();
        peer.waitFor();
    }

    private static RequestResult call(final IRemoteObject target, final int code, final MessageSequence data,
        final MessageSequence reply)
    {
        return target.sendMessageRequestSync(code, data, reply, new MessageOption());
    }

    @Test
    void theProxyNamesTheRemoteObject()
    {
        assertInstanceOf(RemoteProxy.class, service);
        assertEquals("test", service.getDescriptor());
    }

    @Test
    void seed000WriteInt99AnswersErrCode0Then100()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(99);
            final RequestResult result = call(service, SEED_ERRCODE_THEN_VALUE, data, reply);
            assertEquals(0, result.errCode());
            assertEquals(0, reply.readInt());
            assertEquals(100, reply.readInt());
        }
    }

    @Test
    void seed001WriteInt100AnswersOneInt() throws Exception
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(100);
            final RequestResult result = service.sendMessageRequest(SEED_VALUE_ONLY, data, reply,
                new MessageOption()).get();
            assertEquals(0, result.errCode());
            assertEquals(100, result.reply().readInt());
        }
    }

    @Test
    void theCalleeSeesTheKernelIdentityOfTheCaller()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            call(service, WHO_CALLS, data, reply);
            assertEquals(Posix.uid(), reply.readInt());
            assertEquals(Posix.pid(), reply.readInt());
            assertEquals(0L, reply.readLong(), "this JVM was not started by appspawn: token 0");
        }
    }

    @Test
    void callingTokenIdComesFromTheTokenTableEntryOfTheCallersPid() throws Exception
    {
        // The callee reads appspawn's token table; this test writes the entry for its own pid the way the daemon
        // does (root-owned, mode 0644, "<token> <starttime>") into a table the callee is pointed at.
        final java.nio.file.Path table = java.nio.file.Files.createTempDirectory("harmonia-tokens-");
        java.nio.file.Files.setPosixFilePermissions(table,
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        final String startTime = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        final java.nio.file.Path entry = table.resolve(Long.toString(ProcessHandle.current().pid()));
        java.nio.file.Files.writeString(entry, "4242 " + startTime + "\n");
        java.nio.file.Files.setPosixFilePermissions(entry,
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        final String address = address();
        final Process callee = startPeer("serve", address, "-Dharmonia.tokens.dir=" + table);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final IRemoteObject tokenAware = IPCSkeleton.connect(address, 5000);
            call(tokenAware, WHO_CALLS, data, reply);
            assertEquals(Posix.uid(), reply.readInt());
            assertEquals(Posix.pid(), reply.readInt());
            assertEquals(0 == Posix.euid() ? 4242L : 0L, reply.readLong(),
                "a root-owned entry is trusted (as root); an entry of another owner reads as token 0");
        }
        finally
        {
            callee.destroy();
            callee.waitFor();
            java.nio.file.Files.deleteIfExists(entry);
            java.nio.file.Files.deleteIfExists(table);
        }
    }

    @Test
    void anIdleProcessWithConnectionsHardlyUsesTheCpu() throws Exception
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(1);
            call(service, SEED_VALUE_ONLY, data, reply); // the connection exists and has been used
        }
        Thread.sleep(500); // past the spin and the housekeeper's busy spell
        final long before = cpuTicks(peer.pid());
        Thread.sleep(3000);
        final long used = cpuTicks(peer.pid()) - before;
        System.out.println("an idle peer used " + used + " clock ticks (10 ms each) of CPU in 3 s");
        assertTrue(used <= 6, "an idle process must not keep waking up: " + used + " ticks in 3 s");
    }

    /** utime + stime of a process in clock ticks, from /proc. */
    static long cpuTicks(final long pid) throws IOException
    {
        final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    @Test
    void refusedAndThrowingHandlersAnswerTheirOwnStatus()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final RemoteCallException refused = assertThrows(RemoteCallException.class,
                () -> call(service, REFUSE, data, reply));
            assertEquals(CallFailure.NOT_HANDLED, refused.failure());
            final RemoteCallException threw = assertThrows(RemoteCallException.class,
                () -> call(service, THROW, data, reply));
            assertEquals(CallFailure.HANDLER_FAILED, threw.failure());
            assertEquals(300, threw.result().errCode());
        }
    }

    @Test
    void aStubWithoutHandlerAnswersNoHandler() throws Exception
    {
        final String address = address();
        final Process silent = startPeer("no-handler", address);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final IRemoteObject stub = IPCSkeleton.connect(address, 5000);
            data.writeInt(99);
            final RemoteCallException failure = assertThrows(RemoteCallException.class,
                () -> call(stub, 1, data, reply));
            assertEquals(CallFailure.NO_HANDLER, failure.failure());
        }
        finally
        {
            silent.destroy();
            silent.waitFor();
        }
    }

    @Test
    void aHandlerThatDoesNotAnswerInTimeGivesTimedOut()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(500);
            final MessageOption option = new MessageOption();
            option.setWaitTimeMillis(100);
            final long start = System.nanoTime();
            final RemoteCallException late = assertThrows(RemoteCallException.class,
                () -> service.sendMessageRequestSync(SLEEP, data, reply, option));
            assertEquals(CallFailure.TIMED_OUT, late.failure());
            assertTrue(System.nanoTime() - start < 400_000_000L, "the deadline was kept");
            // The late reply is dropped; the connection keeps working.
            try (MessageSequence next = MessageSequence.create(); MessageSequence answer = MessageSequence.create())
            {
                next.writeInt(5);
                call(service, SEED_VALUE_ONLY, next, answer);
                assertEquals(5, answer.readInt());
            }
        }
    }

    @Test
    void largeRequestsAndRepliesTravelThroughSealedMemfds()
    {
        final byte[] payload = new byte[150_000];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(i * 31);
        }
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeByteArray(payload);
            call(service, ECHO, data, reply);
            assertArrayEquals(payload, reply.readByteArray());
        }
    }

    @Test
    void aReplyLargerThanTheReplyCapacityIsAReplyLegFailure()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeByteArray(new byte[4096]);
            reply.setCapacity(1024);
            final RemoteCallException failure = assertThrows(RemoteCallException.class,
                () -> call(service, ECHO, data, reply));
            assertEquals(CallFailure.REPLY_TOO_LARGE, failure.failure());
            assertEquals(CallFailure.Leg.REPLY, failure.failure().leg());
        }
    }

    @Test
    void aCallBackRunsOnTheWaitingThread()
    {
        final Thread caller = Thread.currentThread();
        final Thread[] ranOn = new Thread[1];
        final RemoteObject callback = new RemoteObject("callback")
        {
            @Override
            protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
                final MessageSequence reply, final MessageOption option)
            {
                ranOn[0] = Thread.currentThread();
                reply.writeInt(IPCSkeleton.getCallingPid());
                reply.writeInt(data.readInt() * 10);
                return true;
            }
        };
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeRemoteObject(callback);
            data.writeInt(7);
            call(service, CALL_BACK, data, reply);
            assertEquals((int)peer.pid(), reply.readInt(), "the call-back saw the peer as its caller");
            assertEquals(70, reply.readInt());
            assertEquals(caller, ranOn[0], "the call-back ran on the thread that waited for the reply");
        }
    }

    @Test
    void codesOutOfRangeAreRefusedBeforeSending()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final RemoteCallException failure = assertThrows(RemoteCallException.class,
                () -> call(service, 0, data, reply));
            assertEquals(CallFailure.INVALID_CODE, failure.failure());
        }
    }

    @Test
    void manyThreadsCallAtOnce() throws Exception
    {
        final int threads = 4;
        final int calls = 2000;
        final Thread[] workers = new Thread[threads];
        final Throwable[] failures = new Throwable[threads];
        for (int t = 0; t < threads; t++)
        {
            final int base = t * 1_000_000;
            final int index = t;
            workers[t] = new Thread(() ->
            {
                try (MessageSequence data = MessageSequence.create();
                    MessageSequence reply = MessageSequence.create())
                {
                    for (int i = 0; i < calls; i++)
                    {
                        data.rewindWrite(0);
                        data.writeInt(base + i);
                        call(service, SEED_VALUE_ONLY, data, reply);
                        assertEquals(base + i, reply.readInt());
                    }
                }
                catch (final Throwable failure)
                {
                    failures[index] = failure;
                }
            });
            workers[t].start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        for (final Throwable failure : failures)
        {
            if (null != failure)
            {
                throw new AssertionError("a calling thread failed", failure);
            }
        }
    }
}
