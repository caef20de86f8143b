package io.harmonia.foundation.bundle;

/**
 * Told after a bundle change has been committed (the ability manager stops the bundle's process on an update or an
 * uninstall). Runs on the thread that made the change, with no lock of the bundle manager held.
 */
public interface BundleListener
{
    /**
     * A bundle was installed, updated or uninstalled.
     *
     * @param before its record before (null for a new install).
     * @param after  its record after (null for an uninstall).
     */
    void bundleChanged(BundleRecord before, BundleRecord after);
}
