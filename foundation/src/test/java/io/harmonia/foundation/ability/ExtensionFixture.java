package io.harmonia.foundation.ability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityConnector;
import io.harmonia.ability.AbilityManagerClient;
import io.harmonia.ability.ConnectOptions;
import io.harmonia.ability.ElementName;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.Want;
import io.harmonia.bundle.BundleManagerClient;
import io.harmonia.foundation.FoundationFixture;
import io.harmonia.foundation.FoundationProcess;
import io.harmonia.foundation.TestBundles;
import io.harmonia.foundation.testapp.ClientAbility.ClientControl;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.spawn.AppSpawnDaemon;

/**
 * What the service-extension tests share: appspawn and a foundation process of their own (this JVM is a separate
 * client process, running as root: a native, system caller), the seeds' bundles, the services' event logs, client
 * apps driven through a control object, and a recorder of ConnectOptions callbacks.
 *
 * <p>Bundles: {@value #SERVICE_BUNDLE} (a system app with the AllowAppUsePrivilegeExtension privilege:
 * ServiceExtAbility, PrivateService not exported, WrongClassService whose class is a UIAbility, and a client
 * ability), {@value #APP_SERVICE_BUNDLE} (holds the SUPPORT_APP_SERVICE_EXTENSION ACL: AppServiceExtAbility, whose
 * appIdentifierAllowList names {@value #LISTED}, and SeedAppServiceExtAbility, the seed's handler-less StubTest),
 * and the third-party clients {@value #CONNECT_EXT_APP}, {@value #LISTED} and {@value #STRANGER}.
 */
final class ExtensionFixture implements AutoCloseable
{
    static final String SERVICE_BUNDLE = "com.example.myapplication";
    static final String APP_SERVICE_BUNDLE = "com.samples.stagemodelabilitydevelop";
    static final String CONNECT_EXT_APP = "com.example.connectextapp";
    static final String LISTED = "com.samples.listed";
    static final String STRANGER = "com.samples.stranger";
    static final String SEA = "ServiceExtAbility";
    static final String APP_SEA = "AppServiceExtAbility";
    static final String CLIENT = "ClientAbility";
    static final long WAIT_MILLIS = 90_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TESTAPP = "io.harmonia.foundation.testapp.";

    final Path scratch;
    final AppSpawnDaemon appspawn;
    final FoundationProcess foundation;
    final String instance;
    final AbilityManagerClient ams;
    final BundleManagerClient bms;
    final AbilityConnector connector;
    /** The installed bundles' uids. */
    final java.util.Map<String, Integer> uids = new java.util.concurrent.ConcurrentHashMap<>();
    private final Path state;
    private int clients;

    private ExtensionFixture(final Path scratch, final AppSpawnDaemon appspawn, final FoundationProcess foundation,
        final String instance, final Path state)
    {
        this.scratch = scratch;
        this.appspawn = appspawn;
        this.foundation = foundation;
        this.instance = instance;
        this.state = state;
        this.ams = AbilityManagerClient.connect(instance);
        this.bms = BundleManagerClient.connect(instance);
        this.connector = ams.connector();
    }

    /** Starts appspawn and foundation (as root; skips loudly otherwise) and installs the seeds' bundles. */
    static ExtensionFixture start(final String test, final String deviceType) throws IOException
    {
        FoundationFixture.requireRoot("service extensions");
        FoundationFixture.appClassPath();
        final Path scratch = FoundationFixture.scratch("harmonia-ext-");
        final AppSpawnDaemon appspawn = AppSpawnDaemon.start();
        final String instance = FoundationFixture.instance(test);
        final Path installList = scratch.resolve("install_list.json5");
        writeInstallList(installList, "normal");
        final FoundationProcess foundation = FoundationProcess.start(instance, scratch.resolve("state"),
            appspawn.socket(), false, "--install-list", installList.toString(), "--token-dir",
            appspawn.tokenDirectory().toString(), "--device-type", deviceType);
        final ExtensionFixture fixture = new ExtensionFixture(scratch, appspawn, foundation, instance,
            scratch.resolve("state"));
        fixture.installSeedBundles();
        return fixture;
    }

    /** The device's install list: the service bundle a privileged system app, the AppService bundle its ACL. */
    static void writeInstallList(final Path file, final String listedApl) throws IOException
    {
        Files.writeString(file, """
            {
              install_list: [
                { bundleName: '%s', systemApp: true, apl: 'system_basic', allowAppUsePrivilegeExtension: true },
                { bundleName: '%s', allowedAcls: ['ohos.permission.SUPPORT_APP_SERVICE_EXTENSION'] },
                { bundleName: '%s', apl: '%s' },
              ],
            }
            """.formatted(SERVICE_BUNDLE, APP_SERVICE_BUNDLE, LISTED, listedApl), StandardCharsets.UTF_8);
    }

    /** Changes what the install list grants {@value #LISTED} (its APL), for the next install of it. */
    void setListedApl(final String apl) throws IOException
    {
        writeInstallList(scratch.resolve("install_list.json5"), apl);
    }

    private void installSeedBundles() throws IOException
    {
        install(SERVICE_BUNDLE, manifest(SERVICE_BUNDLE, 1, """
            extensionAbilities: [
              { name: 'ServiceExtAbility', icon: '$media:icon', description: 'service', type: 'service',
                exported: true, srcEntry: '%1$sTestServiceExtension' },
              { name: 'PrivateService', type: 'service', exported: false, srcEntry: '%1$sTestServiceExtension' },
              { name: 'WrongClassService', type: 'service', exported: true, srcEntry: '%1$sEntryAbility' },
            ],
            """.formatted(TESTAPP), ""));
        install(APP_SERVICE_BUNDLE, manifest(APP_SERVICE_BUNDLE, 1, """
            extensionAbilities: [
              { name: 'AppServiceExtAbility', icon: '$media:icon', description: 'appService', type: 'appService',
                exported: true, srcEntry: '%1$sTestAppServiceExtension',
                appIdentifierAllowList: ['id-%2$s'] },
              { name: 'SeedAppServiceExtAbility', type: 'appService', exported: true,
                srcEntry: '%1$sSeedAppServiceExtension' },
            ],
            """.formatted(TESTAPP, LISTED), "{ name: 'ohos.permission.SUPPORT_APP_SERVICE_EXTENSION' },"));
        install(CONNECT_EXT_APP, manifest(CONNECT_EXT_APP, 1, "", ""));
        install(LISTED, manifest(LISTED, 1, "", ""));
        install(STRANGER, manifest(STRANGER, 1, "", ""));
    }

    /**
     * A manifest: the client UIAbility (exported), the given extensionAbilities and requestPermissions entries.
     *
     * @param extensions  text inside module, e.g. "extensionAbilities: [...],".
     * @param permissions entries of requestPermissions.
     */
    static String manifest(final String bundleName, final int versionCode, final String extensions,
        final String permissions)
    {
        return """
            {
              app: { bundleName: '%1$s', versionCode: %2$d, versionName: '%2$d.0', appIdentifier: 'id-%1$s' },
              module: {
                name: 'entry', type: 'entry', deviceTypes: ['2in1'],
                abilities: [ { name: 'ClientAbility', srcEntry: '%3$sClientAbility', exported: true } ],
                %4$s
                requestPermissions: [ %5$s ],
              },
            }
            """.formatted(bundleName, versionCode, TESTAPP, extensions, permissions);
    }

    /** Installs (or updates) a bundle from a manifest; returns its uid. */
    int install(final String bundleName, final String manifest) throws IOException
    {
        final Path folder = scratch.resolve("src").resolve(bundleName + "-" + System.nanoTime());
        TestBundles.folder(folder, manifest, true);
        final int uid = bms.install(folder.toString()).uid();
        uids.put(bundleName, uid);
        return uid;
    }

    /** The bundle's data folder. */
    Path dataDir(final String bundleName)
    {
        return state.resolve("data/app/el2/100/base").resolve(bundleName);
    }

    /** What the bundle's abilities logged so far. */
    List<String> events(final String bundleName) throws IOException
    {
        final Path log = dataDir(bundleName).resolve("files/events.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Polls the bundle's log until a condition holds (or fails after {@value #WAIT_MILLIS} ms). */
    List<String> awaitEvents(final String bundleName, final Predicate<List<String>> until, final String what)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        List<String> events = events(bundleName);
        while (!until.test(events) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
            events = events(bundleName);
        }
        if (!until.test(events))
        {
            throw new AssertionError(what + ": not seen within " + WAIT_MILLIS + " ms; " + bundleName + " logged "
                + events + "\nfoundation log:\n" + foundation.log());
        }
        return events;
    }

    /** When the bundle's abilities logged a line (System.nanoTime of the logging process), or -1. */
    long eventTime(final String bundleName, final String line) throws IOException
    {
        final Path log = dataDir(bundleName).resolve("files/times.log");
        if (!Files.exists(log))
        {
            return -1;
        }
        for (final String entry : Files.readAllLines(log))
        {
            final int space = entry.indexOf(' ');
            if (entry.substring(space + 1).equals(line))
            {
                return Long.parseLong(entry.substring(0, space));
            }
        }
        return -1;
    }

    /** The uid a process runs as, from the kernel. */
    static int uidOf(final int pid) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("Uid:"))
            {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid line for pid " + pid);
    }

    /** Waits until a process is gone. */
    static void awaitGone(final int pid) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        if (Files.exists(Path.of("/proc/" + pid)))
        {
            throw new AssertionError("pid " + pid + " still exists");
        }
    }

    /** Empties a bundle's log. */
    void clearEvents(final String bundleName) throws IOException
    {
        Files.deleteIfExists(dataDir(bundleName).resolve("files/events.log"));
        Files.deleteIfExists(dataDir(bundleName).resolve("files/times.log"));
    }

    /** The ability manager's records. */
    JsonNode dump() throws IOException
    {
        return JSON.readTree(ams.dump());
    }

    /** The extension records in the dump. */
    JsonNode extensions() throws IOException
    {
        return dump().get("extensions");
    }

    /** How many connection records the dump shows. */
    int connectionCount() throws IOException
    {
        int count = 0;
        for (final JsonNode extension : extensions())
        {
            count += extension.get("connections").size();
        }
        return count;
    }

    /** Waits until the dump has no extension record and no connection. */
    void awaitNoRecords() throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!extensions().isEmpty() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(0, extensions().size(), "extension records left: " + extensions());
    }

    /** Starts a bundle's client ability (it takes the focus) and connects to its control object. */
    ClientApp client(final String bundleName) throws InterruptedException
    {
        final String address = "@harmonia.test.client." + ProcessHandle.current().pid() + "." + (++clients);
        final int pid = ams.startAbility(Want.builder().bundleName(bundleName).abilityName(CLIENT)
            .parameter("control", address).build());
        final long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (true)
        {
            try
            {
                return new ClientApp(pid, IPCSkeleton.connect(address, 5_000));
            }
            catch (final io.harmonia.rpc.RemoteCallException notYet)
            {
                if (System.nanoTime() > deadline)
                {
                    throw notYet;
                }
                Thread.sleep(20);
            }
        }
    }

    /** Another bundle's client takes the focus (the given one goes to the background). */
    void focus(final String bundleName)
    {
        ams.startAbility(Want.of(bundleName, CLIENT));
    }

    static Want want(final String bundleName, final String abilityName)
    {
        return Want.builder().deviceId("").bundleName(bundleName).abilityName(abilityName).build();
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            foundation.close();
        }
        finally
        {
            System.out.println("appspawn log:\n" + appspawn.log() + "\napp output:\n" + appspawn.appOutput());
            appspawn.close();
            FoundationFixture.remove(scratch);
        }
    }

    /** A client app driven through its control object ({@link ClientControl}). */
    record ClientApp(int pid, IRemoteObject control)
    {
        int start(final ExtensionAbilityType type, final Want want)
        {
            return request(ClientControl.START, data ->
            {
                data.writeInt(type.wire());
                want.writeTo(data);
            }).readInt();
        }

        int stop(final ExtensionAbilityType type, final Want want)
        {
            return request(ClientControl.STOP, data ->
            {
                data.writeInt(type.wire());
                want.writeTo(data);
            }).readInt();
        }

        long connect(final ExtensionAbilityType type, final Want want)
        {
            return request(ClientControl.CONNECT, data ->
            {
                data.writeInt(type.wire());
                want.writeTo(data);
            }).readLong();
        }

        int disconnect(final ExtensionAbilityType type, final long id)
        {
            return request(ClientControl.DISCONNECT, data ->
            {
                data.writeInt(type.wire());
                data.writeLong(id);
            }).readInt();
        }

        List<String> events()
        {
            final MessageSequence reply = request(ClientControl.EVENTS, data -> { });
            final List<String> events = new ArrayList<>();
            for (int i = reply.readInt(); i > 0; i--)
            {
                events.add(reply.readString());
            }
            return events;
        }

        List<String> awaitEvents(final Predicate<List<String>> until, final String what) throws InterruptedException
        {
            final long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            List<String> events = events();
            while (!until.test(events) && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
                events = events();
            }
            if (!until.test(events))
            {
                throw new AssertionError(what + ": not seen within " + WAIT_MILLIS + " ms; the client saw " + events);
            }
            return events;
        }

        /** A raw request on a connection's remote: the status, then the ints read. */
        int[] call(final long id, final int code, final int value, final int ints)
        {
            final MessageSequence reply = request(ClientControl.CALL, data ->
            {
                data.writeLong(id);
                data.writeInt(code);
                data.writeInt(value);
                data.writeInt(ints);
            });
            final int status = reply.readInt();
            final int[] result = new int[0 == status ? ints + 1 : 1];
            result[0] = status;
            for (int i = 1; i < result.length; i++)
            {
                result[i] = reply.readInt();
            }
            return result;
        }

        private MessageSequence request(final int code, final java.util.function.Consumer<MessageSequence> write)
        {
            final MessageSequence data = MessageSequence.create();
            final MessageSequence reply = MessageSequence.create();
            write.accept(data);
            final MessageOption option = new MessageOption();
            option.setWaitTimeMillis(WAIT_MILLIS + 60_000);
            control.sendMessageRequestSync(code, data, reply, option);
            return reply;
        }
    }

    /** Records a connection's callbacks in this process, with the time of each. */
    static final class Recorder implements ConnectOptions
    {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Long> times = new CopyOnWriteArrayList<>();
        volatile IRemoteObject remote;
        volatile ElementName element;

        @Override
        public void onConnect(final ElementName elementName, final IRemoteObject connected)
        {
            remote = connected;
            element = elementName;
            add("onConnect");
        }

        @Override
        public void onDisconnect(final ElementName elementName)
        {
            add("onDisconnect");
        }

        @Override
        public void onFailed(final int code)
        {
            add("onFailed " + code);
        }

        private synchronized void add(final String event)
        {
            times.add(System.nanoTime());
            events.add(event);
        }

        /** Waits until the events satisfy a condition. */
        List<String> await(final Predicate<List<String>> until, final String what) throws InterruptedException
        {
            final long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            while (!until.test(events) && System.nanoTime() < deadline)
            {
                Thread.sleep(2);
            }
            if (!until.test(events))
            {
                throw new AssertionError(what + ": not seen within " + WAIT_MILLIS + " ms; recorded " + events);
            }
            return List.copyOf(events);
        }

        /** Waits for a number of events. */
        List<String> await(final int count) throws InterruptedException
        {
            return await(events -> events.size() >= count, count + " callbacks");
        }
    }
}
