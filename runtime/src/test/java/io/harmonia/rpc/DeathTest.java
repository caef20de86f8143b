package io.harmonia.rpc;

import static io.harmonia.rpc.RpcPeerMain.SEED_VALUE_ONLY;
import static io.harmonia.rpc.RpcPeerMain.SLEEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The owner of a remote object is killed with SIGKILL: what its callers and death recipients see, and when. */
class DeathTest
{
    @Test
    void killingTheOwnerFailsPendingAndLaterCallsAndRunsEveryRecipientOnce() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process owner = RemoteCallTest.startPeer("serve", address);
        final IRemoteObject service = IPCSkeleton.connect(address, 5000);
        final AtomicInteger told = new AtomicInteger();
        final AtomicLong toldAt = new AtomicLong();
        final DeathRecipient recipient = () ->
        {
            toldAt.compareAndSet(0, System.nanoTime());
            told.incrementAndGet();
        };
        final DeathRecipient removed = told::incrementAndGet;
        service.registerDeathRecipient(recipient, 0);
        service.registerDeathRecipient(recipient, 0); // twice: told once
        service.registerDeathRecipient(removed, 0);
        service.unregisterDeathRecipient(removed, 0);
        service.unregisterDeathRecipient(removed, 0); // idempotent
        assertFalse(service.isObjectDead());

        final int pending = 3;
        final CountDownLatch started = new CountDownLatch(pending);
        final java.util.List<AtomicReference<Throwable>> outcomes = newOutcomes(pending);
        final long[] failedAt = new long[pending];
        final Thread[] callers = new Thread[pending];
        for (int i = 0; i < pending; i++)
        {
            final int index = i;
            callers[i] = new Thread(() ->
            {
                try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
                {
                    data.writeInt(60_000);
                    started.countDown();
                    service.sendMessageRequestSync(SLEEP, data, reply, new MessageOption(MessageOption.TF_SYNC, 120));
                }
                catch (final Throwable failure)
                {
                    failedAt[index] = System.nanoTime();
                    outcomes.get(index).set(failure);
                }
            });
            callers[i].start();
        }
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread.sleep(200); // the requests are in the owner's handlers
        final long killedAt = System.nanoTime();
        owner.destroyForcibly();
        owner.waitFor();
        final long reapedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        for (final Thread caller : callers)
        {
            caller.join(5000);
        }
        System.out.println("SIGKILL of the owner: reaped after " + reapedMs + " ms; pending calls failed after " +
            java.util.Arrays.toString(java.util.Arrays.stream(failedAt).map(t -> TimeUnit.NANOSECONDS.toMillis(
            t - killedAt)).toArray()) + " ms");
        for (int i = 0; i < pending; i++)
        {
            final Throwable failure = outcomes.get(i).get();
            assertTrue(failure instanceof RemoteCallException, "pending call " + i + " ended with " + failure);
            assertEquals(CallFailure.DEAD_OBJECT, ((RemoteCallException)failure).failure());
            final long latencyMs = TimeUnit.NANOSECONDS.toMillis(failedAt[i] - killedAt);
            assertTrue(latencyMs < 50, "pending call " + i + " took " + latencyMs + " ms to fail (the kernel took " +
                reapedMs + " ms to end the owner)");
        }
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (0 == told.get() && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        System.out.println("the recipient was told " + TimeUnit.NANOSECONDS.toMillis(toldAt.get() - killedAt) +
            " ms after SIGKILL");
        assertEquals(1, told.get(), "the recipient was told exactly once");
        assertTrue(service.isObjectDead());
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(1);
            final long start = System.nanoTime();
            final RemoteCallException later = assertThrows(RemoteCallException.class,
                () -> service.sendMessageRequestSync(SEED_VALUE_ONLY, data, reply, new MessageOption()));
            assertEquals(CallFailure.DEAD_OBJECT, later.failure());
            assertTrue(System.nanoTime() - start < 10_000_000L, "a later call fails at once");
        }
        final RpcException registerOnDead = assertThrows(RpcException.class,
            () -> service.registerDeathRecipient(() -> { }, 0));
        assertEquals(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR, registerOnDead.code());
        service.unregisterDeathRecipient(recipient, 0); // still no failure
    }

    @Test
    void anIdleProxysRecipientIsToldWithoutAnyCall() throws Exception
    {
        final String address = RemoteCallTest.address();
        final Process owner = RemoteCallTest.startPeer("serve", address);
        final IRemoteObject service = IPCSkeleton.connect(address, 5000);
        final CountDownLatch told = new CountDownLatch(1);
        service.registerDeathRecipient(told::countDown, 0);
        final long killedAt = System.nanoTime();
        owner.destroyForcibly();
        assertTrue(told.await(2, TimeUnit.SECONDS), "the recipient was told");
        final long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("an idle proxy's recipient was told " + latencyMs + " ms after SIGKILL");
        assertTrue(latencyMs < 100, "took " + latencyMs + " ms");
        owner.waitFor();
    }

    private static java.util.List<AtomicReference<Throwable>> newOutcomes(final int count)
    {
        final java.util.List<AtomicReference<Throwable>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            outcomes.add(new AtomicReference<>());
        }
        return outcomes;
    }
}
