package io.harmonia.foundation.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.harmonia.bundle.BundleErrors;
import io.harmonia.foundation.FoundationFixture;
import io.harmonia.foundation.StateLayout;
import io.harmonia.foundation.TestBundles;
import io.harmonia.foundation.launch.AppEnvironment;
import io.harmonia.foundation.launch.AppPlatform;
import io.harmonia.spawn.AccessTokenTable;

/**
 * The bundle manager on a real state folder, as root: install, update, uninstall, queries, ids, folders and their
 * owners and modes, restarts; and every refused bundle changes nothing.
 */
class BundleManagerTest
{
    private Path scratch;
    private StateLayout layout;
    private AppPlatform platform;
    private Path installList;

    @BeforeEach
    void setUp() throws IOException
    {
        FoundationFixture.requireRoot("the bundle manager");
        scratch = FoundationFixture.scratch("harmonia-bms-");
        layout = new StateLayout(scratch.resolve("state"));
        platform = AppPlatform.stage(layout.platform(), FoundationFixture.appClassPath(),
            Path.of(System.getProperty("java.home"), "bin", "java"));
        installList = scratch.resolve("install_list_capability.json5");
    }

    @AfterEach
    void tearDown() throws IOException
    {
        FoundationFixture.remove(scratch);
    }

    private BundleManagerService open() throws IOException
    {
        return BundleManagerService.open(layout, installList, platform, new AppEnvironment("@harmonia.test.ams", "test",
            AccessTokenTable.DEFAULT_DIRECTORY), false);
    }

    private Path bundle(final String name, final String manifest) throws IOException
    {
        return TestBundles.folder(scratch.resolve("src").resolve(name), manifest, true);
    }

    private static int mode(final Path path) throws IOException
    {
        return (int)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static int owner(final Path path) throws IOException
    {
        return (int)Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void aGoodBundleInstallsWithItsUidFoldersAndLaunchFile() throws Exception
    {
        final BundleManagerService bms = open();
        final BundleRecord record = bms.install(bundle("a", TestBundles.manifest("com.example.alpha", 1)));
        assertEquals(10000, record.bundleId());
        assertEquals(100 * 200000 + 10000, record.uid());
        assertEquals(record.uid(), record.gid());
        assertEquals(1, record.accessTokenId() >>> 29, "token version 1 in bits 29..31");
        assertEquals(0, record.accessTokenId() >>> 27 & 3, "token type HAP");
        assertEquals("normal", record.apl());
        assertFalse(record.systemApp());
        final Path code = Path.of(record.codeDir());
        assertEquals(0755, mode(code));
        assertEquals(0, owner(code.resolve("libs/app.jar")));
        assertEquals(0644, mode(code.resolve("libs/app.jar")));
        assertTrue(Files.isRegularFile(code.resolve("resources/base/string.json")));
        assertTrue(Files.isRegularFile(code.resolve("libharmonia-java-launcher.so")));
        final String launch = Files.readString(code.resolve("app.launch"));
        assertTrue(launch.startsWith("harmonia-launch 1\ncwd " + record.dataDir() + "\nexec "), launch);
        assertTrue(launch.contains("\narg io.harmonia.ability.AppMain\narg --ams\narg @harmonia.test.ams\n"), launch);
        assertTrue(launch.contains(code.resolve("libs/app.jar").toString()), launch);
        for (final String level : List.of("el1", "el2"))
        {
            final Path data = layout.data(level, 100, "com.example.alpha");
            assertEquals(record.uid(), owner(data), level);
            assertEquals(0700, mode(data), level);
        }
        for (final String name : List.of("cache", "files", "temp", "preferences", "haps"))
        {
            final Path folder = Path.of(record.dataDir()).resolve(name);
            assertEquals(record.uid(), owner(folder), name);
            assertEquals(0700, mode(folder), name);
        }
        assertEquals(0600, mode(layout.database()));
        assertEquals("com.example.alpha", bms.byUid(record.uid()).orElseThrow().bundleName());
        assertEquals("AOT caches are turned off (--no-aot-cache)", record.aotNote());
    }

    @Test
    void archivesInstallLikeFolders() throws Exception
    {
        final Path archive = scratch.resolve("alpha.hap");
        TestBundles.archive(bundle("a", TestBundles.manifest("com.example.alpha", 1)), archive);
        final BundleRecord record = open().install(archive);
        assertTrue(Files.isRegularFile(Path.of(record.codeDir(), "libs/app.jar")));
        assertEquals(List.of(), FileTrees.list(layout.staging()), "the staging area is emptied");
    }

    @Test
    void everyRefusedBundleChangesNothing() throws Exception
    {
        final BundleManagerService bms = open();
        bms.install(bundle("installed", TestBundles.manifest("com.example.installed", 5)));
        final Map<String, String> before = FoundationFixture.snapshot(layout.root());

        final Path noManifest = TestBundles.folder(scratch.resolve("src/no-manifest"), null, true);
        final Path noJar = TestBundles.folder(scratch.resolve("src/no-jar"),
            TestBundles.manifest("com.example.nojar", 1), false);
        final Path badJar = bundle("bad-jar", TestBundles.manifest("com.example.badjar", 1));
        Files.writeString(badJar.resolve("libs/app.jar"), "not a zip");
        final Path link = bundle("link", TestBundles.manifest("com.example.link", 1));
        Files.createSymbolicLink(link.resolve("resources/passwd"), Path.of("/etc/passwd"));
        final Path climbing = scratch.resolve("climbing.hap");
        TestBundles.archive(bundle("climb", TestBundles.manifest("com.example.climb", 1)), climbing, "../escape");
        final Path notZip = scratch.resolve("garbage.hap");
        Files.writeString(notZip, "garbage");
        installList(" bundleName: 'com.example.other', systemApp: true ");

        final Object[][] cases = {
            {noManifest, BundleErrors.PARSE_FAILED, "module.json5: missing at the top of the bundle"},
            {bundle("malformed", "{ app: { bundleName: 'com.example.x' "), BundleErrors.PARSE_FAILED,
                "module.json5 line 1, column 38: malformed JSON5: Unexpected end-of-input: expected close marker for "
                + "Object (start marker at line 1, column 8)"},
            {bundle("limit", TestBundles.manifest("com.example.limit", 1).replace("name: 'entry'",
                "name: '" + "m".repeat(32) + "'")), BundleErrors.PARSE_FAILED,
                "module.json5: module.name: 32 bytes, limit 31"},
            {noJar, BundleErrors.PARSE_FAILED,
                "libs/: no jar; a Java bundle carries its classes in at least one libs/*.jar"},
            {badJar, BundleErrors.PARSE_FAILED, "libs/app.jar: not a jar (zip END header not found)"},
            {bundle("missing-class", TestBundles.manifest("com.example.missing", 1).replace(
                "testapp.ThrowingAbility'", "testapp.Missing'")), BundleErrors.PARSE_FAILED,
                "module.json5: module.abilities[2].srcEntry names class io.harmonia.foundation.testapp.Missing, which "
                + "no jar in libs/ contains"},
            {bundle("duplicate", TestBundles.manifest("com.example.duplicate", 1).replace("name: 'SecondAbility'",
                "name: 'EntryAbility'")), BundleErrors.PARSE_FAILED,
                "module.json5: module.abilities[1].name \"EntryAbility\": another ability or extension ability of the "
                + "bundle has this name (names are unique in a bundle)"},
            {link, BundleErrors.PARSE_FAILED,
                "resources/passwd: a symbolic link; a bundle holds only regular files and folders"},
            {climbing, BundleErrors.PARSE_FAILED, "climbing.hap: entry \"../escape\" points outside the bundle"},
            {notZip, BundleErrors.PARSE_FAILED, "garbage.hap: not a zip archive (zip END header not found)"},
            {scratch.resolve("nowhere"), BundleErrors.PARSE_FAILED, "bundle path " + scratch.resolve("nowhere")
                + ": no such folder or archive"},
            {bundle("downgrade", TestBundles.manifest("com.example.installed", 4)), BundleErrors.VERSION_DOWNGRADE,
                "com.example.installed: versionCode 4 is lower than the installed 5"},
            {bundle("service", withExtension(TestBundles.manifest("com.example.service", 1), "service", "")), 201,
                "module.extensionAbilities[0] \"Ext\" has type \"service\": only a system app with the "
                + "AllowAppUsePrivilegeExtension privilege (granted by the device's install list) may implement a "
                + "ServiceExtensionAbility"},
            {bundle("app-service", withExtension(TestBundles.manifest("com.example.appservice", 1), "appService",
                "requestPermissions: [{ name: 'ohos.permission.SUPPORT_APP_SERVICE_EXTENSION' }],")), 201,
                "module.extensionAbilities[0] \"Ext\" has type \"appService\": the bundle must request "
                + "ohos.permission.SUPPORT_APP_SERVICE_EXTENSION and the device's install list must grant it as an "
                + "ACL (not granted)"},
        };
        for (final Object[] bad : cases)
        {
            final BundleException refused = assertThrows(BundleException.class, () -> bms.install((Path)bad[0]),
                bad[0].toString());
            assertEquals(bad[1], refused.code(), refused.getMessage());
            assertEquals(bad[2], refused.getMessage());
            assertEquals(before, FoundationFixture.snapshot(layout.root()), "changed by " + bad[0]);
        }
        assertEquals(List.of("com.example.installed"), bms.list().stream().map(BundleRecord::bundleName).toList());
        final BundleException missing = assertThrows(BundleException.class, () -> bms.uninstall("com.example.none"));
        assertEquals(BundleErrors.BUNDLE_NOT_FOUND, missing.code());
        assertEquals("bundle com.example.none is not installed", missing.getMessage());
        assertEquals(before, FoundationFixture.snapshot(layout.root()));
    }

    private static String withExtension(final String manifest, final String type, final String moduleExtra)
    {
        return manifest.replace("abilities: [", moduleExtra + " extensionAbilities: [{ name: 'Ext', type: '" + type
            + "', srcEntry: 'io.harmonia.foundation.testapp.EntryAbility', exported: true }], abilities: [");
    }

    private void installList(final String entry) throws IOException
    {
        Files.writeString(installList, "{ install_list: [ {" + entry + "}, ], }", StandardCharsets.UTF_8);
    }

    @Test
    void theInstallListGrantsPrivilegesAndTheManifestCannot() throws Exception
    {
        installList(" bundleName: 'com.example.service', systemApp: true, apl: 'system_basic', "
            + "allowAppUsePrivilegeExtension: true ");
        final BundleRecord record = open().install(bundle("service",
            withExtension(TestBundles.manifest("com.example.service", 1), "service", "")));
        assertTrue(record.systemApp());
        assertTrue(record.allowAppUsePrivilegeExtension());
        assertEquals("system_basic", record.apl());
        installList(" bundleName: 'com.example.appservice', "
            + "allowedAcls: ['ohos.permission.SUPPORT_APP_SERVICE_EXTENSION'] ");
        final BundleRecord appService = open().install(bundle("app-service", withExtension(
            TestBundles.manifest("com.example.appservice", 1), "appService",
            "requestPermissions: [{ name: 'ohos.permission.SUPPORT_APP_SERVICE_EXTENSION' }],")));
        assertEquals(List.of("ohos.permission.SUPPORT_APP_SERVICE_EXTENSION"), appService.allowedAcls());
        assertFalse(appService.systemApp());
    }

    @Test
    void uidsAreAllocatedAsOpenHarmonyDoesAndStableAcrossRestarts() throws Exception
    {
        BundleManagerService bms = open();
        final int alpha = bms.install(bundle("a", TestBundles.manifest("com.example.alpha", 1))).uid();
        final int beta = bms.install(bundle("b", TestBundles.manifest("com.example.beta", 1))).uid();
        final int gamma = bms.install(bundle("c", TestBundles.manifest("com.example.gamma", 1))).uid();
        assertEquals(List.of(20010000, 20010001, 20010002), List.of(alpha, beta, gamma));
        bms.uninstall("com.example.beta");
        assertFalse(Files.exists(layout.data("el2", 100, "com.example.beta")));
        assertFalse(Files.exists(layout.code().resolve("com.example.beta")));

        bms = open();
        assertEquals(alpha, bms.get("com.example.alpha").uid());
        assertEquals(gamma, bms.get("com.example.gamma").uid());
        assertEquals(20010001, bms.install(bundle("d", TestBundles.manifest("com.example.delta", 1))).uid(),
            "the lowest free app id is reused");
        assertEquals(20010003, bms.install(bundle("e", TestBundles.manifest("com.example.epsilon", 1))).uid());
        bms = open();
        assertEquals(20010001, bms.get("com.example.delta").uid());
    }

    @Test
    void anUpdateKeepsTheUidTokenAndDataAndReplacesTheCode() throws Exception
    {
        final BundleManagerService bms = open();
        final BundleRecord first = bms.install(bundle("v1", TestBundles.manifest("com.example.alpha", 1)));
        final Path file = Path.of(first.dataDir(), "files", "kept");
        Files.writeString(file, "data");
        final BundleRecord second = bms.install(bundle("v2", TestBundles.manifest("com.example.alpha", 2)));
        assertEquals(first.uid(), second.uid());
        assertEquals(first.accessTokenId(), second.accessTokenId());
        assertEquals(2, second.versionCode());
        assertEquals("data", Files.readString(file));
        assertFalse(Files.exists(Path.of(first.codeDir())), "the old code folder is gone");
        assertTrue(Files.isDirectory(Path.of(second.codeDir())));
        assertEquals(first.installTime(), second.installTime());
        assertEquals(1, FileTrees.list(layout.code().resolve("com.example.alpha")).size());
        final BundleRecord same = bms.install(bundle("v2again", TestBundles.manifest("com.example.alpha", 2)));
        assertEquals(2, same.versionCode(), "the same version reinstalls");
    }

    @Test
    void leftoversOfAnInterruptedChangeAreRemovedAtStart() throws Exception
    {
        final BundleManagerService bms = open();
        final BundleRecord kept = bms.install(bundle("a", TestBundles.manifest("com.example.alpha", 1)));
        final Path orphanCode = layout.code().resolve("com.example.ghost/0123456789abcdef");
        final Path staleCode = layout.code().resolve("com.example.alpha/fedcba9876543210");
        final Path orphanData = layout.data("el2", 100, "com.example.ghost");
        final Path staged = layout.staging().resolve("0011223344556677");
        for (final Path folder : List.of(orphanCode, staleCode, orphanData, staged))
        {
            Files.createDirectories(folder.resolve("inside"));
        }
        open();
        for (final Path folder : List.of(orphanCode, staleCode, orphanData, staged, orphanCode.getParent()))
        {
            assertFalse(Files.exists(folder), folder + " survived");
        }
        assertTrue(Files.isDirectory(Path.of(kept.codeDir())));
        assertTrue(Files.isDirectory(Path.of(kept.dataDir())));
    }
}
