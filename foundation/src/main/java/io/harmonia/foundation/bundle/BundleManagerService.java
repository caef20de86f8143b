package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import io.harmonia.bundle.BundleErrors;
import io.harmonia.foundation.StateLayout;
import io.harmonia.foundation.launch.AppEnvironment;
import io.harmonia.foundation.launch.AppPlatform;
import io.harmonia.foundation.launch.LaunchPlan;

/**
 * The bundle manager (BMS): installs, updates, uninstalls and answers queries about bundles, keeping them in the
 * {@link BundleDatabase} under a {@link StateLayout}. Changes run one at a time (a lock held for the whole change:
 * an install trains an AOT cache, seconds); queries read the database under the same lock but never wait for a
 * change in progress longer than it takes. Listeners hear of each committed change after the lock is released.
 *
 * <p>Errors: every refusal is a {@link BundleException} with OpenHarmony's code and a message naming the field,
 * file or bundle; nothing was changed.
 */
public final class BundleManagerService
{
    private final StateLayout layout;
    private final BundleDatabase database;
    private final BundleInstaller installer;
    private final AppPlatform platform;
    private final AppEnvironment environment;
    private final ReentrantLock changes = new ReentrantLock();
    private final List<BundleListener> listeners = new CopyOnWriteArrayList<>();

    private BundleManagerService(final StateLayout layout, final BundleDatabase database, final Path installList,
        final AppPlatform platform, final AppEnvironment environment, final boolean aotCache)
    {
        this.layout = layout;
        this.database = database;
        this.installer = new BundleInstaller(layout, database, installList, aotCache);
        this.platform = platform;
        this.environment = environment;
    }

    /**
     * Opens the bundle manager: reads the database, removes what an interrupted change left, and brings every
     * bundle's launch file (and, when the platform changed, its AOT cache) up to date.
     *
     * @param layout      the state folders.
     * @param installList the device's install list (may be missing).
     * @param platform    the staged app platform.
     * @param environment what app processes are told (the ability manager's address...), written into launch files.
     * @param aotCache    whether installs make AOT caches.
     * @return the service.
     * @throws IOException when the state cannot be read or repaired.
     */
    public static BundleManagerService open(final StateLayout layout, final Path installList,
        final AppPlatform platform, final AppEnvironment environment, final boolean aotCache) throws IOException
    {
        FileTrees.folder(layout.root(), "rwxr-xr-x");
        FileTrees.folder(layout.bms(), "rwx--x--x");
        final BundleDatabase database = BundleDatabase.open(layout.database());
        final BundleManagerService service = new BundleManagerService(layout, database, installList, platform,
            environment, aotCache);
        service.installer.recover();
        service.refreshLaunchFiles();
        return service;
    }

    /**
     * Adds a listener.
     *
     * @param listener told of every committed change.
     */
    public void addListener(final BundleListener listener)
    {
        listeners.add(listener);
    }

    /**
     * The state folders.
     *
     * @return the layout.
     */
    public StateLayout layout()
    {
        return layout;
    }

    /**
     * Installs a bundle, or updates it when one of that name is installed (same or higher versionCode).
     *
     * @param source absolute path of a bundle folder or archive.
     * @return the committed record.
     * @throws BundleException when refused or failed; nothing changed.
     */
    public BundleRecord install(final Path source) throws BundleException
    {
        final BundleRecord[] change;
        changes.lock();
        try
        {
            change = installer.install(source, platform, environment);
        }
        finally
        {
            changes.unlock();
        }
        listeners.forEach(listener -> listener.bundleChanged(change[1], change[0]));
        return change[0];
    }

    /**
     * Uninstalls a bundle: listeners first (its process is stopped), then the database, then its folders.
     *
     * @param bundleName the bundle.
     * @throws BundleException 17700001 when it is not installed.
     */
    public void uninstall(final String bundleName) throws BundleException
    {
        final BundleRecord record;
        changes.lock();
        try
        {
            record = database.get(bundleName).orElseThrow(() -> notFound(bundleName));
            listeners.forEach(listener -> listener.bundleChanged(record, null));
            try
            {
                database.remove(bundleName);
            }
            catch (final IOException failed)
            {
                throw new BundleException(BundleErrors.INSTALL_FAILED, "uninstalling " + bundleName + " failed: "
                    + failed.getMessage(), failed);
            }
            installer.removeFolders(record);
        }
        finally
        {
            changes.unlock();
        }
    }

    /**
     * One bundle.
     *
     * @param bundleName its name.
     * @return its record.
     * @throws BundleException 17700001 when it is not installed.
     */
    public BundleRecord get(final String bundleName) throws BundleException
    {
        return find(bundleName).orElseThrow(() -> notFound(bundleName));
    }

    /**
     * One bundle, if installed.
     *
     * @param bundleName its name.
     * @return its record.
     */
    public Optional<BundleRecord> find(final String bundleName)
    {
        changes.lock();
        try
        {
            return database.get(bundleName);
        }
        finally
        {
            changes.unlock();
        }
    }

    /**
     * The bundle of a uid.
     *
     * @param uid the uid.
     * @return its record, if a bundle has that uid.
     */
    public Optional<BundleRecord> byUid(final int uid)
    {
        changes.lock();
        try
        {
            return database.byUid(uid);
        }
        finally
        {
            changes.unlock();
        }
    }

    /**
     * The bundle of an access token id.
     *
     * @param tokenId the token id.
     * @return its record, if a bundle has it.
     */
    public Optional<BundleRecord> byAccessToken(final long tokenId)
    {
        changes.lock();
        try
        {
            return database.byAccessToken(tokenId);
        }
        finally
        {
            changes.unlock();
        }
    }

    /**
     * Every bundle.
     *
     * @return the records, by name.
     */
    public Collection<BundleRecord> list()
    {
        changes.lock();
        try
        {
            return database.all();
        }
        finally
        {
            changes.unlock();
        }
    }

    private void refreshLaunchFiles() throws IOException
    {
        for (final BundleRecord record : database.all())
        {
            final Path codeDir = Path.of(record.codeDir());
            final List<Path> jars = record.manifest() == null ? List.of() : FileTrees.list(codeDir.resolve(
                BundleScanner.LIBS)).stream().filter(jar -> jar.getFileName().toString().endsWith(".jar")).toList();
            final LaunchPlan plan = new LaunchPlan(platform, jars, Path.of(record.dataDir()));
            BundleRecord current = record;
            if (!platform.fingerprint().equals(record.platform()))
            {
                // The platform changed (a new build or JVM): the launcher and the AOT cache follow it.
                java.nio.file.Files.copy(platform.launcher(), codeDir.resolve(platform.launcher().getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                final var aot = installer.aotCache(plan, codeDir, record.uid(), record.manifest());
                current = new BundleRecord(record.bundleName(), record.versionCode(), record.versionName(),
                    record.appIdentifier(), record.bundleId(), record.userId(), record.uid(), record.gid(),
                    record.accessTokenId(), record.apl(), record.systemApp(), record.allowAppUsePrivilegeExtension(),
                    record.allowedAcls(), record.codeDir(), record.dataDir(),
                    null == aot.cache() ? "" : aot.cache().toString(), aot.note(), platform.fingerprint(),
                    record.installTime(), record.updateTime(), record.manifest());
                database.commit(current);
            }
            plan.writeLaunchFile(codeDir, current.aotCache().isEmpty() ? null : Path.of(current.aotCache()),
                environment);
        }
        platform.removeOthers();
    }

    private static BundleException notFound(final String bundleName)
    {
        return new BundleException(BundleErrors.BUNDLE_NOT_FOUND, "bundle " + bundleName + " is not installed",
            null);
    }
}
