package io.harmonia.tools;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import io.harmonia.services.samgr.SamgrServerMain;
import io.harmonia.tools.cli.ErrorReporter;

import picocli.CommandLine;

/**
 * Entry point of the tools jar: {@code java -jar harmonia-tools.jar <command> [options]}, which the
 * {@code harmonia} entry script runs with the JDK the build used. The commands are {@link HarmoniaCommand}'s
 * subcommands; help and version go to stdout with exit 0, errors to stderr in {@link ErrorReporter}'s format.
 */
public final class Main
{
    private Main()
    {
    }

    /**
     * The command tree wired to the given streams.
     *
     * @param out where results, help and version go.
     * @param err where errors go.
     * @return a command line ready to {@link CommandLine#execute execute}.
     */
    static CommandLine commandLine(final PrintStream out, final PrintStream err)
    {
        final ErrorReporter errors = new ErrorReporter();
        final CommandLine harmonia = new CommandLine(new HarmoniaCommand());
        // The samgr server's own command (harmonia-samgr in the services module) under the name "serve".
        final CommandLine serve = new CommandLine(new SamgrServerMain());
        serve.getCommandSpec().name("serve");
        harmonia.getSubcommands().get("samgr").addSubcommand("serve", serve);
        return harmonia
            .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
            .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
            // `harmonia bench --out report` names a folder, not the `bench report` subcommand.
            .setAllowSubcommandsAsOptionParameters(true)
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors);
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return commandLine(out, err).execute(args);
    }

    /**
     * Entry point.
     *
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }
}
