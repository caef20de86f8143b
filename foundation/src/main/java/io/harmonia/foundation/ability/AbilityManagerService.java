package io.harmonia.foundation.ability;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.ability.AbilityState;
import io.harmonia.ability.AppThreadProtocol;
import io.harmonia.ability.ApplicationInfo;
import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.ability.Want;
import io.harmonia.foundation.bundle.BundleListener;
import io.harmonia.foundation.bundle.BundleManagerService;
import io.harmonia.foundation.bundle.BundleRecord;
import io.harmonia.foundation.bundle.ModuleManifest;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.spawn.ChildInfo;
import io.harmonia.spawn.SpawnException;
import io.harmonia.spawn.SpawnRequest;

/**
 * The ability manager (AMS): starts app processes through appspawn, one per bundle (OpenHarmony's default), under
 * the bundle's uid, gid, groups, token id and privilege level (which selects the SELinux label); takes their attach;
 * schedules UIAbilities through their app threads; runs service extensions and their connections
 * ({@link ExtensionManager}); and forgets a process the moment it dies.
 *
 * <p><b>Records.</b> A process record is made when a start needs a process (STARTING), gets its pid from appspawn's
 * reply, becomes ATTACHED when the process attaches from that pid and uid, and is removed when the process dies
 * (DEAD). Death is seen twice over, first one wins: the process's pidfd (any time, also before attach) and the RPC
 * death recipient on its app thread. A start finds a live record and reuses it, or makes a new one: a dead
 * process's next start is a fresh process. At most one UIAbility has the focus: the last one brought to the
 * foreground; the one that had it goes to the background.
 *
 * <p><b>Threads and locks.</b> Requests arrive on RPC threads. One lock guards the tables; it is never held across a
 * call to appspawn or to an app process (OpenHarmony's samgr deadlocked on calling out under a lock). Starts of
 * different bundles run side by side; starts of one bundle share its process record.
 *
 * <p><b>Timeouts</b> (OpenHarmony's, 1 s units, times {@value #TIMEOUT_RATIO_PROPERTY}): a process must attach
 * within {@value #LOAD_TIMEOUT_MS} ms of its spawn (else it is killed and the start fails with 16000050),
 * foreground in 5 s, background in 3 s. <b>Errors</b>
 * are {@link AbilityException}s with OpenHarmony's codes (16000001 no such ability, 16000002 not a UIAbility,
 * 16000004 not exported, 16000050 the process failed) and a message naming the ability.
 *
 * <p><b>Foundation's death.</b> Every app process holds a death recipient on this service's object and halts when
 * foundation dies, so killing foundation (even with SIGKILL) leaves no app process behind and nobody waiting; a new
 * foundation also kills, at start, any appspawn child that runs as an installed bundle's uid.
 */
public final class AbilityManagerService implements BundleListener, AutoCloseable
{
    /** OpenHarmony's load timeout: spawn, JVM start and attach (10 units of 1 s). */
    public static final long LOAD_TIMEOUT_MS = 10_000;
    /**
     * System property multiplying every timeout (OpenHarmony's {@code persist.sys.abilityms.timeout_unit_time_ratio},
     * default 1): tests on a loaded shared machine raise it, since a JVM start there can take longer than 10 s.
     */
    public static final String TIMEOUT_RATIO_PROPERTY = "harmonia.ams.timeoutRatio";
    private static final long ATTACH_LOOKUP_MS = 5_000;
    private static final long DEATH_WAIT_MS = 5_000;

    private final BundleManagerService bundles;
    private final AppSpawner spawner;
    private final long ratio = Math.max(1, Long.getLong(TIMEOUT_RATIO_PROPERTY, 1));
    private final ExtensionManager extensions;
    private final Object lock = new Object();
    private final Map<String, AppProcessRecord> byBundle = new HashMap<>();
    private final Map<Integer, AppProcessRecord> byPid = new HashMap<>();
    private final List<ProcessListener> processListeners = new CopyOnWriteArrayList<>();
    private AppProcessRecord.AbilityRecord focused;

    /**
     * Told when an app process died (after its extensions' clients were told). Runs on the thread that saw the
     * death.
     */
    public interface ProcessListener
    {
        /**
         * A process is gone.
         *
         * @param bundleName its bundle.
         * @param pid        its pid.
         */
        void processDied(String bundleName, int pid);
    }

    /**
     * The ability manager.
     *
     * @param bundles        the bundle manager.
     * @param appspawnSocket appspawn's socket.
     * @param deviceType     the device type (AppServiceExtensionAbility works only on "2in1").
     */
    public AbilityManagerService(final BundleManagerService bundles, final java.nio.file.Path appspawnSocket,
        final String deviceType)
    {
        this.bundles = bundles;
        this.spawner = new AppSpawner(appspawnSocket);
        this.extensions = new ExtensionManager(this, new ExtensionAccess(bundles, this::focusedAbilityOf, deviceType),
            new ExtensionTimeouts(ratio));
    }

    /**
     * Adds a listener of process deaths.
     *
     * @param listener the listener.
     */
    public void addProcessListener(final ProcessListener listener)
    {
        processListeners.add(listener);
    }

    /**
     * Kills appspawn children that run as an installed bundle's uid but have no record here: app processes of a
     * foundation that died before they noticed. Called once at start.
     *
     * @return how many were killed.
     */
    public int killOrphans()
    {
        int killed = 0;
        final List<ChildInfo> children;
        try
        {
            children = spawner.children();
        }
        catch (final UncheckedIOException unreachable)
        {
            return 0;
        }
        for (final ChildInfo child : children)
        {
            final boolean known;
            synchronized (lock)
            {
                known = byPid.containsKey(child.pid());
            }
            if (!known && bundles.byUid(child.uid()).isPresent() && spawner.terminate(child.pid()))
            {
                killed++;
            }
        }
        return killed;
    }

    /**
     * Starts a UIAbility: its bundle's process first when it has none (waiting for it to attach), then onCreate or
     * onNewWant and onForeground in that process; the ability that had the focus goes to the background.
     *
     * @param want      the target.
     * @param callerUid the caller's kernel uid (0 and the bundle's own uid may start abilities that are not exported).
     * @return the pid of the process running it.
     * @throws AbilityException with OpenHarmony's code.
     */
    public int startAbility(final Want want, final int callerUid)
    {
        final BundleRecord bundle = bundles.find(want.bundleName()).orElseThrow(() -> new AbilityException(
            AbilityErrors.RESOLVE_FAILED, "bundle " + want.bundleName() + " is not installed"));
        final ModuleManifest.Ability ability = bundle.manifest().module().abilities().stream()
            .filter(candidate -> candidate.name().equals(want.abilityName())).findFirst().orElseThrow(() ->
                bundle.manifest().module().extensionAbilities().stream()
                    .anyMatch(extension -> extension.name().equals(want.abilityName()))
                    ? new AbilityException(AbilityErrors.WRONG_TYPE, want.element() + " is an extension ability, "
                        + "not a UIAbility")
                    : new AbilityException(AbilityErrors.RESOLVE_FAILED, want.element() + ": bundle "
                        + bundle.bundleName() + " has no ability " + want.abilityName()));
        if (!ability.exported() && 0 != callerUid && bundle.uid() != callerUid)
        {
            throw new AbilityException(AbilityErrors.INVISIBLE, want.element() + " is not exported: only its own "
                + "bundle may start it (caller uid " + callerUid + ")");
        }
        final AppProcessRecord process = ensureProcess(bundle);
        final AppProcessRecord.AbilityRecord target;
        final AppProcessRecord.AbilityRecord previous;
        synchronized (lock)
        {
            target = process.abilities.computeIfAbsent(ability.name(),
                name -> new AppProcessRecord.AbilityRecord(process, name, ability.entryClass()));
            previous = focused;
        }
        if (null != previous && previous != target && AbilityState.FOREGROUND == previous.state)
        {
            background(previous);
        }
        // The ability being brought to the front has the focus from its onCreate on (it may connect to a service
        // there); a launch that fails gives it up.
        synchronized (lock)
        {
            focused = target;
            target.foregrounding = true;
        }
        try
        {
            schedule(process, AppThreadProtocol.SCHEDULE_LAUNCH_ABILITY, AppThreadProtocol.FOREGROUND_TIMEOUT_MILLIS,
                target.toString(), data ->
                {
                    data.writeString(target.name);
                    data.writeString(target.entryClass);
                    want.writeTo(data);
                });
        }
        catch (final AbilityException failed)
        {
            synchronized (lock)
            {
                target.foregrounding = false;
                if (focused == target && AbilityState.FOREGROUND != target.state)
                {
                    focused = null;
                }
            }
            throw failed;
        }
        synchronized (lock)
        {
            target.foregrounding = false;
            if (AppProcessRecord.State.DEAD != process.state)
            {
                target.state = AbilityState.FOREGROUND;
                focused = target;
            }
        }
        return process.pid;
    }

    private void background(final AppProcessRecord.AbilityRecord ability)
    {
        try
        {
            schedule(ability.process, AppThreadProtocol.SCHEDULE_BACKGROUND,
                AppThreadProtocol.BACKGROUND_TIMEOUT_MILLIS, ability.toString(),
                data -> data.writeString(ability.name));
            synchronized (lock)
            {
                ability.state = AbilityState.BACKGROUND;
                if (focused == ability)
                {
                    focused = null;
                }
            }
        }
        catch (final AbilityException failed)
        {
            System.getLogger(AbilityManagerService.class.getName()).log(System.Logger.Level.WARNING,
                "moving " + ability + " to the background failed: " + failed.getMessage());
        }
    }

    /**
     * Whether an ability is the focused one in the foreground, or being brought there (from its onCreate on): the
     * rule "a third-party caller may connect only while focused in the foreground" asks this, from these records.
     *
     * @param uid the caller's uid.
     * @return the focused ability's name when it belongs to that uid's bundle, else null.
     */
    public String focusedAbilityOf(final int uid)
    {
        synchronized (lock)
        {
            return null != focused && focused.process.bundle.uid() == uid
                && (AbilityState.FOREGROUND == focused.state || focused.foregrounding) ? focused.name : null;
        }
    }

    /**
     * Makes sure a bundle's process runs and has attached (starting it through appspawn when it has none), without
     * starting any ability: what an extension's start needs first, and what the start benchmark times.
     *
     * @param bundleName the bundle.
     * @return the process's pid.
     * @throws AbilityException 16000001 for a bundle that is not installed, 16000050 when the process failed.
     */
    public int startProcess(final String bundleName)
    {
        final BundleRecord bundle = bundles.find(bundleName).orElseThrow(() -> new AbilityException(
            AbilityErrors.RESOLVE_FAILED, "bundle " + bundleName + " is not installed"));
        return ensureProcess(bundle).pid;
    }

    /**
     * The bundle's attached process, started through appspawn when it has none (what an extension's load step
     * waits for).
     *
     * @param bundle the bundle.
     * @return the attached process.
     * @throws AbilityException 16000050 when it could not be started or did not attach in time.
     */
    AppProcessRecord processFor(final BundleRecord bundle)
    {
        return ensureProcess(bundle);
    }

    /** The app thread of an attached process, or null. */
    IRemoteObject threadOf(final AppProcessRecord process)
    {
        if (null == process)
        {
            return null;
        }
        synchronized (lock)
        {
            return process.thread;
        }
    }

    /**
     * Handles a process's exit now if it has exited and its death is not handled yet: a client that saw the
     * service's channels hang up may ask for it again before the exit watch's thread has told us.
     *
     * @param process the process a request is about to use.
     */
    void noticeExit(final AppProcessRecord process)
    {
        final ProcessExitWatch.Watch watch;
        synchronized (lock)
        {
            watch = process.exitWatch;
        }
        if (null != watch && !process.deathHandled.get() && watch.exited())
        {
            processDied(process, "a request found it exited");
        }
    }

    /** Whether a process has died. */
    boolean isDead(final AppProcessRecord process)
    {
        synchronized (lock)
        {
            return AppProcessRecord.State.DEAD == process.state;
        }
    }

    /** Finds or starts the bundle's process and waits until it attached. */
    private AppProcessRecord ensureProcess(final BundleRecord bundle)
    {
        final AppProcessRecord known;
        synchronized (lock)
        {
            known = byBundle.get(bundle.bundleName());
        }
        if (null != known)
        {
            // A process that exited a moment ago is not handed out again (its watch may not have run yet).
            noticeExit(known);
        }
        final AppProcessRecord process;
        boolean spawn = false;
        synchronized (lock)
        {
            final AppProcessRecord existing = byBundle.get(bundle.bundleName());
            if (null != existing && AppProcessRecord.State.DEAD != existing.state)
            {
                process = existing;
            }
            else
            {
                process = new AppProcessRecord(bundle);
                byBundle.put(bundle.bundleName(), process);
                spawn = true;
            }
        }
        if (spawn)
        {
            spawn(process);
        }
        try
        {
            return process.attached.get(LOAD_TIMEOUT_MS * ratio, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException late)
        {
            kill(process);
            throw new AbilityException(AbilityErrors.INNER, "the process of " + bundle.bundleName() + " (pid "
                + process.pid + ") did not attach within " + LOAD_TIMEOUT_MS * ratio + " ms; it was killed");
        }
        catch (final ExecutionException failed)
        {
            throw new AbilityException(AbilityErrors.INNER, failed.getCause().getMessage());
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
            throw new AbilityException(AbilityErrors.INNER, "interrupted while starting " + bundle.bundleName());
        }
    }

    private void spawn(final AppProcessRecord process)
    {
        final BundleRecord bundle = process.bundle;
        final SpawnRequest request = SpawnRequest.builder().processName(bundle.bundleName())
            .bundleName(bundle.bundleName())
            .soPath(java.nio.file.Path.of(bundle.codeDir(), io.harmonia.bindings.NativeExecutables.JAVA_LAUNCHER)
                .toString())
            .ids(bundle.uid(), bundle.gid()).gids(bundle.gid()).accessTokenId(bundle.accessTokenId())
            .apl(bundle.apl()).build();
        final int pid;
        try
        {
            pid = spawner.spawn(request);
        }
        catch (final SpawnException | UncheckedIOException failed)
        {
            forget(process);
            process.attached.completeExceptionally(new IllegalStateException("appspawn could not start "
                + bundle.bundleName() + ": " + failed.getMessage(), failed));
            return;
        }
        synchronized (lock)
        {
            process.pid = pid;
            byPid.put(pid, process);
            lock.notifyAll();
        }
        final ProcessExitWatch.Watch watch = ProcessExitWatch.watch(pid, () -> processDied(process, "its pidfd"));
        synchronized (lock)
        {
            process.exitWatch = watch;
        }
    }

    /**
     * An app process attaches (the ATTACH_APPLICATION request, on an RPC thread).
     *
     * @param callerPid its kernel pid.
     * @param callerUid its kernel uid.
     * @param thread    its app-thread object.
     * @return what it is told: its bundle and folders.
     * @throws ServiceException 201 for a process this manager did not start, or one that attached already.
     */
    public ApplicationInfo attach(final int callerPid, final int callerUid, final IRemoteObject thread)
    {
        final AppProcessRecord process;
        synchronized (lock)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ATTACH_LOOKUP_MS);
            AppProcessRecord found = byPid.get(callerPid);
            // appspawn's reply (the pid) may still be on its way when a fast process attaches.
            while (null == found && startingWithUid(callerUid) && System.nanoTime() < deadline)
            {
                try
                {
                    lock.wait(10);
                }
                catch (final InterruptedException interrupted)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
                found = byPid.get(callerPid);
            }
            if (null == found || AppProcessRecord.State.STARTING != found.state || found.bundle.uid() != callerUid)
            {
                throw new ServiceException(ServiceException.PERMISSION_DENIED, "pid " + callerPid + " (uid "
                    + callerUid + ") is not an app process this ability manager is starting", null);
            }
            found.thread = thread;
            found.state = AppProcessRecord.State.ATTACHED;
            process = found;
        }
        thread.registerDeathRecipient(() -> processDied(process, "its RPC connection"), 0);
        process.attached.complete(process);
        final BundleRecord bundle = process.bundle;
        return new ApplicationInfo(bundle.bundleName(), bundle.versionCode(), bundle.uid(), bundle.codeDir(),
            bundle.dataDir());
    }

    private boolean startingWithUid(final int uid)
    {
        return byBundle.values().stream().anyMatch(record -> AppProcessRecord.State.STARTING == record.state
            && 0 == record.pid && record.bundle.uid() == uid);
    }

    /**
     * Kills a bundle's process (through appspawn) and waits until its death has been handled.
     *
     * @param bundleName the bundle.
     * @return true when it had a process.
     */
    public boolean forceStop(final String bundleName)
    {
        final AppProcessRecord process;
        synchronized (lock)
        {
            process = byBundle.get(bundleName);
        }
        if (null == process)
        {
            return false;
        }
        kill(process);
        return true;
    }

    private void kill(final AppProcessRecord process)
    {
        if (process.pid > 0)
        {
            try
            {
                spawner.terminate(process.pid);
            }
            catch (final UncheckedIOException | SpawnException failed)
            {
                io.harmonia.bindings.posix.Posix.kill(process.pid, 9);
            }
            try
            {
                process.died.get(DEATH_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException | ExecutionException stuck)
            {
                processDied(process, "force-stop");
            }
            catch (final InterruptedException interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        else
        {
            processDied(process, "force-stop before spawn");
        }
    }

    /** Forgets a dead process (once). */
    private void processDied(final AppProcessRecord process, final String seenBy)
    {
        if (!process.deathHandled.compareAndSet(false, true))
        {
            return;
        }
        final ProcessExitWatch.Watch watch;
        synchronized (lock)
        {
            forget(process);
            process.state = AppProcessRecord.State.DEAD;
            for (final AppProcessRecord.AbilityRecord ability : process.abilities.values())
            {
                ability.state = AbilityState.TERMINATED;
                if (focused == ability)
                {
                    focused = null;
                }
            }
            watch = process.exitWatch;
        }
        if (null != watch)
        {
            watch.cancel();
        }
        process.attached.completeExceptionally(new IllegalStateException("the process of "
            + process.bundle.bundleName() + " (pid " + process.pid + ") died before it attached (seen by " + seenBy
            + ")"));
        process.died.complete(null);
        extensions.processDied(process);
        processListeners.forEach(listener -> listener.processDied(process.bundle.bundleName(), process.pid));
    }

    private void forget(final AppProcessRecord process)
    {
        synchronized (lock)
        {
            byBundle.remove(process.bundle.bundleName(), process);
            if (process.pid > 0)
            {
                byPid.remove(process.pid, process);
            }
        }
    }

    /** Calls an app thread; a failure is 16000050 naming what failed. */
    private void schedule(final AppProcessRecord process, final int code, final long timeoutMs, final String what,
        final java.util.function.Consumer<MessageSequence> write)
    {
        final IRemoteObject thread;
        synchronized (lock)
        {
            thread = process.thread;
        }
        try
        {
            ServiceReply.request(thread, code, timeoutMs * ratio, what, write, reply -> null);
        }
        catch (final ServiceException failed)
        {
            throw new AbilityException(ServiceException.UNREACHABLE == failed.code() ? AbilityErrors.INNER
                : failed.code(), what + ": " + failed.getMessage());
        }
    }

    /**
     * The records, for {@code aa dump}.
     *
     * @return processes (bundle, pid, uid, state, start time, abilities with state and focus), the focus, and the
     *         extension records with their connections.
     */
    public Map<String, Object> dump()
    {
        final Map<String, Object> records;
        synchronized (lock)
        {
            final List<Map<String, Object>> processes = new ArrayList<>();
            for (final AppProcessRecord process : byBundle.values())
            {
                final List<Map<String, Object>> abilities = new ArrayList<>();
                for (final AppProcessRecord.AbilityRecord ability : process.abilities.values())
                {
                    final Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("name", ability.name);
                    entry.put("state", ability.state.name());
                    entry.put("focused", focused == ability);
                    abilities.add(entry);
                }
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("bundleName", process.bundle.bundleName());
                entry.put("pid", process.pid);
                entry.put("uid", process.bundle.uid());
                entry.put("state", process.state.name());
                entry.put("startTime", process.startTime);
                entry.put("abilities", abilities);
                processes.add(entry);
            }
            final Map<String, Object> dump = new LinkedHashMap<>();
            dump.put("processes", processes);
            dump.put("focused", null == focused ? null : focused.toString());
            records = dump;
        }
        // outside this lock: the extension manager's lock is never taken under it
        records.put("extensions", extensions.dump());
        return records;
    }

    /**
     * Starts a service extension ({@link ExtensionManager}): onCreate the first time, then onRequest.
     *
     * @param type      the family the target must be.
     * @param want      the target.
     * @param callerUid the caller's kernel uid.
     * @param callerPid the caller's kernel pid.
     * @return completes once onRequest returned, or exceptionally with an {@link AbilityException}.
     * @throws AbilityException for a refused request.
     */
    public java.util.concurrent.CompletableFuture<Void> startExtension(final io.harmonia.ability.ExtensionAbilityType
        type, final Want want, final int callerUid, final int callerPid)
    {
        return extensions.start(type, want, callerUid, callerPid);
    }

    /**
     * Stops a service extension: its clients are told, then onDestroy.
     *
     * @param type      the family the target must be.
     * @param want      the target.
     * @param callerUid the caller's kernel uid.
     * @param callerPid the caller's kernel pid.
     * @return completes once onDestroy returned (or timed out).
     * @throws AbilityException for a refused request, 16000050 when it is not running.
     */
    public java.util.concurrent.CompletableFuture<Void> stopExtension(final io.harmonia.ability.ExtensionAbilityType
        type, final Want want, final int callerUid, final int callerPid)
    {
        return extensions.stop(type, want, callerUid, callerPid);
    }

    /**
     * Connects a client to a service extension; the outcome goes to its callback object.
     *
     * @param type      the family the target must be.
     * @param want      the target.
     * @param callback  the client's callback object (io.harmonia.ability.ConnectionCallbackProtocol).
     * @param callerUid the caller's kernel uid.
     * @param callerPid the caller's kernel pid.
     * @throws AbilityException for a refused request.
     */
    public void connectExtension(final io.harmonia.ability.ExtensionAbilityType type, final Want want,
        final IRemoteObject callback, final int callerUid, final int callerPid)
    {
        extensions.connect(type, want, callback, callerUid, callerPid);
    }

    /**
     * Ends a client's connection.
     *
     * @param type      the family of the request (801 for AppService off a 2-in-1 device).
     * @param callback  the connection's callback object.
     * @param callerPid the caller's kernel pid (only the connecting process may end it).
     * @throws AbilityException 16000050 when the caller has no such connection.
     */
    public void disconnectExtension(final io.harmonia.ability.ExtensionAbilityType type,
        final IRemoteObject callback, final int callerPid)
    {
        extensions.disconnect(type, callback, callerPid);
    }

    /**
     * An extension stops itself.
     *
     * @param callerPid   the caller's kernel pid (its process).
     * @param abilityName the extension.
     * @throws AbilityException 16000011 when that process runs no such extension.
     */
    public void terminateSelf(final int callerPid, final String abilityName)
    {
        extensions.terminateSelf(callerPid, abilityName);
    }

    /**
     * The test hook of {@code aa force-timeout}.
     *
     * @param abilityName the ability, or "clean".
     * @param state       the step (INITIAL, INACTIVE, COMMAND, CONNECT, DISCONNECT, TERMINATING).
     * @throws IllegalArgumentException for an unknown state.
     */
    public void forceTimeout(final String abilityName, final String state)
    {
        extensions.forceTimeout(abilityName, state);
    }

    /**
     * How many connection records exist.
     *
     * @return the count.
     */
    public int connectionCount()
    {
        return extensions.connectionCount();
    }

    /** A bundle was updated or uninstalled: its process (old code) is stopped. */
    @Override
    public void bundleChanged(final BundleRecord before, final BundleRecord after)
    {
        if (null != before)
        {
            forceStop(before.bundleName());
        }
    }

    /** Stops every app process (foundation is stopping). */
    @Override
    public void close()
    {
        final List<AppProcessRecord> processes;
        synchronized (lock)
        {
            processes = new ArrayList<>(byBundle.values());
        }
        processes.forEach(this::kill);
        extensions.close();
        spawner.close();
    }
}
