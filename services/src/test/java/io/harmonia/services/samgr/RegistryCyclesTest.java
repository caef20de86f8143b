package io.harmonia.services.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.services.samgr.SamgrPeerMain.EchoServer;

/**
 * 10,000 cycles across three processes: this JVM registers an API (exported to the server), a consumer JVM looks it
 * up and calls it, this JVM unregisters it. Afterwards no process holds more fds, threads or memory mappings than
 * after the first cycles, and the server's registry is empty.
 */
@Timeout(900)
class RegistryCyclesTest
{
    private static final int CYCLES = Integer.getInteger("samgr.cycles", 10_000);
    private static final int WARM_UP = 200;

    @Test
    void tenThousandRegisterLookupUnregisterCyclesLeakNothing() throws Exception
    {
        final String address = Jvm.address();
        final Jvm server = Jvm.server(address);
        final Samgr samgr = Samgr.create();
        final SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, address);
        try (Jvm consumer = Jvm.start(SamgrPeerMain.class, -1, List.of(), address))
        {
            samgr.registerService(SamgrPeerMain.service("cycle"));
            samgr.registerFeature("cycle", Feature.named("feat"));
            samgr.bootstrap();
            int[] serverAfterWarmUp = null;
            int[] selfAfterWarmUp = null;
            String consumerAfterWarmUp = null;
            final long start = System.nanoTime();
            for (int cycle = 1; cycle <= CYCLES; cycle++)
            {
                samgr.registerFeatureApi("cycle", "feat", new EchoServer(List.of(AccessPolicy.all())));
                assertEquals(ErrorCode.EC_SUCCESS, endpoint.awaitExported("cycle", "feat", 10_000), "cycle " + cycle);
                assertEquals("0 c" + cycle, consumer.command("call cycle feat c" + cycle), "cycle " + cycle);
                samgr.unregisterFeatureApi("cycle", "feat");
                if (WARM_UP == cycle)
                {
                    settle(consumer);
                    serverAfterWarmUp = Jvm.resources(server.pid());
                    selfAfterWarmUp = Jvm.resources(ProcessHandle.current().pid());
                    consumerAfterWarmUp = consumer.command("stats");
                }
            }
            final long tookMs = (System.nanoTime() - start) / 1_000_000;
            final SamgrClient client = SamgrClient.connect(address, 5000);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (!client.dump(SamgrKey.all()).isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertEquals(List.of(), client.dump(SamgrKey.all()), "the registry is empty after the last withdrawal");
            settle(consumer);
            final int[] serverAtEnd = Jvm.resources(server.pid());
            final int[] selfAtEnd = Jvm.resources(ProcessHandle.current().pid());
            final String consumerAtEnd = consumer.command("stats");
            System.out.println(CYCLES + " register/lookup/call/unregister cycles in " + tookMs + " ms ("
                + tookMs * 1000 / CYCLES + " us each). fds/threads/maps after " + WARM_UP + " cycles and at the end: "
                + "server " + str(serverAfterWarmUp) + " -> " + str(serverAtEnd) + ", provider " + str(selfAfterWarmUp)
                + " -> " + str(selfAtEnd) + ", consumer '" + consumerAfterWarmUp + "' -> '" + consumerAtEnd + "'");
            assertNotGrown("server", serverAfterWarmUp, serverAtEnd);
            assertNotGrown("provider", selfAfterWarmUp, selfAtEnd);
            assertNotGrown("consumer", parse(consumerAfterWarmUp), parse(consumerAtEnd));
        }
        finally
        {
            endpoint.close();
            samgr.close();
            server.close();
        }
    }

    /** Lets the processes collect unreachable proxies (whose references are released by their cleaners). */
    private static void settle(final Jvm consumer) throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            consumer.command("stats");
            Thread.sleep(100);
        }
    }

    private static int[] parse(final String stats)
    {
        final String[] words = stats.split(" ");
        return new int[] {Integer.parseInt(words[1]), Integer.parseInt(words[3]), Integer.parseInt(words[5])};
    }

    private static String str(final int[] resources)
    {
        return resources[0] + "/" + resources[1] + "/" + resources[2];
    }

    /** Any per-cycle leak would add thousands; the slack covers JIT, GC and pool threads coming and going. */
    private static void assertNotGrown(final String who, final int[] before, final int[] after)
    {
        assertTrue(after[0] <= before[0] + 4, who + " fds grew: " + str(before) + " -> " + str(after));
        assertTrue(after[1] <= before[1] + 6, who + " threads grew: " + str(before) + " -> " + str(after));
        assertTrue(after[2] <= before[2] + 64, who + " mappings grew: " + str(before) + " -> " + str(after));
    }
}
