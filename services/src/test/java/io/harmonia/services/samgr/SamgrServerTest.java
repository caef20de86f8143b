package io.harmonia.services.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.bindings.posix.Posix;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.client.SamgrListener;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.EntryInfo;
import io.harmonia.samgr.wire.SamgrDecoder;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.samgr.wire.SamgrWriter;

/**
 * The samgr server in its own JVM, with this JVM and peer JVMs as its clients: system abilities by id, features by
 * name through the endpoints, deadlines, ownership, subscriptions, dumps and bad input.
 */
@Timeout(120)
class SamgrServerTest
{
    private static final String ADDRESS = Jvm.address();
    private static Jvm server;
    private static SamgrClient client;

    @BeforeAll
    static void start() throws IOException
    {
        server = Jvm.server(ADDRESS);
        client = SamgrClient.connect(ADDRESS, 5000);
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void systemAbilitiesAreAddedCheckedListedAndRemoved()
    {
        final RemoteObject ability = new RemoteObject("ability.4242");
        assertNull(client.checkSystemAbility(4242));
        assertEquals(List.of(AccessPolicy.all()), client.addSystemAbility(4242, ability));
        assertSame(ability, client.checkSystemAbility(4242), "read back in its own process, it is the object itself");
        assertTrue(client.listSystemAbilities().contains(4242));
        assertTrue(client.removeSystemAbility(4242));
        assertFalse(client.removeSystemAbility(4242), "removing what is not there answers false");
        assertNull(client.checkSystemAbility(4242));
        assertFalse(client.listSystemAbilities().contains(4242));
    }

    @Test
    void getWaitsForItsDeadlineAndIsAnsweredWhenTheAbilityArrives() throws Exception
    {
        long start = System.nanoTime();
        assertNull(client.getSystemAbility(77, 300), "nothing registers 77 within 300 ms");
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMs >= 290 && waitedMs < 3000, "waited " + waitedMs + " ms");

        final CompletableFuture<IRemoteObject> waiting = CompletableFuture.supplyAsync(
            () -> client.getSystemAbility(78, 10_000));
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "the GET is still waiting");
        final RemoteObject ability = new RemoteObject("ability.78");
        start = System.nanoTime();
        client.addSystemAbility(78, ability);
        assertSame(ability, waiting.get(5, TimeUnit.SECONDS));
        waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMs < 1000, "answered " + waitedMs + " ms after the ADD");
        client.removeSystemAbility(78);
    }

    @Test
    void aFeatureIsCalledAcrossProcessesOnItsProvidersTaskAndDumped() throws Exception
    {
        try (Jvm provider = Jvm.start(SamgrPeerMain.class, -1, List.of(), ADDRESS);
            Jvm consumer = Jvm.start(SamgrPeerMain.class, -1, List.of(), ADDRESS))
        {
            assertEquals("EC_SUCCESS", provider.command("provide echoSvc echoFeat"));
            assertEquals("0 hello", consumer.command("call echoSvc echoFeat hello"));
            assertEquals("0", consumer.command("oneway echoSvc echoFeat quietly"));
            final String[] who = consumer.command("who echoSvc echoFeat").split(" ");
            assertEquals("0", who[0]);
            assertEquals(Integer.toUnsignedString(Posix.uid()), who[1], "IPCSkeleton on the task is the caller's");
            assertEquals(Long.toString(consumer.pid()), who[2], "the origin is the consumer's kernel pid");
            assertTrue(who[3].startsWith("samgr") && who[3].endsWith("echoSvc"),
                "Invoke runs on the service's own task thread, not an RPC thread: " + who[3]);

            final EntryInfo entry = client.dump(SamgrKey.feature("echoSvc", "echoFeat")).get(0);
            assertEquals(provider.pid(), entry.providerPid());
            assertEquals(Posix.uid(), entry.providerUid());
            assertEquals(List.of(AccessPolicy.all()), entry.policies());
            assertTrue(entry.lookups() >= 1, "lookups " + entry.lookups());
            assertTrue(entry.clients().stream().anyMatch(c -> c.pid() == consumer.pid()), "clients " + entry.clients());
            assertTrue(entry.calls() >= 3, "the provider counted the calls it ran: " + entry.calls());

            try (Jvm rival = Jvm.start(SamgrPeerMain.class, -1, List.of(), ADDRESS))
            {
                assertEquals("EC_INVALID", rival.command("provide echoSvc echoFeat"),
                    "a key belongs to the process that registered it");
            }
            final SamgrException notYours = assertThrows(SamgrException.class,
                () -> client.remove(SamgrKey.feature("echoSvc", "echoFeat")));
            assertEquals(ErrorCode.EC_PERMISSION, notYours.errorCode());
            assertTrue(notYours.getMessage().contains("pid " + provider.pid()), notYours.getMessage());

            assertEquals("ok", provider.command("withdraw echoSvc echoFeat"));
            awaitGone(SamgrKey.feature("echoSvc", "echoFeat"));
            assertEquals("-11 null", consumer.command("call echoSvc echoFeat again"),
                "a withdrawn API answers EC_NOSERVICE, and nobody registered it again");
            assertEquals("EC_SUCCESS", provider.command("provide echoSvc echoFeat"));
            assertEquals("0 back", consumer.command("call echoSvc echoFeat back"),
                "the consumer's proxy looks the API up again and reaches the new registration");
        }
    }

    private static void awaitGone(final SamgrKey key) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (null != client.check(key) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertNull(client.check(key), key + " is still registered");
    }

    @Test
    void subscribersHearOfArrivalsWithdrawalsAndDeaths() throws Exception
    {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final SamgrListener listener = new SamgrListener()
        {
            @Override
            public void onAdded(final SamgrKey key, final int providerPid)
            {
                events.add("added " + key + " " + providerPid);
            }

            @Override
            public void onRemoved(final SamgrKey key, final int providerPid, final boolean providerDied)
            {
                events.add((providerDied ? "died " : "removed ") + key + " " + providerPid);
            }
        };
        final SamgrKey key = SamgrKey.feature("watched", null);
        client.subscribe(key, listener);
        client.subscribe(key, listener); // twice: told once
        final Jvm provider = Jvm.start(SamgrPeerMain.class, -1, List.of(), ADDRESS);
        try
        {
            assertEquals("EC_SUCCESS", provider.command("provide watched -"));
            assertEquals("added watched " + provider.pid(), events.poll(5, TimeUnit.SECONDS));
            assertEquals("ok", provider.command("withdraw watched -"));
            assertEquals("removed watched " + provider.pid(), events.poll(5, TimeUnit.SECONDS));
            assertEquals("EC_SUCCESS", provider.command("provide watched -"));
            assertEquals("added watched " + provider.pid(), events.poll(5, TimeUnit.SECONDS));
            final long killedAt = System.nanoTime();
            provider.process.destroyForcibly();
            assertEquals("died watched " + provider.pid(), events.poll(5, TimeUnit.SECONDS));
            System.out.println("a subscriber heard of the provider's death "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after SIGKILL");
            assertNull(client.check(key), "the dead provider's entry is gone");
        }
        finally
        {
            provider.close();
        }
        assertTrue(client.unsubscribe(key, listener));
        assertFalse(client.unsubscribe(key, listener));
        assertNull(events.poll(200, TimeUnit.MILLISECONDS), "nothing else was told: " + events);
    }

    @Test
    void malformedRequestsGetAnErrorNamingTheFieldAndTheServerKeepsServing() throws Exception
    {
        final IRemoteObject raw = IPCSkeleton.connect(ADDRESS, 5000);
        assertRefused(raw, 99, data -> { }, ErrorCode.EC_INVALID, "request code 99");
        assertRefused(raw, SamgrProtocol.GET, data ->
        {
            data.writeInt(SamgrProtocol.KIND_FEATURE);
            data.writeUtf8String("sixteen-bytes-xx");
            data.writeBoolean(false);
            data.writeInt(0);
        }, ErrorCode.EC_INVALID, "service name");
        assertRefused(raw, SamgrProtocol.GET, data -> SamgrWriter.get(data, SamgrKey.ability(1), 60_001),
            ErrorCode.EC_INVALID, "timeout");
        assertRefused(raw, SamgrProtocol.GET, data -> { data.writeInt(1); data.writeInt(0x7fffffff); data.writeInt(0); },
            ErrorCode.EC_INVALID, "system ability id");
        assertRefused(raw, SamgrProtocol.DUMP, data -> data.writeLong(0x1234_5678_9abc_def0L), ErrorCode.EC_INVALID,
            "key kind");
        assertRefused(raw, SamgrProtocol.ADD, data -> SamgrWriter.keyOnly(data, SamgrKey.ability(5)),
            ErrorCode.EC_INVALID, "object");
        assertRefused(raw, SamgrProtocol.DUMP, data -> SamgrWriter.keyOnly(data, SamgrKey.ability(999_999)),
            ErrorCode.EC_NOSERVICE, "999999");
        // The server still answers, and unknown ids are "not there", not errors.
        assertNull(client.checkSystemAbility(123_456));
        assertThrows(IllegalArgumentException.class, () -> SamgrKey.feature("sixteen-bytes-xx", null));
        assertThrows(IllegalArgumentException.class, () -> client.get(SamgrKey.ability(1), 60_001));
    }

    private interface Body
    {
        void write(MessageSequence data);
    }

    private static void assertRefused(final IRemoteObject raw, final int code, final Body body,
        final ErrorCode status, final String field) throws Exception
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            body.write(data);
            raw.sendMessageRequestSync(code, data, reply, new MessageOption());
            final SamgrDecoder.Status answer = SamgrDecoder.readStatus(reply);
            assertEquals(status, answer.code(), answer.detail());
            assertTrue(answer.detail().contains(field), "'" + answer.detail() + "' should name " + field);
        }
    }

    @Test
    void dumpListsEveryEntryWithItsProvider()
    {
        final RemoteObject first = new RemoteObject("first");
        client.addSystemAbility(501, first, AccessPolicy.range(0, 999));
        try
        {
            final EntryInfo entry = client.dump(SamgrKey.all()).stream()
                .filter(e -> SamgrProtocol.KIND_ABILITY == e.key().kind() && 501 == e.key().abilityId())
                .findFirst().orElseThrow();
            assertEquals(ProcessHandle.current().pid(), entry.providerPid());
            assertEquals(List.of(AccessPolicy.range(0, 999)), entry.policies());
            assertEquals(-1, entry.calls(), "a list does not ask providers for call counts");
            assertNotNull(client.checkSystemAbility(501));
            assertEquals(1, client.dump(SamgrKey.ability(501)).get(0).lookups());
        }
        finally
        {
            client.removeSystemAbility(501);
        }
    }
}
