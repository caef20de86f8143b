package io.harmonia.services.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.bindings.posix.Posix;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.SamgrKey;

/**
 * RANGE, FIXED and ALL rules against the kernel uid of real processes running as uids 10001 and 10002 (started
 * with setpriv): lookups and calls outside the rules get an explicit EC_PERMISSION (no silence, no hang), also when
 * the caller got the provider's object another way than a samgr lookup; only system uids register; the server's
 * configured rules win over the provider's. Needs root (to start processes under other uids) and setpriv.
 */
@Timeout(180)
class AccessPolicyTest
{
    private static final int ALLOWED_UID = 10001;
    private static final int OTHER_UID = 10002;
    private static final String ADDRESS = Jvm.address();
    private static Jvm server;
    private static Jvm provider;

    @BeforeAll
    static void start() throws IOException
    {
        final boolean root = 0 == Posix.uid();
        final boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"));
        if (!root || !setpriv)
        {
            System.out.println("SKIPPED AccessPolicyTest: needs root and setpriv (util-linux) to run processes under uids "
                + ALLOWED_UID + " and " + OTHER_UID + " (root=" + root + ", setpriv=" + setpriv + ")");
        }
        Assumptions.assumeTrue(root && setpriv, "needs root and setpriv to start processes under other uids");
        server = Jvm.server(ADDRESS, "--policy", "guarded/feat=fixed:0," + ALLOWED_UID,
            "--policy", "ranged=range:" + (ALLOWED_UID - 1) + "-" + ALLOWED_UID);
        provider = Jvm.start(SamgrPeerMain.class, -1, List.of(), ADDRESS);
        assertEquals("EC_SUCCESS", provider.command("provide guarded feat all")); // the server's rule wins over "all"
        assertEquals("EC_SUCCESS", provider.command("provide declared - fixed:" + OTHER_UID));
        assertEquals("EC_SUCCESS", provider.command("provide ranged -"));
        assertEquals("EC_SUCCESS", provider.command("provide open -"));
    }

    @AfterAll
    static void stop()
    {
        if (null != provider)
        {
            provider.close();
        }
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void theRulesInForceAreTheServersConfiguredOnesElseTheProvidersElseAll()
    {
        final SamgrClient client = SamgrClient.connect(ADDRESS, 5000);
        assertEquals(List.of(AccessPolicy.fixed(0, ALLOWED_UID)),
            client.dump(SamgrKey.feature("guarded", "feat")).get(0).policies());
        assertEquals(List.of(AccessPolicy.fixed(OTHER_UID)), client.dump(SamgrKey.feature("declared", null)).get(0)
            .policies());
        assertEquals(List.of(AccessPolicy.range(ALLOWED_UID - 1, ALLOWED_UID)),
            client.dump(SamgrKey.feature("ranged", null)).get(0).policies());
        assertEquals(List.of(AccessPolicy.all()), client.dump(SamgrKey.feature("open", null)).get(0).policies());
    }

    @Test
    void anAllowedUidLooksUpAndCallsAndTheProviderSeesItsKernelUid() throws IOException
    {
        try (Jvm consumer = Jvm.start(SamgrPeerMain.class, ALLOWED_UID, List.of(), ADDRESS))
        {
            assertEquals("found", consumer.command("get guarded feat 0"));
            assertEquals("0 hi", consumer.command("call guarded feat hi"));
            assertTrue(consumer.command("who guarded feat").startsWith("0 " + ALLOWED_UID + " " + consumer.pid() + " "));
            assertEquals("0 in", consumer.command("call ranged - in"), "RANGE lets " + ALLOWED_UID + " in");
            assertEquals("0 open", consumer.command("call open - open"), "ALL lets everyone in");
            assertEquals("EC_PERMISSION", consumer.command("get declared - 0"), "FIXED " + OTHER_UID + " keeps it out");
        }
    }

    @Test
    void anotherUidIsRefusedExplicitlyAtLookupAndAtTheProvider() throws Exception
    {
        final SamgrClient client = SamgrClient.connect(ADDRESS, 5000);
        final IRemoteObject feature = client.check(SamgrKey.feature("guarded", "feat"));
        assertNotNull(feature, "root is in the rule");
        // A relay ability hands the feature's object out without a samgr lookup, so the provider's own check is what
        // stands between the caller and the API.
        final RemoteObject relay = new RemoteObject("relay")
        {
            @Override
            protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
                final MessageSequence reply, final MessageOption option)
            {
                reply.writeRemoteObject(feature);
                return true;
            }
        };
        client.addSystemAbility(9001, relay);
        try (Jvm consumer = Jvm.start(SamgrPeerMain.class, OTHER_UID, List.of(), ADDRESS))
        {
            long start = System.nanoTime();
            assertEquals("EC_PERMISSION", consumer.command("get guarded feat 0"));
            assertEquals("null", consumer.command("call guarded feat hi"), "getFeatureApi answers null, as upstream");
            assertEquals("-12", consumer.command("relay 9001 hi"),
                "the provider answers EC_PERMISSION (-12) where samgr_lite drops the call silently");
            final long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 5000, "refusals are answers, not timeouts: " + tookMs + " ms");
            assertEquals("0 mine", consumer.command("call declared - mine"), "its own FIXED rule lets it in");
            assertEquals("EC_PERMISSION", consumer.command("get ranged - 0"));
            assertEquals("EC_PERMISSION", consumer.command("provide rogue -"),
                "uid " + OTHER_UID + " is not a system uid: it may not register");
        }
        finally
        {
            client.removeSystemAbility(9001);
        }
        final var entry = client.dump(SamgrKey.feature("guarded", "feat")).get(0);
        assertTrue(entry.refusals() >= 1, "refused lookups are counted: " + entry.refusals());
    }
}
