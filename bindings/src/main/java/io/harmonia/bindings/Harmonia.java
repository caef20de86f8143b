package io.harmonia.bindings;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The loaded libharmonia: its version, architecture and features. Every method loads the library on
 * first use and throws {@link NativeLibraryError} (naming the fix) when it cannot be used.
 */
public final class Harmonia
{
    private Harmonia()
    {
    }

    /**
     * The library's version.
     *
     * @return "major.minor.patch".
     */
    public static String version()
    {
        NativeLibrary.ensureLoaded();
        return LibHarmonia.hm_version().getString(0);
    }

    /**
     * The library's version as a number.
     *
     * @return major &lt;&lt; 16 | minor &lt;&lt; 8 | patch.
     */
    public static int versionNumber()
    {
        NativeLibrary.ensureLoaded();
        return LibHarmonia.hm_version_number();
    }

    /**
     * The architecture the library was built for.
     *
     * @return "x86_64", "aarch64" or "armhf".
     */
    public static String arch()
    {
        NativeLibrary.ensureLoaded();
        return LibHarmonia.hm_arch().getString(0);
    }

    /**
     * The features that hold for this library on this host.
     *
     * @return the known features; see {@link #unknownFeatureBits()} for bits a newer library may add.
     */
    public static Set<Feature> features()
    {
        NativeLibrary.ensureLoaded();
        final long bits = LibHarmonia.hm_features();
        final EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
        for (final Feature feature : Feature.values())
        {
            if (0 != (bits & feature.bit()))
            {
                features.add(feature);
            }
        }
        return Collections.unmodifiableSet(features);
    }

    /**
     * Feature bits the library reports that these bindings have no constant for.
     *
     * @return the bits, 0 when the bindings know every one.
     */
    public static long unknownFeatureBits()
    {
        NativeLibrary.ensureLoaded();
        long known = 0;
        for (final Feature feature : Feature.values())
        {
            known |= feature.bit();
        }
        return LibHarmonia.hm_features() & ~known;
    }

    /**
     * The names the C library gives to each feature bit it reports, in bit order.
     *
     * @return the names, as {@code hm_feature_name} returns them.
     */
    public static List<String> featureNames()
    {
        NativeLibrary.ensureLoaded();
        final long bits = LibHarmonia.hm_features();
        final List<String> names = new ArrayList<>();
        for (int bit = 0; bit < Long.SIZE; bit++)
        {
            final long feature = 1L << bit;
            if (0 != (bits & feature))
            {
                final MemorySegment name = LibHarmonia.hm_feature_name(feature);
                names.add(MemorySegment.NULL.equals(name) ? "bit" + bit : name.getString(0));
            }
        }
        return List.copyOf(names);
    }
}
