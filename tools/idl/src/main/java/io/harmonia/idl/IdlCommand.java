package io.harmonia.idl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia idl -d <outdir> <file.idl>...}: compiles OpenHarmony IDL files into Java sources for
 * {@code io.harmonia.rpc} (an interface, a proxy and a stub per file). Exit status 0 when every file compiled and
 * was written, 1 for an error in a file (printed as {@code file:line:column: error: ...}; nothing is written), 2
 * for bad usage. A standalone picocli command, meant to be mounted as the {@code idl} subcommand of the
 * {@code harmonia} CLI.
 */
@Command(name = "idl", mixinStandardHelpOptions = false, sortOptions = false,
    description = {
        "Compiles OpenHarmony IDL files into Java: for interface OHOS.IFoo, the interface ohos.IFoo, the proxy",
        "ohos.FooProxy and the abstract stub ohos.FooStub, for the io.harmonia.rpc API.",
        "Supported: package, sequenceable and interface declarations, [oneway] interfaces and methods,",
        "[in]/[out]/[inout] parameters of boolean, byte, short, int, long, float, double, String, T[],",
        "List<T>, Map<K, V>, sequenceables and interfaces. See docs/idl.md."},
    exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class IdlCommand implements Callable<Integer>
{
    @Option(names = {"-d", "--out"}, paramLabel = "<outdir>", required = true,
        description = "Where the .java files go (in folders of their packages); created when missing.")
    private Path outDir;

    @Parameters(arity = "1..*", paramLabel = "<file.idl>", description = "The IDL files, one interface each.")
    private List<Path> files;

    @Option(names = {"-v", "--verbose"}, description = "Print each Java file written.")
    private boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            final List<Path> written = IdlCompiler.compileTo(files, outDir);
            if (verbose)
            {
                written.forEach(out::println);
            }
            out.flush();
            return 0;
        }
        catch (final IdlException failure)
        {
            err.println(failure.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * Runs the command.
     *
     * @param args the arguments.
     * @return the exit status.
     */
    public static int run(final String... args)
    {
        return new CommandLine(new IdlCommand()).execute(args);
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }
}
