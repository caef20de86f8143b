package io.harmonia.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class HarmoniaTest
{
    @Test
    void loadedLibraryHasTheVersionTheBuildDeclares()
    {
        assertEquals(NativeLibrary.expectedVersion(), Harmonia.version());
    }

    @Test
    void versionNumberEncodesTheVersionString()
    {
        final int[] parts = Arrays.stream(Harmonia.version().split("\\.")).mapToInt(Integer::parseInt).toArray();
        assertEquals((parts[0] << 16) | (parts[1] << 8) | parts[2], Harmonia.versionNumber());
    }

    @Test
    void libraryArchitectureMatchesTheJvm()
    {
        assertEquals(NativeLibrary.platformFolder(), "linux-" + Harmonia.arch());
    }

    @Test
    void bindingsKnowEveryFeatureTheLibraryReportsAndAgreeOnNames()
    {
        assertEquals(0, Harmonia.unknownFeatureBits());
        final List<String> expected = Harmonia.features().stream().map(Feature::cName).toList();
        assertEquals(expected, Harmonia.featureNames());
    }

    @Test
    void memfdAndFutexAreReportedOnThisKernel()
    {
        // Both exist on every Linux this project supports (memfd since 3.17, futex since 2.6).
        assertTrue(Harmonia.features().contains(Feature.MEMFD), Harmonia.features().toString());
        assertTrue(Harmonia.features().contains(Feature.FUTEX), Harmonia.features().toString());
    }

    @Test
    void selinuxFeatureMatchesTheMountTable() throws IOException
    {
        final boolean mounted = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
            .anyMatch(line -> line.contains(" selinuxfs "));
        assertEquals(mounted, Harmonia.features().contains(Feature.SELINUX));
    }
}
