package io.harmonia.samgr;

/** samgr's record of a registered feature ({@code FeatureImpl}). */
final class FeatureImpl
{
    final Feature feature;
    final String name;
    final int featureId;
    volatile IUnknown api;
    /** Set when the feature's service initialises. */
    volatile Identity identity;

    FeatureImpl(final Feature feature, final String name, final int featureId)
    {
        this.feature = feature;
        this.name = name;
        this.featureId = featureId;
    }
}
