package io.harmonia.foundation.ability;

import static io.harmonia.foundation.ability.ExtensionFixture.SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.want;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.harmonia.ability.Want;
import io.harmonia.foundation.ability.ExtensionFixture.Recorder;

/**
 * 1,000 connect/disconnect cycles leave nothing behind: no connection record in the ability manager, no live
 * connection in the client, and the file descriptors and threads of the client, of foundation and of the service's
 * process where they were after a warm-up. Each cycle makes the started service run onConnect and onDisconnect (its
 * last client leaves every time). As root.
 */
class ConnectionLeakTest
{
    private static final int CYCLES = 1_000;
    private static final int WARM_UP = 50;
    /** Slack for descriptors and threads a JVM opens or parks on its own (GC, JIT, the RPC runtime's pools). */
    private static final int SLACK = 8;

    private static long count(final String folder) throws IOException
    {
        try (Stream<Path> entries = Files.list(Path.of(folder)))
        {
            return entries.count();
        }
    }

    private static long[] resources(final long pid) throws IOException
    {
        return new long[] {count("/proc/" + pid + "/fd"), count("/proc/" + pid + "/task")};
    }

    private static void cycles(final ExtensionFixture fixture, final Want want, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            final Recorder options = new Recorder();
            final long id = fixture.connector.connectServiceExtensionAbility(want, options);
            options.await(1);
            fixture.connector.disconnectServiceExtensionAbility(id).get(60, TimeUnit.SECONDS);
            assertEquals(List.of("onConnect", "onDisconnect"), options.await(2));
        }
    }

    @Test
    void aThousandConnectDisconnectCyclesLeaveNothingBehind() throws Exception
    {
        try (ExtensionFixture fixture = ExtensionFixture.start("ext-leak", "2in1"))
        {
            final Want want = want(SERVICE_BUNDLE, SEA);
            fixture.connector.startServiceExtensionAbility(want).get(60, TimeUnit.SECONDS);
            final JsonNode record = fixture.extensions().get(0);
            final long service = record.get("pid").asLong();
            final long self = ProcessHandle.current().pid();
            final long foundation = fixture.foundation.pid();
            cycles(fixture, want, WARM_UP);
            System.gc();
            final long[][] before = {resources(self), resources(foundation), resources(service)};

            final long start = System.nanoTime();
            cycles(fixture, want, CYCLES);
            System.out.printf("%d connect/disconnect cycles in %.1f s%n", CYCLES, (System.nanoTime() - start) / 1e9);
            System.gc();
            Thread.sleep(500);

            assertEquals(0, fixture.connector.liveConnections());
            assertEquals(0, fixture.connectionCount(), "no connection record in the ability manager");
            assertEquals(1, fixture.extensions().size());
            assertEquals(CYCLES + WARM_UP, fixture.events(SERVICE_BUNDLE).stream()
                .filter(line -> line.contains("onDisconnect")).count());
            final long[][] after = {resources(self), resources(foundation), resources(service)};
            final String[] names = {"client", "foundation", "service"};
            for (int i = 0; i < names.length; i++)
            {
                System.out.printf("%s: fds %d -> %d, threads %d -> %d%n", names[i], before[i][0], after[i][0],
                    before[i][1], after[i][1]);
                assertTrue(after[i][0] <= before[i][0] + SLACK, names[i] + " fds " + before[i][0] + " -> "
                    + after[i][0]);
                assertTrue(after[i][1] <= before[i][1] + SLACK, names[i] + " threads " + before[i][1] + " -> "
                    + after[i][1]);
            }
        }
    }
}
