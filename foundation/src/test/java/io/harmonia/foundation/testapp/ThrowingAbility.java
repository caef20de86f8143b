package io.harmonia.foundation.testapp;

import io.harmonia.ability.UIAbility;
import io.harmonia.ability.Want;

/** A UIAbility whose onCreate throws: its start must fail with 16000050 and the process stay usable. */
public class ThrowingAbility extends UIAbility
{
    /** For the host. */
    public ThrowingAbility()
    {
    }

    @Override
    public void onCreate(final Want want)
    {
        throw new IllegalStateException("thrown on purpose by ThrowingAbility");
    }
}
