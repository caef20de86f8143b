package io.harmonia.foundation.testapp;

import io.harmonia.ability.AppServiceExtensionAbility;
import io.harmonia.ability.Want;
import io.harmonia.rpc.RemoteObject;

/**
 * The test bundles' AppServiceExtensionAbility (the [000] seed's AppServiceExtAbility): every callback logged;
 * onConnect returns a new {@link SeedStubs.ServiceStub000} ("test") the first time after every onDisconnect, which
 * answers the [000] raw layout (errCode, then the message).
 */
public class TestAppServiceExtension extends AppServiceExtensionAbility
{
    /** For the host. */
    public TestAppServiceExtension()
    {
    }

    @Override
    public void onCreate(final Want want)
    {
        ServiceBehaviour.onCreate(getContext(), want);
    }

    @Override
    public void onRequest(final Want want, final int startId)
    {
        ServiceBehaviour.onRequest(getContext(), want, startId);
    }

    @Override
    public RemoteObject onConnect(final Want want)
    {
        return ServiceBehaviour.onConnect(getContext(), want) ? new SeedStubs.ServiceStub000("test", this::getContext)
            : null;
    }

    @Override
    public void onDisconnect(final Want want)
    {
        ServiceBehaviour.onDisconnect(getContext(), want);
    }

    @Override
    public void onDestroy()
    {
        ServiceBehaviour.onDestroy(getContext());
    }
}
