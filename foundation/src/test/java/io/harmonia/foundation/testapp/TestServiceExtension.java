package io.harmonia.foundation.testapp;

import io.harmonia.ability.ServiceExtensionAbility;
import io.harmonia.ability.Want;
import io.harmonia.rpc.RemoteObject;

/**
 * The test bundles' ServiceExtensionAbility (the [001] seed's ServiceExtAbility): every callback logged, one stub
 * object ({@link SeedStubs.ServiceStub001}, descriptor "ExtImpl") made once and returned from every onConnect.
 */
public final class TestServiceExtension extends ServiceExtensionAbility
{
    private final RemoteObject serviceExtImpl = new SeedStubs.ServiceStub001("ExtImpl", this::getContext);

    /** For the host. */
    public TestServiceExtension()
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
        return ServiceBehaviour.onConnect(getContext(), want) ? serviceExtImpl : null;
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
