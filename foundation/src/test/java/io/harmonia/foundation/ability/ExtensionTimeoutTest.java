package io.harmonia.foundation.ability;

import static io.harmonia.foundation.ability.ExtensionFixture.SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.want;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.Want;
import io.harmonia.foundation.FoundationFixture;
import io.harmonia.foundation.ability.ExtensionFixture.Recorder;

/**
 * The ability manager enforces OpenHarmony's deadlines with OpenHarmony's expiry actions (16000050 for the waiting
 * callers). Each step is made to expire through the test hook of {@code aa force-timeout} (the step's request is
 * still sent; the manager does not wait for it), and one deadline runs for real: an onDisconnect slower than
 * OpenHarmony's 1 s (times the tests' ratio of {@value FoundationFixture#TIMEOUT_RATIO}). As root.
 */
class ExtensionTimeoutTest extends ExtensionTestSupport
{
    private static final long WAIT_SECONDS = 120;

    @Override
    String instanceName()
    {
        return "ext-time";
    }

    private static AbilityException refusal(final CompletableFuture<Void> request)
    {
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> request.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return (AbilityException)failed.getCause();
    }

    private JsonNode record() throws IOException
    {
        final JsonNode extensions = fixture.extensions();
        return extensions.isEmpty() ? null : extensions.get(0);
    }

    @Test
    void loadAndOnCreateTimeoutsFailTheStartAndTheWaitingClients() throws Exception
    {
        fixture.ams.forceTimeout(SEA, "INITIAL");
        final Recorder waiting = new Recorder();
        final CompletableFuture<Void> start = fixture.connector.startServiceExtensionAbility(want(SERVICE_BUNDLE, SEA));
        assertEquals(AbilityErrors.INNER, refusal(start).code());
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), waiting);
        assertEquals(List.of("onFailed " + AbilityErrors.INNER), waiting.await(1));
        fixture.awaitNoRecords();

        fixture.ams.forceTimeout("clean", "");
        fixture.ams.forceTimeout(SEA, "INACTIVE");
        final Recorder client = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), client);
        assertEquals(List.of("onFailed " + AbilityErrors.INNER), client.await(1), "onCreate late");
        fixture.awaitNoRecords();
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.equals(List.of(
            "ServiceExtAbility onCreate ServiceExtAbility", "ServiceExtAbility onDestroy")),
            "the instance the manager gave up on is destroyed");
    }

    @Test
    void anOnRequestTimeoutFailsTheStartAndDropsAnInstanceNothingElseUses() throws Exception
    {
        fixture.ams.forceTimeout(SEA, "COMMAND");
        assertEquals(AbilityErrors.INNER, refusal(fixture.connector.startServiceExtensionAbility(
            want(SERVICE_BUNDLE, SEA))).code());
        fixture.awaitNoRecords();
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains("ServiceExtAbility onDestroy"), "dropped");

        // an ACTIVE instance (a client is connected) stays
        final Recorder client = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), client);
        client.await(1);
        assertEquals(AbilityErrors.INNER, refusal(fixture.connector.startServiceExtensionAbility(
            want(SERVICE_BUNDLE, SEA))).code());
        Thread.sleep(300);
        assertEquals(List.of("onConnect"), client.events);
        assertNotNull(record());
    }

    @Test
    void anOnConnectTimeoutFailsEveryWaitingClientAndTerminatesAConnectOnlyInstance() throws Exception
    {
        fixture.ams.forceTimeout(SEA, "CONNECT");
        final Recorder a = new Recorder();
        final Recorder b = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), a);
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), b);
        assertEquals(List.of("onFailed " + AbilityErrors.INNER), a.await(1));
        assertEquals(List.of("onFailed " + AbilityErrors.INNER), b.await(1));
        fixture.awaitNoRecords();
        fixture.awaitEvents(SERVICE_BUNDLE, events -> events.contains("ServiceExtAbility onDestroy"),
            "terminated: never started");

        // a started instance survives its failed connect
        fixture.clearEvents(SERVICE_BUNDLE);
        fixture.connector.startServiceExtensionAbility(want(SERVICE_BUNDLE, SEA)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        final Recorder c = new Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), c);
        assertEquals(List.of("onFailed " + AbilityErrors.INNER), c.await(1));
        Thread.sleep(300);
        assertEquals(1, record().get("startId").asInt());
        assertFalse(fixture.events(SERVICE_BUNDLE).contains("ServiceExtAbility onDestroy"));
    }

    @Test
    void disconnectAndTerminateTimeoutsCompleteTheirStepsAnyway() throws Exception
    {
        fixture.ams.forceTimeout(SEA, "DISCONNECT");
        final Recorder client = new Recorder();
        final long id = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), client);
        client.await(1);
        fixture.connector.disconnectServiceExtensionAbility(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of("onConnect", "onDisconnect"), client.await(2));
        fixture.awaitNoRecords();

        fixture.ams.forceTimeout(SEA, "TERMINATING");
        fixture.connector.startServiceExtensionAbility(want(SERVICE_BUNDLE, SEA)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        fixture.connector.stopServiceExtensionAbility(want(SERVICE_BUNDLE, SEA)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        fixture.awaitNoRecords();
    }

    @Test
    void aSlowOnDisconnectIsCutOffAtItsRealDeadline() throws Exception
    {
        final long deadlineMs = 1_000L * FoundationFixture.TIMEOUT_RATIO;
        final Recorder client = new Recorder();
        final long id = fixture.connector.connectServiceExtensionAbility(Want.builder().bundleName(SERVICE_BUNDLE)
            .abilityName(SEA).parameter("onDisconnectSleepMs", (int)(deadlineMs * 4)).build(), client);
        client.await(1);
        final long asked = System.nanoTime();
        fixture.connector.disconnectServiceExtensionAbility(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
        client.await(2);
        final long waited = (client.times.get(1) - asked) / 1_000_000;
        System.out.println("onDisconnect sleeping " + deadlineMs * 4 + " ms: the client was told after " + waited
            + " ms (deadline " + deadlineMs + " ms)");
        assertTrue(waited >= deadlineMs - 100, "not before the deadline: " + waited);
        assertTrue(waited < deadlineMs * 3, "well before the callback returned: " + waited);
    }

    @Test
    void theHookRefusesUnknownStatesAndEmptyNames()
    {
        final ServiceException unknown = assertThrows(ServiceException.class,
            () -> fixture.ams.forceTimeout(SEA, "FOREGROUND"));
        assertEquals(401, unknown.code());
        assertTrue(unknown.getMessage().contains("INITIAL, INACTIVE, COMMAND, CONNECT, DISCONNECT, TERMINATING"),
            unknown.getMessage());
        assertEquals(401, assertThrows(ServiceException.class, () -> fixture.ams.forceTimeout("", "INITIAL")).code());
    }
}
