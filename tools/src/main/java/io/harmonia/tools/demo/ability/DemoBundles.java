package io.harmonia.tools.demo.ability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The demo's two bundles, written as bundle folders (module.json5, libs/demo.jar with the classes of this package,
 * taken from the tools' own class path: a folder in a build, the tools jar when run from it): the service bundle
 * {@value #SERVICE_BUNDLE} with its ServiceExtensionAbility {@value #SERVICE_ABILITY} (a system app with the
 * AllowAppUsePrivilegeExtension privilege, which {@link #installList} grants), and the third-party client bundle
 * {@value #CLIENT_BUNDLE} with its UIAbility {@value #CLIENT_ABILITY}. Folders and files are readable by every uid.
 */
public final class DemoBundles
{
    /** The service bundle. */
    public static final String SERVICE_BUNDLE = "com.harmonia.demo.service";
    /** Its ServiceExtensionAbility. */
    public static final String SERVICE_ABILITY = "EchoService";
    /** The client bundle. */
    public static final String CLIENT_BUNDLE = "com.harmonia.demo.client";
    /** Its UIAbility. */
    public static final String CLIENT_ABILITY = "ClientAbility";

    private static final String PACKAGE = DemoBundles.class.getPackageName().replace('.', '/') + "/";

    private DemoBundles()
    {
    }

    /**
     * Writes the install list that makes the service bundle a system app with the privilege.
     *
     * @param file the list.
     * @throws IOException when it cannot be written.
     */
    public static void installList(final Path file) throws IOException
    {
        Files.writeString(file, "{ install_list: [ { bundleName: '" + SERVICE_BUNDLE + "', systemApp: true, "
            + "apl: 'system_basic', allowAppUsePrivilegeExtension: true } ] }\n", StandardCharsets.UTF_8);
    }

    /**
     * Writes the service bundle's folder.
     *
     * @param folder where.
     * @return the folder.
     * @throws IOException when it cannot be written.
     */
    public static Path service(final Path folder) throws IOException
    {
        return bundle(folder, """
            {
              app: { bundleName: '%s', versionCode: 1, versionName: '1.0', vendor: 'harmonia demo' },
              module: {
                name: 'entry', type: 'entry', deviceTypes: ['2in1'],
                extensionAbilities: [
                  { name: '%s', type: 'service', exported: true, description: 'echoes and says who calls',
                    srcEntry: '%s' },
                ],
              },
            }
            """.formatted(SERVICE_BUNDLE, SERVICE_ABILITY, EchoServiceExtension.class.getName()));
    }

    /**
     * Writes the client bundle's folder.
     *
     * @param folder where.
     * @return the folder.
     * @throws IOException when it cannot be written.
     */
    public static Path client(final Path folder) throws IOException
    {
        return bundle(folder, """
            {
              app: { bundleName: '%s', versionCode: 1, versionName: '1.0', vendor: 'harmonia demo' },
              module: {
                name: 'entry', type: 'entry', mainElement: '%s', deviceTypes: ['2in1'],
                abilities: [ { name: '%s', exported: true, srcEntry: '%s' } ],
              },
            }
            """.formatted(CLIENT_BUNDLE, CLIENT_ABILITY, CLIENT_ABILITY, DemoClientAbility.class.getName()));
    }

    private static Path bundle(final Path folder, final String manifest) throws IOException
    {
        Files.createDirectories(folder.resolve("libs"));
        for (final Path each : List.of(folder, folder.resolve("libs")))
        {
            Files.setPosixFilePermissions(each, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(folder.resolve("module.json5"), manifest, StandardCharsets.UTF_8);
        final Path jar = folder.resolve("libs/demo.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file))
        {
            for (final String name : classes())
            {
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = DemoBundles.class.getClassLoader().getResourceAsStream(name))
                {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        for (final Path each : List.of(folder.resolve("module.json5"), jar))
        {
            Files.setPosixFilePermissions(each, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return folder;
    }

    /** The class files of this package, from the folder or jar the tools run from. */
    private static List<String> classes() throws IOException
    {
        final Path source;
        try
        {
            source = Path.of(DemoBundles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final URISyntaxException impossible)
        {
            throw new IOException(impossible);
        }
        final List<String> names = new ArrayList<>();
        if (Files.isDirectory(source))
        {
            try (Stream<Path> files = Files.list(source.resolve(PACKAGE)))
            {
                files.map(path -> PACKAGE + path.getFileName()).filter(name -> name.endsWith(".class"))
                    .forEach(names::add);
            }
        }
        else
        {
            try (JarFile jar = new JarFile(source.toFile()))
            {
                for (final Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();)
                {
                    final String name = entries.nextElement().getName();
                    if (name.startsWith(PACKAGE) && name.endsWith(".class") && name.indexOf('/', PACKAGE.length()) < 0)
                    {
                        names.add(name);
                    }
                }
            }
        }
        names.sort(null);
        return names;
    }
}
