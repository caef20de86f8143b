package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.bindings.posix.Posix;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.demo.SamgrIpcDemo;
import io.harmonia.tools.demo.example.DemoApi;
import io.harmonia.tools.demo.example.ExampleProviderMain;

/** {@code harmonia samgr list|dump} against a samgr server process with the example's provider registered. */
@Timeout(120)
class SamgrCommandTest
{
    private static final String ADDRESS = "@harmonia-tools-samgr-cli-" + ProcessHandle.current().pid();
    private static Process server;
    private static Process provider;

    @BeforeAll
    static void start() throws IOException
    {
        server = SamgrIpcDemo.start(SamgrServerMain.class, "--address", ADDRESS, "--exit-with-stdin",
            "--policy", "example=range:0-999");
        provider = SamgrIpcDemo.start(ExampleProviderMain.class, ADDRESS);
        // One lookup and one call, so the dump has a client and a call count to show.
        try (Samgr samgr = Samgr.create(); SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, ADDRESS))
        {
            final IClientProxy proxy = endpoint.lookup(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE, 5000)
                .queryInterface(IClientProxy.CLIENT_PROXY_VERSION, IClientProxy.class);
            assertEquals(0, proxy.invoke(DemoApi.ID_ASYNCCALLBACK, null, null, (owner, code, reply) -> 0));
            proxy.release();
        }
    }

    @AfterAll
    static void stop()
    {
        provider.destroyForcibly();
        server.destroyForcibly();
    }

    @Test
    void listShowsEveryEntryWithItsProviderAndPolicy()
    {
        final CommandRunner harmonia = new CommandRunner();
        assertEquals(ExitCode.OK, harmonia.run("samgr", "list", "--address", ADDRESS), harmonia.err());
        final String[] lines = harmonia.out().split("\n");
        assertTrue(lines[0].matches("KIND +KEY +PID +UID +LOOKUPS +POLICY"), lines[0]);
        assertTrue(harmonia.out().contains("feature  example/exampleFeature"), harmonia.out());
        assertTrue(harmonia.out().matches("(?s).*feature +example +" + provider.pid() + " +" + Posix.uid()
            + " +0 +range:0-999\n.*"), "the server's configured rule for 'example': " + harmonia.out());
    }

    @Test
    void dumpDescribesOneEntryAsTextAndAsJson() throws IOException
    {
        final CommandRunner harmonia = new CommandRunner();
        assertEquals(ExitCode.OK, harmonia.run("samgr", "dump", "example/exampleFeature", "--address", ADDRESS),
            harmonia.err());
        final String text = harmonia.out();
        assertTrue(text.startsWith("feature example/exampleFeature\n"), text);
        assertTrue(text.contains("  provider     pid " + provider.pid() + ", uid " + Posix.uid()), text);
        assertTrue(text.contains("  policy       all"), text);
        assertTrue(text.contains("  lookups      1 (refused: 0)"), text);
        assertTrue(text.matches("(?s).*  calls        [1-9][0-9]*\n.*"), text);
        assertTrue(text.contains("  pid " + ProcessHandle.current().pid()), "this process looked it up: " + text);

        assertEquals(ExitCode.OK, harmonia.run("samgr", "dump", "example/exampleFeature", "--json", "--address",
            ADDRESS), harmonia.err());
        final JsonNode json = new ObjectMapper().readTree(harmonia.out());
        assertEquals("example/exampleFeature", json.get("key").asText());
        assertEquals("feature", json.get("kind").asText());
        assertEquals(provider.pid(), json.get("providerPid").asLong());
        assertEquals("all", json.get("policies").get(0).asText());
        assertTrue(json.get("calls").asLong() >= 1, harmonia.out());
        assertEquals(ProcessHandle.current().pid(), json.get("clients").get(0).get("pid").asLong());
    }

    @Test
    void unknownKeysMalformedKeysAndAnAbsentServerHaveTheirExitCodes()
    {
        final CommandRunner harmonia = new CommandRunner();
        assertEquals(ExitCode.FAILED, harmonia.run("samgr", "dump", "12345", "--address", ADDRESS));
        assertTrue(harmonia.err().contains("nothing is registered under 12345"), harmonia.err());
        assertEquals(ExitCode.USAGE, harmonia.run("samgr", "dump", "example/sixteen-bytes-xx", "--address", ADDRESS));
        assertTrue(harmonia.err().contains("feature name \"sixteen-bytes-xx\" is 16 bytes"), harmonia.err());
        assertEquals(ExitCode.UNAVAILABLE, harmonia.run("samgr", "list", "--address", ADDRESS + "-nobody"));
        assertTrue(harmonia.err().contains("cannot reach the samgr server at " + ADDRESS + "-nobody"), harmonia.err());
    }

    @Test
    void serveRunsTheServerInItsOwnProcess() throws IOException
    {
        final CommandRunner harmonia = new CommandRunner();
        assertEquals(ExitCode.OK, harmonia.run("samgr", "serve", "--help"), harmonia.err());
        assertTrue(harmonia.out().contains("--max-system-uid=UID"), harmonia.out());
        final String address = ADDRESS + "-served";
        final Process served = SamgrIpcDemo.start(Main.class, "samgr", "serve", "--address", address,
            "--exit-with-stdin");
        try
        {
            assertEquals(ExitCode.OK, harmonia.run("samgr", "list", "--address", address), harmonia.err());
            assertEquals(1, harmonia.out().split("\n").length, "an empty registry: " + harmonia.out());
        }
        finally
        {
            served.destroyForcibly();
        }
    }
}
