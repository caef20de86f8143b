package io.harmonia.rpc;

import static io.harmonia.rpc.RpcPeerMain.RECORD;
import static io.harmonia.rpc.RpcPeerMain.RECORDED;
import static io.harmonia.rpc.RpcPeerMain.SLEEP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Several requests at once on one connection: one-way order, the bounded pool, and slow handlers. */
class ConcurrencyTest
{
    @Test
    void oneWayCallsThroughOneProxyRunInTheOrderTheyWereSent() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process owner = RemoteCallTest.startPeer("serve", address);
        try
        {
            final IRemoteObject service = IPCSkeleton.connect(address, 5000);
            final int count = 5000;
            final MessageOption oneWay = new MessageOption(true);
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                for (int i = 0; i < count; i++)
                {
                    data.rewindWrite(0);
                    data.writeInt(i);
                    final RequestResult result = service.sendMessageRequestSync(RECORD, data, reply, oneWay);
                    assertEquals(0, result.errCode());
                }
            }
            int[] recorded = new int[0];
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (recorded.length < count && System.nanoTime() < deadline)
            {
                try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
                {
                    service.sendMessageRequestSync(RECORDED, data, reply, new MessageOption());
                    recorded = reply.readIntArray();
                }
            }
            assertArrayEquals(IntStream.range(0, count).toArray(), recorded);
        }
        finally
        {
            owner.destroy();
            owner.waitFor();
        }
    }

    @Test
    void aFloodOfOneWayCallsEndsInOneWayLimitOnTheRequestLeg() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process owner = RemoteCallTest.startPeer("serve", address, "-Dharmonia.rpc.oneWayQueue=8",
            "-Dharmonia.rpc.ringBytes=65536");
        try
        {
            final IRemoteObject service = IPCSkeleton.connect(address, 5000);
            final MessageOption oneWay = new MessageOption(true);
            oneWay.setWaitTimeMillis(200);
            RemoteCallException limit = null;
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                data.writeInt(5_000); // each one-way request sleeps 5 s: they pile up
                for (int i = 0; i < 100_000 && null == limit; i++)
                {
                    try
                    {
                        service.sendMessageRequestSync(SLEEP, data, reply, oneWay);
                    }
                    catch (final RemoteCallException failure)
                    {
                        limit = failure;
                    }
                }
            }
            assertTrue(null != limit, "the flood was stopped");
            assertEquals(CallFailure.ONE_WAY_LIMIT, limit.failure());
            assertEquals(CallFailure.Leg.REQUEST, limit.failure().leg());
        }
        finally
        {
            owner.destroy();
            owner.waitFor();
        }
    }

    @Test
    void slowHandlersRunSideBySideUpToTheOwnersWorkThreads() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process owner = RemoteCallTest.startPeer("serve", address, "-Dharmonia.rpc.maxWorkThreads=4");
        try
        {
            final IRemoteObject service = IPCSkeleton.connect(address, 5000);
            final int calls = 8;
            final int sleepMs = 300;
            final CountDownLatch go = new CountDownLatch(1);
            final long[] finished = new long[calls];
            final Thread[] callers = new Thread[calls];
            for (int i = 0; i < calls; i++)
            {
                final int index = i;
                callers[i] = new Thread(() ->
                {
                    try (MessageSequence data = MessageSequence.create();
                        MessageSequence reply = MessageSequence.create())
                    {
                        data.writeInt(sleepMs);
                        go.await();
                        service.sendMessageRequestSync(SLEEP, data, reply, new MessageOption());
                        finished[index] = System.nanoTime();
                    }
                    catch (final InterruptedException interrupted)
                    {
                        Thread.currentThread().interrupt();
                    }
                });
                callers[i].start();
            }
            final long start = System.nanoTime();
            go.countDown();
            for (final Thread caller : callers)
            {
                caller.join(10_000);
            }
            final long[] elapsedMs = new long[calls];
            for (int i = 0; i < calls; i++)
            {
                assertTrue(0 != finished[i], "call " + i + " finished");
                elapsedMs[i] = TimeUnit.NANOSECONDS.toMillis(finished[i] - start);
            }
            java.util.Arrays.sort(elapsedMs);
            System.out.println("8 calls of " + sleepMs + " ms with 4 work threads finished after " +
                java.util.Arrays.toString(elapsedMs) + " ms");
            // Four ran side by side (not one after another: 4 x 300 ms), and no more than four (the bound).
            assertTrue(elapsedMs[3] < 2 * sleepMs, "the first four ran side by side: " + elapsedMs[3] + " ms");
            assertTrue(elapsedMs[4] >= 2 * sleepMs - 20, "the fifth waited for a thread: " + elapsedMs[4] + " ms");
            assertTrue(elapsedMs[7] < 4 * sleepMs, "the last four ran side by side: " + elapsedMs[7] + " ms");
        }
        finally
        {
            owner.destroy();
            owner.waitFor();
        }
    }
}
