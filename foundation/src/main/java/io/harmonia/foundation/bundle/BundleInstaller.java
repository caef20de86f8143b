package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.harmonia.bundle.BundleErrors;
import io.harmonia.foundation.StateLayout;
import io.harmonia.foundation.launch.AotCacheBuilder;
import io.harmonia.foundation.launch.AppEnvironment;
import io.harmonia.foundation.launch.AppPlatform;
import io.harmonia.foundation.launch.LaunchPlan;

/**
 * The steps of one install or update, in the order that makes it atomic:
 * <ol>
 *   <li><b>check</b> everything, changing nothing: unpack an archive into the staging area, read the manifest,
 *       the files and the jars ({@link BundleScanner}), the version against the installed one, the privileges the
 *       install list grants against what the manifest declares;</li>
 *   <li><b>prepare</b> what nothing refers to yet: a new code folder {@code code/<bundle>/<random id>} with the
 *       files, the launcher library, the launch file and the AOT cache; for a new bundle its data folders;</li>
 *   <li><b>commit</b>: the database file is replaced atomically ({@link BundleDatabase#commit});</li>
 *   <li><b>clean up</b>: an update's old code folder is removed.</li>
 * </ol>
 * A failure before the commit removes what step 2 made. A process killed before the commit leaves folders the
 * database does not name; {@link #recover} removes them when foundation starts again, so an interrupted install
 * leaves no trace. Not thread-safe: the bundle manager runs one change at a time.
 */
final class BundleInstaller
{
    private static final String SERVICE = "service";
    private static final String APP_SERVICE = "appService";
    /** The ACL permission an AppServiceExtensionAbility needs. */
    static final String SUPPORT_APP_SERVICE_EXTENSION = "ohos.permission.SUPPORT_APP_SERVICE_EXTENSION";
    private static final List<String> DATA_FOLDERS = List.of("cache", "files", "temp", "preferences", "haps");

    private final StateLayout layout;
    private final BundleDatabase database;
    private final Path installList;
    private final boolean makeAotCache;
    private final SecureRandom random = new SecureRandom();

    BundleInstaller(final StateLayout layout, final BundleDatabase database, final Path installList,
        final boolean makeAotCache)
    {
        this.layout = layout;
        this.database = database;
        this.installList = installList;
        this.makeAotCache = makeAotCache;
    }

    /** Makes a bundle's AOT cache, or says why there is none. */
    AotCacheBuilder.Result aotCache(final LaunchPlan plan, final Path codeDir, final int uid,
        final ModuleManifest manifest)
    {
        if (!makeAotCache)
        {
            return new AotCacheBuilder.Result(null, "AOT caches are turned off (--no-aot-cache)");
        }
        return AotCacheBuilder.build(plan, codeDir, uid, uid, manifest.module().entryClasses());
    }

    /** Installs or updates; returns the committed record and the one it replaced (or null). */
    BundleRecord[] install(final Path source, final AppPlatform platform, final AppEnvironment environment)
        throws BundleException
    {
        final Path staging = layout.staging().resolve(HexFormat.of().formatHex(randomBytes()));
        Path codeDir = null;
        final List<Path> createdData = new ArrayList<>();
        try
        {
            final BundleScanner.Contents contents = scan(source, staging);
            final ModuleManifest manifest = contents.manifest();
            final String bundleName = manifest.app().bundleName();
            final Optional<BundleRecord> existing = database.get(bundleName);
            if (existing.isPresent() && manifest.app().versionCode() < existing.get().versionCode())
            {
                throw new BundleException(BundleErrors.VERSION_DOWNGRADE, bundleName + ": versionCode "
                    + manifest.app().versionCode() + " is lower than the installed " + existing.get().versionCode(),
                    null);
            }
            final InstallList.Entry privileges = privileges(bundleName);
            checkPrivileges(manifest, privileges);

            final int userId = BundleDatabase.DEFAULT_USER_ID;
            final int bundleId = existing.map(BundleRecord::bundleId).orElseGet(database::nextBundleId);
            final int uid = BundleDatabase.uidOf(userId, bundleId);
            final int token = existing.map(BundleRecord::accessTokenId).orElseGet(database::nextAccessTokenId);
            final Path dataDir = layout.data("el2", userId, bundleName);
            if (existing.isEmpty())
            {
                createdData.addAll(createDataFolders(userId, bundleName, uid));
            }
            codeDir = FileTrees.folder(layout.code().resolve(bundleName), "rwxr-xr-x")
                .resolve(HexFormat.of().formatHex(randomBytes()));
            FileTrees.folder(codeDir, "rwxr-xr-x");
            copy(contents, codeDir);
            final Path installed = codeDir;
            final List<Path> jars = contents.jars().stream().map(jar -> installed.resolve(jar.toString())).toList();
            final LaunchPlan plan = new LaunchPlan(platform, jars, dataDir);
            Files.copy(platform.launcher(), codeDir.resolve(platform.launcher().getFileName()));
            Files.setPosixFilePermissions(codeDir.resolve(platform.launcher().getFileName()),
                PosixFilePermissions.fromString("rw-r--r--"));
            final AotCacheBuilder.Result aot = aotCache(plan, codeDir, uid, manifest);
            plan.writeLaunchFile(codeDir, aot.cache(), environment);

            final long now = System.currentTimeMillis();
            final BundleRecord record = new BundleRecord(bundleName, manifest.app().versionCode(),
                manifest.app().versionName(), manifest.app().appIdentifier(), bundleId, userId, uid, uid, token,
                privileges.apl(), privileges.systemApp(), privileges.allowAppUsePrivilegeExtension(),
                privileges.allowedAcls(), codeDir.toString(), dataDir.toString(),
                null == aot.cache() ? "" : aot.cache().toString(), aot.note(), platform.fingerprint(),
                existing.map(BundleRecord::installTime).orElse(now), now, manifest);
            database.commit(record);
            if (existing.isPresent())
            {
                removeQuietly(Path.of(existing.get().codeDir()));
            }
            return new BundleRecord[] {record, existing.orElse(null)};
        }
        catch (final ManifestException bad)
        {
            undo(codeDir, createdData);
            throw new BundleException(BundleErrors.PARSE_FAILED, bad.getMessage(), bad);
        }
        catch (final IOException | RuntimeException failed)
        {
            undo(codeDir, createdData);
            throw new BundleException(BundleErrors.INSTALL_FAILED, "installing " + source + " failed: " + failed,
                failed);
        }
        catch (final BundleException refused)
        {
            undo(codeDir, createdData);
            throw refused;
        }
        finally
        {
            removeQuietly(staging);
        }
    }

    private BundleScanner.Contents scan(final Path source, final Path staging)
        throws ManifestException, IOException, BundleException
    {
        if (!source.isAbsolute())
        {
            throw new BundleException(io.harmonia.ability.ServiceException.PARAMETER_ERROR, "bundle path " + source
                + ": must be absolute", null);
        }
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS))
        {
            return BundleScanner.scan(source);
        }
        if (!Files.isRegularFile(source))
        {
            throw new BundleException(BundleErrors.PARSE_FAILED, "bundle path " + source
                + ": no such folder or archive", null);
        }
        FileTrees.folder(layout.staging(), "rwx------");
        FileTrees.folder(staging, "rwx------");
        BundleArchive.unpack(source, staging);
        return BundleScanner.scan(staging);
    }

    private InstallList.Entry privileges(final String bundleName) throws BundleException
    {
        try
        {
            return InstallList.lookup(installList, bundleName);
        }
        catch (final IOException malformed)
        {
            throw new BundleException(BundleErrors.INSTALL_FAILED, "the install list is unusable: "
                + malformed.getMessage(), malformed);
        }
    }

    /** The privilege rules of the seeds: SEA needs a privileged system app, AppService the ACL permission. */
    private static void checkPrivileges(final ModuleManifest manifest, final InstallList.Entry privileges)
        throws BundleException
    {
        final List<ModuleManifest.Extension> extensions = manifest.module().extensionAbilities();
        for (int i = 0; i < extensions.size(); i++)
        {
            final ModuleManifest.Extension extension = extensions.get(i);
            if (SERVICE.equals(extension.type())
                && !(privileges.systemApp() && privileges.allowAppUsePrivilegeExtension()))
            {
                throw new BundleException(io.harmonia.ability.ServiceException.PERMISSION_DENIED,
                    "module.extensionAbilities[" + i + "] \"" + extension.name() + "\" has type \"service\": only a "
                    + "system app with the AllowAppUsePrivilegeExtension privilege (granted by the device's install "
                    + "list) may implement a ServiceExtensionAbility", null);
            }
            if (APP_SERVICE.equals(extension.type()))
            {
                final boolean requested = manifest.module().requestPermissions().stream()
                    .anyMatch(permission -> SUPPORT_APP_SERVICE_EXTENSION.equals(permission.name()));
                if (!requested || !privileges.allowedAcls().contains(SUPPORT_APP_SERVICE_EXTENSION))
                {
                    throw new BundleException(io.harmonia.ability.ServiceException.PERMISSION_DENIED,
                        "module.extensionAbilities[" + i + "] \"" + extension.name() + "\" has type \"appService\": "
                        + "the bundle must request " + SUPPORT_APP_SERVICE_EXTENSION + " and the device's install "
                        + "list must grant it as an ACL (" + (requested ? "not granted" : "not requested") + ")",
                        null);
                }
            }
        }
    }

    private List<Path> createDataFolders(final int userId, final String bundleName, final int uid)
        throws IOException
    {
        final List<Path> created = new ArrayList<>();
        for (final String level : List.of("el1", "el2"))
        {
            final Path base = layout.data(level, userId, bundleName);
            // The parents let every uid pass through to its own folder, but not list the others.
            FileTrees.folder(base.getParent(), "rwx--x--x");
            FileTrees.remove(base);
            created.add(base);
            FileTrees.folder(base, "rwx------");
            FileTrees.chown(base, uid, uid);
            if ("el2".equals(level))
            {
                for (final String name : DATA_FOLDERS)
                {
                    final Path folder = FileTrees.folder(base.resolve(name), "rwx------");
                    FileTrees.chown(folder, uid, uid);
                }
            }
        }
        return created;
    }

    private static void copy(final BundleScanner.Contents contents, final Path codeDir) throws IOException
    {
        for (final Path relative : contents.files())
        {
            final Path target = codeDir.resolve(relative.toString());
            Path parent = target.getParent();
            final List<Path> missing = new ArrayList<>();
            while (!parent.equals(codeDir) && !Files.isDirectory(parent))
            {
                missing.add(0, parent);
                parent = parent.getParent();
            }
            for (final Path folder : missing)
            {
                FileTrees.folder(folder, "rwxr-xr-x");
            }
            Files.copy(contents.root().resolve(relative), target, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Creates the fixed folders and removes what an interrupted install or uninstall left: folders the database
     * does not name.
     */
    void recover() throws IOException
    {
        FileTrees.folder(layout.bms(), "rwx--x--x");
        FileTrees.remove(layout.staging());
        FileTrees.folder(layout.staging(), "rwx------");
        FileTrees.folder(layout.code(), "rwxr-xr-x");
        for (final String level : List.of("el1", "el2"))
        {
            FileTrees.folder(layout.data(level, BundleDatabase.DEFAULT_USER_ID, "x").getParent(), "rwx--x--x");
        }
        for (final Path bundleFolder : FileTrees.list(layout.code()))
        {
            final Optional<BundleRecord> record = database.get(bundleFolder.getFileName().toString());
            for (final Path install : FileTrees.list(bundleFolder))
            {
                if (record.isEmpty() || !Path.of(record.get().codeDir()).equals(install))
                {
                    FileTrees.remove(install);
                }
            }
            if (record.isEmpty())
            {
                FileTrees.remove(bundleFolder);
            }
        }
        for (final String level : List.of("el1", "el2"))
        {
            final Path bases = layout.data(level, BundleDatabase.DEFAULT_USER_ID, "x").getParent();
            for (final Path base : FileTrees.list(bases))
            {
                if (database.get(base.getFileName().toString()).isEmpty())
                {
                    FileTrees.remove(base);
                }
            }
        }
    }

    /** Removes an uninstalled bundle's folders (after the commit). */
    void removeFolders(final BundleRecord record)
    {
        removeQuietly(Path.of(record.codeDir()));
        removeQuietly(Path.of(record.codeDir()).getParent());
        removeQuietly(layout.data("el1", record.userId(), record.bundleName()));
        removeQuietly(layout.data("el2", record.userId(), record.bundleName()));
    }

    private void undo(final Path codeDir, final List<Path> createdData)
    {
        if (null != codeDir)
        {
            removeQuietly(codeDir);
            try
            {
                if (FileTrees.list(codeDir.getParent()).isEmpty())
                {
                    removeQuietly(codeDir.getParent());
                }
            }
            catch (final IOException ignored)
            {
                // recover() removes it at the next start
            }
        }
        createdData.forEach(BundleInstaller::removeQuietly);
    }

    private static void removeQuietly(final Path path)
    {
        try
        {
            FileTrees.remove(path);
        }
        catch (final IOException left)
        {
            System.getLogger(BundleInstaller.class.getName()).log(System.Logger.Level.WARNING,
                "cannot remove " + path + " (the next start removes it): " + left.getMessage());
        }
    }

    private byte[] randomBytes()
    {
        final byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return bytes;
    }
}
