package io.harmonia.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NativeExecutablesTest
{
    @AfterEach
    void clearProperty()
    {
        System.clearProperty(NativeExecutables.DIRECTORY_PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {NativeExecutables.APPSPAWN, NativeExecutables.APP_LAUNCHER,
        NativeExecutables.EXAMPLE_APP, NativeExecutables.ONESHOT_APP})
    void shouldFindEveryBundledFileReadyToRun(final String name) throws IOException
    {
        final Path path = NativeExecutables.locate(name);
        assertTrue(path.isAbsolute(), path.toString());
        assertEquals(name, path.getFileName().toString());
        assertTrue(Files.isRegularFile(path) && Files.isExecutable(path), path + " is not an executable file");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
        final byte[] elf = {0x7f, 'E', 'L', 'F'};
        final byte[] head = new byte[4];
        System.arraycopy(Files.readAllBytes(path), 0, head, 0, 4);
        assertEquals(new String(elf, java.nio.charset.StandardCharsets.ISO_8859_1),
            new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(path, NativeExecutables.locate(name), "copied once per JVM");
    }

    @Test
    void shouldUseAnExplicitDirectoryAsItIs(@TempDir final Path directory) throws IOException
    {
        final Path daemon = Files.writeString(directory.resolve(NativeExecutables.APPSPAWN), "stand-in");
        System.setProperty(NativeExecutables.DIRECTORY_PROPERTY, directory.toString());
        assertEquals(daemon.toAbsolutePath(), NativeExecutables.locate(NativeExecutables.APPSPAWN));
        final NativeLibraryError error = assertThrows(NativeLibraryError.class,
            () -> NativeExecutables.locate(NativeExecutables.APP_LAUNCHER));
        assertTrue(error.getMessage().contains(NativeExecutables.DIRECTORY_PROPERTY + "=" + directory),
            error.getMessage());
        assertTrue(error.getMessage().contains("holds no harmonia-app-launcher"), error.getMessage());
    }

    @Test
    void shouldNameTheMissingFileAndTheFix()
    {
        final NativeLibraryError error = assertThrows(NativeLibraryError.class,
            () -> NativeExecutables.locate("no-such-program"));
        assertTrue(error.getMessage().contains("no no-such-program for " + NativeLibrary.platformFolder()),
            error.getMessage());
        assertTrue(error.getMessage().contains("-D" + NativeExecutables.DIRECTORY_PROPERTY), error.getMessage());
    }
}
