package io.harmonia.idl.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import io.harmonia.idl.IdlCompiler;
import io.harmonia.idl.IdlException;

/**
 * {@code harmonia-idl:generate-sources}: compiles every {@code .idl} file under {@code src/main/idl} (and its
 * folders) into Java sources under {@code target/generated-sources/idl}, and adds that folder as a source root,
 * so {@code mvn compile} compiles them with the project's own code. An error in an IDL file fails the build with
 * {@code file:line:column: error: ...}. Generated files whose IDL file is gone are deleted; files whose content
 * did not change are not rewritten, so the compiler's incremental build keeps working.
 */
@Mojo(name = "generate-sources", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateSourcesMojo extends AbstractMojo
{
    /** Where the IDL files are. */
    @Parameter(property = "harmonia.idl.sourceDirectory", defaultValue = "${project.basedir}/src/main/idl")
    private File sourceDirectory;

    /** Where the Java sources go; the plugin owns this folder. */
    @Parameter(property = "harmonia.idl.outputDirectory",
        defaultValue = "${project.build.directory}/generated-sources/idl")
    private File outputDirectory;

    /** Skips the goal. */
    @Parameter(property = "harmonia.idl.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException
    {
        if (skip)
        {
            getLog().info("Skipped (harmonia.idl.skip)");
            return;
        }
        final Path sources = sourceDirectory.toPath();
        final Path output = outputDirectory.toPath();
        final List<Path> files = idlFiles(sources);
        if (files.isEmpty())
        {
            getLog().info("No IDL files in " + sources);
            return;
        }
        final List<Path> written;
        try
        {
            written = IdlCompiler.compileTo(files, output);
        }
        catch (final IdlException failure)
        {
            getLog().error(failure.getMessage());
            throw new MojoFailureException(failure.getMessage(), failure);
        }
        deleteStale(output, written);
        project.addCompileSourceRoot(output.toString());
        getLog().info("Compiled " + files.size() + " IDL file(s) into " + written.size() + " Java file(s) in " + output);
    }

    private static List<Path> idlFiles(final Path sources) throws MojoExecutionException
    {
        if (!Files.isDirectory(sources))
        {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(sources))
        {
            return walk.filter(file -> Files.isRegularFile(file) && file.getFileName().toString().endsWith(".idl"))
                .sorted()
                .toList();
        }
        catch (final IOException failure)
        {
            throw new MojoExecutionException("cannot list the IDL files in " + sources + ": " + failure, failure);
        }
    }

    /** Deletes Java files this goal wrote before and not now (their IDL file was removed or renamed). */
    private void deleteStale(final Path output, final List<Path> written) throws MojoExecutionException
    {
        final Set<Path> current = new HashSet<>();
        written.forEach(file -> current.add(file.toAbsolutePath().normalize()));
        try (Stream<Path> walk = Files.walk(output))
        {
            for (final Path file : walk.sorted(Comparator.reverseOrder()).toList())
            {
                final boolean staleSource = Files.isRegularFile(file) && file.toString().endsWith(".java") &&
                    !current.contains(file.toAbsolutePath().normalize());
                final boolean emptyFolder = Files.isDirectory(file) && !file.equals(output) && isEmpty(file);
                if (staleSource || emptyFolder)
                {
                    Files.delete(file);
                    getLog().debug("Deleted " + file);
                }
            }
        }
        catch (final IOException failure)
        {
            throw new MojoExecutionException("cannot clean " + output + ": " + failure, failure);
        }
    }

    private static boolean isEmpty(final Path folder) throws IOException
    {
        try (Stream<Path> entries = Files.list(folder))
        {
            return entries.findAny().isEmpty();
        }
    }
}
