package io.harmonia.foundation.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.harmonia.foundation.FoundationFixture;
import io.harmonia.foundation.StateLayout;
import io.harmonia.foundation.TestBundles;
import io.harmonia.foundation.bundle.BundleManagerService;
import io.harmonia.foundation.bundle.BundleRecord;
import io.harmonia.spawn.AccessTokenTable;

/** An install makes the bundle's AOT cache by a training run under the bundle's uid, and the launch file uses it. */
class AotCacheTest
{
    @Test
    void anInstallTrainsTheCacheAndTheLaunchFileNamesIt() throws Exception
    {
        FoundationFixture.requireRoot("AOT training under the bundle's uid");
        final Path scratch = FoundationFixture.scratch("harmonia-aot-");
        try
        {
            final StateLayout layout = new StateLayout(scratch.resolve("state"));
            final AppPlatform platform = AppPlatform.stage(layout.platform(), FoundationFixture.appClassPath(),
                Path.of(System.getProperty("java.home"), "bin", "java"));
            final BundleManagerService bms = BundleManagerService.open(layout, null, platform, new AppEnvironment("@harmonia.test.ams", "test",
            AccessTokenTable.DEFAULT_DIRECTORY),
                true);
            final BundleRecord record = bms.install(TestBundles.folder(scratch.resolve("src"),
                TestBundles.manifest("com.example.aot", 1), true));
            assertEquals("", record.aotNote(), record.aotNote());
            final Path cache = Path.of(record.aotCache());
            assertEquals(Path.of(record.codeDir(), LaunchPlan.AOT_CACHE), cache);
            assertTrue(Files.size(cache) > 1_000_000, "a cache of the runtime's classes: " + Files.size(cache));
            assertEquals(0, (int)Files.getAttribute(cache, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(0644, (int)Files.getAttribute(cache, "unix:mode") & 07777);
            assertTrue(Files.readString(Path.of(record.codeDir(), LaunchPlan.LAUNCH_FILE))
                .contains("\narg -XX:AOTCache=" + cache + "\n"));
            assertTrue(!Files.exists(Path.of(record.codeDir(), "aot.tmp")), "the training folder is removed");
        }
        finally
        {
            FoundationFixture.remove(scratch);
        }
    }
}
