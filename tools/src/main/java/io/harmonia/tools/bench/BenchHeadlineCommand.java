package io.harmonia.tools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.ExitCode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia bench headline RUN.json --into bench/RESULTS.md}: regenerates the headline section of the results
 * file from a run ({@link HeadlineSection}).
 */
@Command(name = "headline", description = "Regenerate the headline section of a results file (bench/RESULTS.md) "
    + "from a run's JSON: the figures table between its marker comments, and the plots with a copy of the JSON in "
    + "results/ beside the file. The rest of the file is left as it is.")
final class BenchHeadlineCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN.json", description = "The run (bench.json of a full harmonia bench run).")
    private Path source;

    @Option(names = "--into", paramLabel = "FILE", required = true,
        description = "The Markdown file whose headline section is replaced (bench/RESULTS.md).")
    private Path markdown;

    @Override
    public Integer call()
    {
        final BenchRun run = BenchReportCommand.readRun(source);
        if (!Files.isRegularFile(markdown))
        {
            throw CommandFailure.failed(markdown + ": no such file");
        }
        System.setProperty("java.awt.headless", "true");
        HeadlineSection.update(run, source, markdown);
        spec.commandLine().getOut().println("updated " + markdown + " and "
            + markdown.toAbsolutePath().getParent().resolve(HeadlineSection.RESULTS_DIRECTORY));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
