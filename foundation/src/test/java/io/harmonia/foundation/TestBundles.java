package io.harmonia.foundation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds test bundles: a folder with a module.json5 and libs/app.jar holding the classes of
 * io.harmonia.foundation.testapp (compiled with the tests: UIAbilities, service extensions, a client), in a folder
 * every uid can read.
 */
public final class TestBundles
{
    /** The package every test bundle carries (its classes, nested ones included). */
    public static final String APP_PACKAGE = "io/harmonia/foundation/testapp/";

    private TestBundles()
    {
    }

    /** A manifest with two UIAbilities (EntryAbility, SecondAbility) and a throwing one, version 1. */
    public static String manifest(final String bundleName, final int versionCode)
    {
        return """
            {
              // a test bundle
              app: { bundleName: '%s', versionCode: %d, versionName: '%d.0', appIdentifier: 'id-%s', },
              module: {
                name: 'entry', type: 'entry', mainElement: 'EntryAbility',
                abilities: [
                  { name: 'EntryAbility', srcEntry: 'io.harmonia.foundation.testapp.EntryAbility', exported: true },
                  { name: 'SecondAbility', srcEntry: './java/io/harmonia/foundation/testapp/SecondAbility.java' },
                  { name: 'ThrowingAbility', srcEntry: 'io.harmonia.foundation.testapp.ThrowingAbility' },
                ],
              },
            }
            """.formatted(bundleName, versionCode, versionCode, bundleName);
    }

    /**
     * Writes a bundle folder.
     *
     * @param folder   where (created, mode 0755).
     * @param manifest the module.json5 text, or null for none.
     * @param withJar  whether libs/app.jar is written.
     * @return the folder.
     * @throws IOException when it cannot be written.
     */
    public static Path folder(final Path folder, final String manifest, final boolean withJar) throws IOException
    {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (null != manifest)
        {
            Files.writeString(folder.resolve("module.json5"), manifest, StandardCharsets.UTF_8);
        }
        Files.createDirectories(folder.resolve("resources/base"));
        Files.writeString(folder.resolve("resources/base/string.json"), "{\"app_name\": \"test\"}");
        if (withJar)
        {
            Files.createDirectories(folder.resolve("libs"));
            jar(folder.resolve("libs/app.jar"));
        }
        return folder;
    }

    /**
     * Writes the test app's jar.
     *
     * @param jar the file.
     * @throws IOException when it cannot be written.
     */
    public static void jar(final Path jar) throws IOException
    {
        final Path classes = Path.of(TestBundles.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        final List<Path> members;
        try (var listing = Files.list(classes.resolve(APP_PACKAGE)))
        {
            members = listing.filter(path -> path.getFileName().toString().endsWith(".class")).sorted().toList();
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            for (final Path member : members)
            {
                out.putNextEntry(new JarEntry(APP_PACKAGE + member.getFileName()));
                Files.copy(member, out);
                out.closeEntry();
            }
        }
    }

    /**
     * Packs a bundle folder into an archive (zip), with extra raw entries.
     *
     * @param folder  the bundle folder.
     * @param archive the zip file.
     * @param extra   entry names to add (each with a few bytes), e.g. "../escape".
     * @throws IOException when it cannot be written.
     */
    public static void archive(final Path folder, final Path archive, final String... extra) throws IOException
    {
        try (OutputStream file = Files.newOutputStream(archive); ZipOutputStream out = new ZipOutputStream(file);
            var paths = Files.walk(folder))
        {
            for (final Path path : paths.filter(Files::isRegularFile).sorted().toList())
            {
                out.putNextEntry(new ZipEntry(folder.relativize(path).toString()));
                Files.copy(path, out);
                out.closeEntry();
            }
            for (final String name : extra)
            {
                out.putNextEntry(new ZipEntry(name));
                out.write(new byte[] {1, 2, 3});
                out.closeEntry();
            }
        }
    }
}
