package io.harmonia.foundation.testapp;

/** A second UIAbility of the test bundles (same logging). */
public class SecondAbility extends EntryAbility
{
    /** For the host. */
    public SecondAbility()
    {
    }
}
