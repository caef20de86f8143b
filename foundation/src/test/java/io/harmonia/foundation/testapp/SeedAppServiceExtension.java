package io.harmonia.foundation.testapp;

import io.harmonia.ability.AppServiceExtensionAbility;
import io.harmonia.ability.Want;
import io.harmonia.rpc.RemoteObject;

/**
 * The [000] seed's sample as written: onConnect returns {@code new StubTest("test")}, a RemoteObject that handles
 * nothing (it overrides no request handler), so every request to it must fail cleanly (quirk 0.6).
 */
public class SeedAppServiceExtension extends AppServiceExtensionAbility
{
    /** For the host. */
    public SeedAppServiceExtension()
    {
    }

    /** The seed's StubTest: a constructor and nothing else. */
    static final class StubTest extends RemoteObject
    {
        StubTest(final String des)
        {
            super(des);
        }
    }

    @Override
    public void onCreate(final Want want)
    {
        EventLog.append(getContext(), "onCreate " + want.abilityName());
    }

    @Override
    public RemoteObject onConnect(final Want want)
    {
        EventLog.append(getContext(), "onConnect " + want.abilityName());
        return new StubTest("test");
    }

    @Override
    public void onDestroy()
    {
        EventLog.append(getContext(), "onDestroy");
    }
}
