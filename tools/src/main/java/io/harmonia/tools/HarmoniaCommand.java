package io.harmonia.tools;

import io.harmonia.idl.IdlCommand;
import io.harmonia.tools.bench.BenchCommand;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.cli.VersionProvider;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia}: the one command-line tool, with a subcommand per job. A new tool is a picocli command class
 * added to {@code subcommands} below; it inherits {@code --help}, {@code --version}, the exit-code list and the
 * error format ({@link io.harmonia.tools.cli.ErrorReporter}), and takes {@link io.harmonia.tools.cli.JsonOption}
 * as a mixin when its output is data.
 */
@Command(name = "harmonia",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "OpenHarmony-style system services for Linux: the demo and the command-line tools.",
    subcommands = {HelpCommand.class, Demo.class, InfoCommand.class, UpCommand.class, BmCommand.class, AaCommand.class,
        AppSpawnCommand.class, SamgrCommand.class, IdlCommand.class, BenchCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        ExitCode.OK + ":success",
        ExitCode.FAILED + ":the service refused the request or a step failed",
        ExitCode.USAGE + ":bad usage (unknown command or option, missing or malformed value); nothing was done",
        ExitCode.UNAVAILABLE + ":the service could not be reached (not running, or its socket refused this user)",
        ExitCode.INTERNAL + ":internal error (a bug: please report the message and the stack trace)",
    })
final class HarmoniaCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "missing the command: one of "
            + String.join(", ", spec.subcommands().keySet()));
    }
}
