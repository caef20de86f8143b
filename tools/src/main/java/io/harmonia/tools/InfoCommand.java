package io.harmonia.tools;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import io.harmonia.bindings.Feature;
import io.harmonia.bindings.NativeLibraryError;
import io.harmonia.runtime.RuntimeInfo;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.cli.JsonOption;
import io.harmonia.tools.cli.VersionProvider;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia info}: what this installation runs on (tools version, the loaded libharmonia with its
 * features, the JVM, this process's identity), for bug reports and for checking an installation.
 */
@Command(name = "info", description = "Show the tools' version, the libharmonia they load (architecture and "
    + "features), the JVM and this process's identity.")
final class InfoCommand implements Callable<Integer>
{
    /**
     * The data {@code --json} prints.
     *
     * @param tools          the tools' version.
     * @param libraryVersion the loaded libharmonia's version.
     * @param arch           the architecture it was built for.
     * @param features       its feature names, as C spells them.
     * @param javaVersion    the JVM's version.
     * @param javaHome       the JVM's home.
     * @param pid            this process.
     * @param uid            its real uid.
     * @param userName       that user's name.
     * @param gid            its real gid.
     */
    record Info(String tools, String libraryVersion, String arch, List<String> features, String javaVersion,
        String javaHome, long pid, int uid, String userName, int gid)
    {
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call()
    {
        final RuntimeInfo runtime;
        try
        {
            runtime = RuntimeInfo.current();
        }
        catch (final NativeLibraryError ex)
        {
            throw CommandFailure.failed("cannot load libharmonia: " + ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json.enabled())
        {
            JsonOption.print(out, new Info(VersionProvider.toolsVersion(), runtime.libraryVersion(), runtime.arch(),
                runtime.features().stream().map(Feature::cName).sorted().toList(), System.getProperty("java.version"),
                System.getProperty("java.home"), runtime.pid(), runtime.uid(), runtime.userName(), runtime.gid()));
        }
        else
        {
            out.println("harmonia " + VersionProvider.toolsVersion());
            out.println(runtime.describe());
            out.println(VersionProvider.javaDescription());
        }
        return ExitCode.OK;
    }
}
