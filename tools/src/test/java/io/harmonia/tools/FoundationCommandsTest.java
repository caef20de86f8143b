package io.harmonia.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.harmonia.tools.cli.ExitCode;

/** bm, aa and up as the user types them: usage errors (nothing sent), and a foundation that is not running. */
class FoundationCommandsTest
{
    private final CommandRunner harmonia = new CommandRunner();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "bm|harmonia bm|missing the action: one of install, uninstall, dump, list",
        "bm install|harmonia bm install|Missing required option: '--path=PATH'",
        "bm uninstall|harmonia bm uninstall|Missing required option: '--bundle-name=NAME'",
        "bm dump|harmonia bm dump|give exactly one of -n NAME and -a",
        "bm dump -a -n x|harmonia bm dump|give exactly one of -n NAME and -a",
        "aa|harmonia aa|missing the action: one of start, stop-service, connect, force-stop, dump, force-timeout",
        "aa stop-service -a A|harmonia aa stop-service|Missing required option: '--bundle=BUNDLE'",
        "aa connect -b com.example.app -a A --code x|harmonia aa connect|Invalid value for option '--code'",
        "aa connect -b com.example.app -a A --pi n one|harmonia aa connect|--pi n one: not an integer",
        "aa force-timeout|harmonia aa force-timeout|Missing required parameter: 'ABILITY'",
        "aa start -b com.example.app|harmonia aa start|Missing required option: '--ability=ABILITY'",
        "aa start -b com.example.app -a A --pi n one|harmonia aa start|--pi n one: not an integer",
        "aa start -b com.example.app -a A --pb n yes|harmonia aa start|--pb n yes: must be true or false",
        "aa start -b com.example.app -a A -d remote|harmonia aa start|--device remote: only this device (\"\") is supported",
        "aa force-stop|harmonia aa force-stop|Missing required parameter: 'BUNDLE'",
        "aa dump --foundation bad/name|harmonia aa dump|foundation instance 'bad/name': must be 1..64 characters of A-Z, a-z, 0-9, '.', '_', '-'",
        "up --state-dir|harmonia up|Missing required parameter for option '--state-dir' (DIR)",
    })
    void badUsageExits2AndSendsNothing(final String line, final String command, final String message)
    {
        assertEquals(ExitCode.USAGE, harmonia.run(line.split(" ")), harmonia.err());
        assertTrue(harmonia.err().startsWith(command + ": error: " + message), harmonia.err());
        assertTrue(harmonia.err().contains("Try '" + command + " --help' for more information."), harmonia.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bm list --foundation nobody-here|harmonia bm list|the bundle manager at @harmonia.nobody-here.bms cannot be reached",
        "bm install -p /tmp --foundation nobody-here|harmonia bm install|the bundle manager at @harmonia.nobody-here.bms cannot be reached",
        "aa dump --foundation nobody-here|harmonia aa dump|the ability manager at @harmonia.nobody-here.ams cannot be reached",
        "aa start -b com.example.app -a A --foundation nobody-here|harmonia aa start|the bundle manager at @harmonia.nobody-here.bms cannot be reached",
        "aa connect -b com.example.app -a A --foundation nobody-here|harmonia aa connect|the bundle manager at @harmonia.nobody-here.bms cannot be reached",
        "aa force-timeout A INITIAL --foundation nobody-here|harmonia aa force-timeout|the ability manager at @harmonia.nobody-here.ams cannot be reached",
    })
    void aFoundationThatIsNotRunningExits3(final String line, final String command, final String message)
    {
        assertEquals(ExitCode.UNAVAILABLE, harmonia.run(line.split(" ")), harmonia.err());
        assertTrue(harmonia.err().startsWith(command + ": error: " + message), harmonia.err());
        assertTrue(harmonia.err().strip().endsWith("(is foundation running? harmonia up)"), harmonia.err());
    }

    @Test
    void theCommandsAreListed()
    {
        assertEquals(0, harmonia.run("--help"));
        for (final String command : new String[] {"up", "bm", "aa", "appspawn"})
        {
            assertTrue(harmonia.out().contains("  " + command + " "), harmonia.out());
        }
    }
}
