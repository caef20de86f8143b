package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.bindings.Harmonia;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.cli.VersionProvider;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command tree as a whole: every command and subcommand (also those added later) answers --help on stdout
 * with exit 0 without doing its job, describes every option, and errors share one format and the documented
 * exit codes.
 */
class MainTest
{
    private final CommandRunner harmonia = new CommandRunner();

    /** Every command's path, e.g. ["aa", "start"], found by walking the tree (the root is the empty path). */
    private static List<List<String>> commandPaths()
    {
        final List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(new PrintStream(OutputStream.nullOutputStream()),
            new PrintStream(OutputStream.nullOutputStream())), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(final CommandLine command, final List<String> path, final List<List<String>> paths)
    {
        paths.add(List.copyOf(path));
        for (final Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet())
        {
            path.add(sub.getKey());
            collect(sub.getValue(), path, paths);
            path.remove(path.size() - 1);
        }
    }

    private static String[] with(final List<String> path, final String... more)
    {
        return Stream.concat(path.stream(), Stream.of(more)).toArray(String[]::new);
    }

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsItsHelpOnStdoutAndExits0()
    {
        return commandPaths().stream().map(path -> DynamicTest.dynamicTest("harmonia " + String.join(" ", path)
            + " --help", () ->
            {
                final long start = System.nanoTime();
                assertEquals(0, harmonia.run(with(path, "--help")), harmonia.err());
                // the help command has a one-line header above its usage
                assertTrue(harmonia.out().startsWith("Usage: harmonia" + (path.isEmpty() ? "" : " "
                    + String.join(" ", path))) || harmonia.out().contains("\nUsage: harmonia help"), harmonia.out());
                assertTrue(harmonia.out().contains("Exit codes:"), harmonia.out());
                assertEquals("", harmonia.err());
                // help must not run the command: the demo alone takes seconds and prints its report
                assertFalse(harmonia.out().contains("== Harmonia demo"), harmonia.out());
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "help took over 2 s: did the command run?");
            }));
    }

    @TestFactory
    Stream<DynamicTest> everyCommandDescribesItselfAndEveryOptionAndParameter()
    {
        final CommandLine root = Main.commandLine(new PrintStream(OutputStream.nullOutputStream()),
            new PrintStream(OutputStream.nullOutputStream()));
        return commandPaths().stream().map(path -> DynamicTest.dynamicTest("harmonia " + String.join(" ", path),
            () ->
            {
                CommandLine command = root;
                for (final String name : path)
                {
                    command = command.getSubcommands().get(name);
                }
                assertTrue(command.getCommandSpec().usageMessage().description().length > 0, "no description");
                for (final OptionSpec option : command.getCommandSpec().options())
                {
                    assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        option.longestName() + " has no description");
                }
                for (final PositionalParamSpec parameter : command.getCommandSpec().positionalParameters())
                {
                    assertTrue(parameter.description().length > 0 && !parameter.description()[0].isBlank(),
                        parameter.paramLabel() + " has no description");
                }
            }));
    }

    @Test
    void versionGoesToStdoutWithTheJvmAndExits0()
    {
        for (final String flag : List.of("--version", "-V"))
        {
            assertEquals(0, harmonia.run(flag));
            // the tools and the library share the project version (CMakeLists.txt and pom.xml)
            assertEquals("harmonia " + Harmonia.version() + System.lineSeparator() + "Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at "
                + System.getProperty("java.home") + System.lineSeparator(), harmonia.out());
            assertEquals("", harmonia.err());
        }
        assertEquals(0, harmonia.run("aa", "dump", "--version"));
        assertTrue(harmonia.out().startsWith("harmonia " + VersionProvider.toolsVersion()), harmonia.out());
    }

    @Test
    void helpSubcommandShowsASubcommandsHelp()
    {
        assertEquals(0, harmonia.run("help", "aa"));
        assertTrue(harmonia.out().startsWith("Usage: harmonia aa"), harmonia.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|harmonia|missing the command: one of help, demo, info, up, bm, aa, appspawn, samgr, idl, bench",
        "fly|harmonia|Unmatched argument at index 0: 'fly'",
        "--fly|harmonia|Unknown option: '--fly'",
        "aa|harmonia aa|missing the action: one of start, stop-service, connect, force-stop, dump, force-timeout",
        "aa stat|harmonia aa|Unmatched argument at index 1: 'stat'",
        "demo extra|harmonia demo|Unmatched argument at index 1: 'extra'",
        "info --jsn|harmonia info|Unknown option: '--jsn'",
    })
    void usageErrorsShareOneFormatAndExit2(final String line, final String command, final String message)
    {
        assertEquals(ExitCode.USAGE, harmonia.run(line.isEmpty() ? new String[0] : line.split(" ")));
        final String[] lines = harmonia.err().split(System.lineSeparator());
        assertEquals(command + ": error: " + message, lines[0], harmonia.err());
        assertEquals("Try '" + command + " --help' for more information.", lines[lines.length - 1], harmonia.err());
        assertEquals("", harmonia.out());
    }

    @Test
    void aMistypedCommandGetsASuggestion()
    {
        assertEquals(ExitCode.USAGE, harmonia.run("aa", "dunp"));
        assertTrue(harmonia.err().contains("Did you mean: aa dump?"), harmonia.err());
    }

    @Test
    void infoPrintsTheLibraryAndTheJvmAsTextAndAsJson() throws Exception
    {
        assertEquals(0, harmonia.run("info"), harmonia.err());
        assertTrue(harmonia.out().contains("libharmonia " + Harmonia.version() + " (" + Harmonia.arch()),
            harmonia.out());
        assertTrue(harmonia.out().contains("Java " + System.getProperty("java.version")), harmonia.out());

        assertEquals(0, harmonia.run("info", "--json"), harmonia.err());
        final JsonNode info = new ObjectMapper().readTree(harmonia.out());
        assertEquals(Harmonia.version(), info.get("libraryVersion").asText());
        assertEquals(Harmonia.arch(), info.get("arch").asText());
        assertTrue(info.get("features").isArray() && info.get("features").size() > 0, info.toString());
        assertEquals(System.getProperty("java.home"), info.get("javaHome").asText());
        assertEquals(ProcessHandle.current().pid(), info.get("pid").asLong());
    }
}
