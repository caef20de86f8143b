package io.harmonia.tools.bench;

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
 * {@code harmonia bench report RUN.json}: draws the report of a run again, for instance one the C
 * {@code harmonia-bench} took on a board without a JVM.
 */
@Command(name = "report", description = "Write the HTML report and PNG plots of a run from its JSON (also one of "
    + "the C harmonia-bench, taken on a board without a JVM).")
final class BenchReportCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN.json", description = "The run: bench.json of harmonia bench or the output of "
        + "harmonia-bench --json.")
    private Path source;

    @Option(names = "--out", paramLabel = "DIR", description = "Where report.html and the plots go (default: the "
        + "folder of RUN.json).")
    private Path out;

    @Override
    public Integer call()
    {
        final BenchRun run = readRun(source);
        System.setProperty("java.awt.headless", "true");
        final Path directory = null != out ? out : source.toAbsolutePath().getParent();
        final Path page = HtmlReport.write(run, directory);
        spec.commandLine().getOut().println("report: " + page);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /**
     * Reads a run, turning a bad file into the command's failure.
     *
     * @param file the JSON file.
     * @return the run.
     */
    static BenchRun readRun(final Path file)
    {
        try
        {
            return BenchJson.read(file);
        }
        catch (final IllegalArgumentException ex)
        {
            throw CommandFailure.failed(ex.getMessage());
        }
    }
}
