package io.harmonia.idl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the module's test inputs are. */
final class TestFiles
{
    static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    /** The IDL inputs of the golden files. */
    static final Path IDL = MODULE.resolve("src/test/resources/idl");
    /** The committed outputs (compiled with the tests). */
    static final Path GOLDEN = MODULE.resolve("src/test/golden");

    private TestFiles()
    {
    }

    static List<Path> idlFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(IDL))
        {
            return files.filter(file -> file.toString().endsWith(".idl")).sorted().toList();
        }
    }

    static String read(final Path file) throws IOException
    {
        return Files.readString(file);
    }
}
