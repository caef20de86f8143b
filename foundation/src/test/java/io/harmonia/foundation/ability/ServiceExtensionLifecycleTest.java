package io.harmonia.foundation.ability;

import static io.harmonia.foundation.ability.ExtensionFixture.APP_SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.APP_SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.want;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.Want;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.foundation.ability.ExtensionFixture.Recorder;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RequestResult;

/**
 * The lifecycle of both extension families with real processes (the seeds' flows F1 to F4, F6, F10, F11, F13 of
 * the requirements): the services run in their bundles' app processes under their uids, this JVM is a separate
 * client process (root, a system caller), the ability manager runs in a foundation process of its own. As root.
 */
class ServiceExtensionLifecycleTest extends ExtensionTestSupport
{
    private static final long WAIT_SECONDS = 120;

    @Override
    String instanceName()
    {
        return "ext-life";
    }

    private static void await(final CompletableFuture<Void> request) throws Exception
    {
        request.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static AbilityException refusal(final CompletableFuture<Void> request) throws Exception
    {
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> request.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof AbilityException, failed.toString());
        return (AbilityException)failed.getCause();
    }

    private JsonNode record(final String abilityName) throws IOException
    {
        for (final JsonNode extension : fixture.extensions())
        {
            if (extension.get("abilityName").asText().equals(abilityName))
            {
                return extension;
            }
        }
        return null;
    }

    private void awaitRecordGone(final String abilityName) throws Exception
    {
        final long deadline = System.nanoTime() + ExtensionFixture.WAIT_MILLIS * 1_000_000;
        while (null != record(abilityName) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(null, record(abilityName), "the record of " + abilityName + " is gone");
    }

    @Test
    void f3StartRestartStopAndTerminateSelfOfAServiceExtension() throws Exception
    {
        final Want want = want(SERVICE_BUNDLE, SEA);
        await(fixture.connector.startServiceExtensionAbility(want));
        assertEquals(List.of("ServiceExtAbility onCreate ServiceExtAbility",
            "ServiceExtAbility onRequest 1 ServiceExtAbility"), fixture.events(SERVICE_BUNDLE));
        final JsonNode started = record(SEA);
        assertEquals("ACTIVE", started.get("state").asText());
        assertEquals("service", started.get("type").asText());
        final int pid = started.get("pid").asInt();
        assertEquals(fixture.uids.get(SERVICE_BUNDLE), ExtensionFixture.uidOf(pid), "its own process, its own uid");

        await(fixture.connector.startServiceExtensionAbility(want));
        assertEquals(List.of("ServiceExtAbility onCreate ServiceExtAbility",
            "ServiceExtAbility onRequest 1 ServiceExtAbility", "ServiceExtAbility onRequest 2 ServiceExtAbility"),
            fixture.events(SERVICE_BUNDLE), "a second start: onRequest only, startId 2");
        assertEquals(2, record(SEA).get("startId").asInt());

        await(fixture.connector.stopServiceExtensionAbility(want));
        assertEquals("ServiceExtAbility onDestroy", fixture.events(SERVICE_BUNDLE).getLast());
        assertEquals(null, record(SEA));
        assertTrue(Files.exists(Path.of("/proc/" + pid)), "the process stays (warm) after its last extension");
        assertEquals(AbilityErrors.INNER, refusal(fixture.connector.stopServiceExtensionAbility(want)).code(),
            "stopping a service that is not running");

        // a separate run that ends in terminateSelf()
        fixture.clearEvents(SERVICE_BUNDLE);
        await(fixture.connector.startServiceExtensionAbility(Want.builder().bundleName(SERVICE_BUNDLE)
            .abilityName(SEA).parameter("terminateInOnRequest", true).build()));
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains("ServiceExtAbility onDestroy"), "onDestroy");
        assertEquals(List.of("ServiceExtAbility onCreate ServiceExtAbility",
            "ServiceExtAbility onRequest 1 ServiceExtAbility", "ServiceExtAbility onDestroy"),
            fixture.events(SERVICE_BUNDLE));
        awaitRecordGone(SEA);
    }

    @Test
    void f1StartedAppServiceOutlivesItsStarterAndStops() throws Exception
    {
        // The seed's client is a UIAbility of another bundle (one process per bundle: the owner's own UIAbility
        // shares the service's process), allowed by the extension's appIdentifierAllowList.
        final ExtensionFixture.ClientApp client = fixture.client(ExtensionFixture.LISTED);
        final Want want = want(APP_SERVICE_BUNDLE, APP_SEA);
        assertEquals(0, client.start(ExtensionAbilityType.APP_SERVICE, want));
        assertEquals(List.of("AppServiceExtAbility onCreate AppServiceExtAbility",
            "AppServiceExtAbility onRequest 1 AppServiceExtAbility"), fixture.events(APP_SERVICE_BUNDLE));
        assertEquals(0, client.start(ExtensionAbilityType.APP_SERVICE, want));
        assertEquals("AppServiceExtAbility onRequest 2 AppServiceExtAbility",
            fixture.events(APP_SERVICE_BUNDLE).getLast());

        Posix.kill(client.pid(), 9);
        ExtensionFixture.awaitGone(client.pid());
        Thread.sleep(500);
        final JsonNode record = record(APP_SEA);
        assertNotNull(record, "a started service outlives its starter");
        assertTrue(Files.exists(Path.of("/proc/" + record.get("pid").asInt())));
        assertFalse(fixture.events(APP_SERVICE_BUNDLE).contains("AppServiceExtAbility onDestroy"));

        final ExtensionFixture.ClientApp again = fixture.client(ExtensionFixture.LISTED);
        assertEquals(0, again.stop(ExtensionAbilityType.APP_SERVICE, want));
        assertEquals("AppServiceExtAbility onDestroy", fixture.events(APP_SERVICE_BUNDLE).getLast());
        assertEquals(null, record(APP_SEA));
        fixture.ams.forceStop(ExtensionFixture.LISTED);
    }

    @Test
    void f2TerminateSelfInOnCreate() throws Exception
    {
        final Want terminating = Want.builder().deviceId("").bundleName(APP_SERVICE_BUNDLE).abilityName(APP_SEA)
            .parameter("terminateInOnCreate", true).build();
        await(fixture.connector.startAppServiceExtensionAbility(terminating));
        final List<String> events = fixture.awaitEvents(APP_SERVICE_BUNDLE, seen -> seen.contains(
            "AppServiceExtAbility onDestroy") && seen.contains("AppServiceExtAbility terminateSelf resolved"),
            "onDestroy and the resolved promise");
        assertEquals("AppServiceExtAbility onCreate AppServiceExtAbility", events.getFirst());
        assertFalse(events.stream().anyMatch(line -> line.contains("onRequest")), "the pending onRequest is skipped: "
            + events);
        awaitRecordGone(APP_SEA);

        fixture.clearEvents(APP_SERVICE_BUNDLE);
        await(fixture.connector.startAppServiceExtensionAbility(want(APP_SERVICE_BUNDLE, APP_SEA)));
        assertEquals(List.of("AppServiceExtAbility onCreate AppServiceExtAbility",
            "AppServiceExtAbility onRequest 1 AppServiceExtAbility"), fixture.events(APP_SERVICE_BUNDLE),
            "a new instance, startId from 1");
    }

    @Test
    void f4AndF6ConnectOnlyWithTheServiceExtensionsRawLayout() throws Exception
    {
        final Recorder options = new Recorder();
        final long connectionId = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), options);
        assertTrue(connectionId > 0, "the id comes back at once");
        options.await(1);
        assertEquals(List.of("onConnect"), options.events);
        assertNotNull(options.remote);
        assertEquals(SEA, options.element.abilityName());
        assertEquals(SERVICE_BUNDLE, options.element.bundleName());
        assertEquals("ExtImpl", options.remote.getDescriptor());
        assertEquals(List.of("ServiceExtAbility onCreate ServiceExtAbility",
            "ServiceExtAbility onConnect ServiceExtAbility"), fixture.events(SERVICE_BUNDLE));

        // F6: [001]'s raw round trip: writeInt(100), the reply holds the message alone
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(100);
            final RequestResult ret = options.remote.sendMessageRequest(1, data, reply, new MessageOption())
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, ret.errCode());
            assertEquals(1, ret.code());
            assertEquals(101, reply.readInt());
        }

        await(fixture.connector.disconnectServiceExtensionAbility(connectionId));
        options.await(2);
        assertEquals(List.of("onConnect", "onDisconnect"), options.events);
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains("ServiceExtAbility onDestroy"), "onDestroy");
        assertEquals(List.of("ServiceExtAbility onCreate ServiceExtAbility",
            "ServiceExtAbility onConnect ServiceExtAbility", "ServiceExtAbility onDisconnect ServiceExtAbility",
            "ServiceExtAbility onDestroy"), fixture.events(SERVICE_BUNDLE), "connect-only: destroyed after the last "
            + "disconnect");
        awaitRecordGone(SEA);

        await(fixture.connector.disconnectServiceExtensionAbility(connectionId));
        Thread.sleep(200);
        assertEquals(List.of("onConnect", "onDisconnect"), options.events, "disconnect is idempotent");
        assertEquals(AbilityErrors.INNER,
            refusal(fixture.connector.disconnectServiceExtensionAbility(Long.MAX_VALUE)).code(),
            "an id never returned");
    }

    @Test
    void f5TheAppServicesRawLayoutAndTheSeedsHandlerlessStub() throws Exception
    {
        final Recorder options = new Recorder();
        final long id = fixture.connector.connectAppServiceExtensionAbility(want(APP_SERVICE_BUNDLE, APP_SEA),
            options);
        options.await(1);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(99);
            options.remote.sendMessageRequest(1, data, reply, new MessageOption()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            final int errCode = reply.readInt();
            int msg = 0;
            if (0 == errCode)
            {
                msg = reply.readInt();
            }
            assertEquals(0, errCode);
            assertEquals(100, msg, "the seed's comment: 100");
        }
        await(fixture.connector.disconnectAppServiceExtensionAbility(id));

        // Quirk 0.6: the seed's StubTest overrides no handler: a request fails cleanly, it never hangs.
        final Recorder seed = new Recorder();
        final long seedId = fixture.connector.connectAppServiceExtensionAbility(want(APP_SERVICE_BUNDLE,
            "SeedAppServiceExtAbility"), seed);
        seed.await(1);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(99);
            final ExecutionException failed = assertThrows(ExecutionException.class, () -> seed.remote
                .sendMessageRequest(1, data, reply, new MessageOption()).get(WAIT_SECONDS, TimeUnit.SECONDS));
            final RemoteCallException call = (RemoteCallException)failed.getCause();
            assertEquals(305, call.result().errCode(), "NO_HANDLER: " + call);
        }
        await(fixture.connector.disconnectAppServiceExtensionAbility(seedId));
        seed.await(2);
    }

    @Test
    void f10ManyClientsOneOnConnectAndTheLastOneLeaves() throws Exception
    {
        // Three clients connect to a cold service at once: all answered from its one onConnect.
        final Recorder a = new Recorder();
        final Recorder b = new Recorder();
        final Recorder c = new Recorder();
        final long idA = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), a);
        final long idB = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), b);
        final long idC = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), c);
        a.await(1);
        b.await(1);
        c.await(1);
        assertSame(a.remote, b.remote, "one object for every client");
        assertSame(a.remote, c.remote);
        assertEquals(1, fixture.events(SERVICE_BUNDLE).stream().filter(line -> line.contains("onConnect")).count(),
            "one onConnect: " + fixture.events(SERVICE_BUNDLE));
        assertEquals(3, record(SEA).get("connections").size());
        assertTrue(record(SEA).get("remoteCached").asBoolean());

        // A later client gets the cached object without another onConnect.
        final Recorder d = new Recorder();
        final long idD = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), d);
        d.await(1);
        assertSame(a.remote, d.remote);
        assertEquals(1, fixture.events(SERVICE_BUNDLE).stream().filter(line -> line.contains("onConnect")).count());

        for (final long id : new long[] {idA, idB, idC})
        {
            await(fixture.connector.disconnectServiceExtensionAbility(id));
        }
        a.await(2);
        b.await(2);
        c.await(2);
        assertFalse(fixture.events(SERVICE_BUNDLE).stream().anyMatch(line -> line.contains("onDisconnect")),
            "no onDisconnect while a client is left");
        assertEquals(List.of("onConnect"), d.events);

        await(fixture.connector.disconnectServiceExtensionAbility(idD));
        d.await(2);
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains("ServiceExtAbility onDestroy"), "onDestroy");
        final List<String> events = fixture.events(SERVICE_BUNDLE);
        assertEquals(List.of("ServiceExtAbility onDisconnect ServiceExtAbility", "ServiceExtAbility onDestroy"),
            events.subList(events.size() - 2, events.size()), "onDisconnect after the last, then onDestroy");
        awaitRecordGone(SEA);
    }

    @Test
    void f11AStartedServiceSurvivesItsClientsAndStopDisconnectsThem() throws Exception
    {
        final Want want = want(SERVICE_BUNDLE, SEA);
        await(fixture.connector.startServiceExtensionAbility(want));
        final Recorder first = new Recorder();
        final long firstId = fixture.connector.connectServiceExtensionAbility(want, first);
        first.await(1);
        await(fixture.connector.disconnectServiceExtensionAbility(firstId));
        first.await(2);
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains(
            "ServiceExtAbility onDisconnect ServiceExtAbility"), "onDisconnect");
        Thread.sleep(300);
        assertFalse(fixture.events(SERVICE_BUNDLE).contains("ServiceExtAbility onDestroy"), "started: not destroyed");
        assertEquals("ACTIVE", record(SEA).get("state").asText());

        // the next client after the last one left: onConnect again (decision: as OpenHarmony does)
        final Recorder second = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want, second);
        second.await(1);
        assertEquals(2, fixture.events(SERVICE_BUNDLE).stream().filter(line -> line.contains("onConnect")).count());

        // stop with a client attached: the client gets onDisconnect, then onDestroy runs
        await(fixture.connector.stopServiceExtensionAbility(want));
        second.await(2);
        assertEquals(List.of("onConnect", "onDisconnect"), second.events);
        final long destroyed = fixture.eventTime(SERVICE_BUNDLE, "ServiceExtAbility onDestroy");
        assertTrue(destroyed > 0);
        assertTrue(second.times.get(1) < destroyed, "the client's onDisconnect came before onDestroy");
        assertEquals(1, fixture.events(SERVICE_BUNDLE).stream().filter(line -> line.contains("onDisconnect")).count(),
            "a stop does not call the service's onDisconnect (OpenHarmony's): " + fixture.events(SERVICE_BUNDLE));
        assertEquals(null, record(SEA));
    }

    @Test
    void f13AKilledServiceTellsEachClientWithin100MillisecondsAndTheNextConnectIsFresh() throws Exception
    {
        final Want want = want(SERVICE_BUNDLE, SEA);
        final Recorder a = new Recorder();
        final Recorder b = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want, a);
        fixture.connector.connectServiceExtensionAbility(want, b);
        a.await(1);
        b.await(1);
        final int pid = record(SEA).get("pid").asInt();

        Posix.kill(pid, 0); // links the kill call first (JNR's first call is slow), so the time starts at the kill
        final long killed = System.nanoTime();
        Posix.kill(pid, 9);
        a.await(2);
        b.await(2);
        assertEquals(List.of("onConnect", "onDisconnect"), a.events);
        assertEquals(List.of("onConnect", "onDisconnect"), b.events);
        final long slowest = Math.max(a.times.get(1), b.times.get(1)) - killed;
        System.out.printf("service killed: clients told after %.1f and %.1f ms%n", (a.times.get(1) - killed) / 1e6,
            (b.times.get(1) - killed) / 1e6);
        assertTrue(slowest < 100_000_000L, "each client's onDisconnect within 100 ms of the kill: "
            + slowest / 1e6 + " ms");

        // A client told of the death reconnects at once (the demo does). It may have heard of it from its own
        // death watch before the ability manager did: the connect must still make a fresh record and process, not
        // join the dead one (it once got onFailed 16000050, or no answer at all).
        final Recorder fresh = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want, fresh);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(1);
            final ExecutionException stale = assertThrows(ExecutionException.class, () -> a.remote
                .sendMessageRequest(1, data, reply, new MessageOption()).get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(1900007, ((RemoteCallException)stale.getCause()).code(), "the stale remote rejects");
        }
        fresh.await(1);
        assertNotEquals(pid, record(SEA).get("pid").asInt(), "a fresh process");
        assertEquals(2, fixture.events(SERVICE_BUNDLE).stream().filter(line -> line.contains("onCreate")).count());
    }

    @Test
    void failuresEndAConnectWithOnFailed() throws Exception
    {
        final Recorder nullRemote = new Recorder();
        fixture.connector.connectServiceExtensionAbility(Want.builder().bundleName(SERVICE_BUNDLE).abilityName(SEA)
            .parameter("onConnectReturnsNull", true).build(), nullRemote);
        assertEquals(List.of("onFailed " + AbilityErrors.INNER), nullRemote.await(1));
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains("ServiceExtAbility onDestroy"),
            "a connect-only instance whose onConnect gave nothing is destroyed");
        awaitRecordGone(SEA);

        final Recorder wrongClass = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, "WrongClassService"), wrongClass);
        assertEquals(List.of("onFailed " + AbilityErrors.WRONG_TYPE), wrongClass.await(1),
            "its srcEntry class is a UIAbility");
        assertEquals(AbilityErrors.WRONG_TYPE, refusal(fixture.connector.startServiceExtensionAbility(
            want(SERVICE_BUNDLE, "WrongClassService"))).code());

        final Recorder missing = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, "Nope"), missing);
        assertEquals(List.of("onFailed " + AbilityErrors.RESOLVE_FAILED), missing.await(1));
        final Recorder wrongFamily = new Recorder();
        fixture.connector.connectAppServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), wrongFamily);
        assertEquals(List.of("onFailed " + AbilityErrors.WRONG_TYPE), wrongFamily.await(1));
        assertEquals(AbilityErrors.WRONG_TYPE, refusal(fixture.connector.startServiceExtensionAbility(
            want(SERVICE_BUNDLE, ExtensionFixture.CLIENT))).code(), "a UIAbility");
        assertEquals(AbilityErrors.RESOLVE_FAILED, refusal(fixture.connector.startServiceExtensionAbility(
            want("com.example.none", SEA))).code());
        final AbilityException nullWant = assertThrows(AbilityException.class,
            () -> fixture.connector.connectServiceExtensionAbility(null, new Recorder()));
        assertEquals(AbilityErrors.INVALID_PARAMETER, nullWant.code());
        assertEquals(0, fixture.connector.liveConnections());
    }

    @Test
    void aDisconnectWhileConnectingEndsWithOnDisconnectAlone() throws Exception
    {
        final Recorder early = new Recorder();
        final long id = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), early);
        await(fixture.connector.disconnectServiceExtensionAbility(id));
        final List<String> events = early.await(events1 -> events1.contains("onDisconnect"), "onDisconnect");
        Thread.sleep(300);
        assertTrue(List.of("onDisconnect").equals(early.events) || List.of("onConnect", "onDisconnect")
            .equals(early.events), "one final outcome, onDisconnect: " + events);
        awaitRecordGone(SEA);
    }
}
