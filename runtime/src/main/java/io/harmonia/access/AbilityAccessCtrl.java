package io.harmonia.access;

import io.harmonia.ability.FoundationServices;

/** The seeds' {@code abilityAccessCtrl} module: {@link #createAtManager()}. */
public final class AbilityAccessCtrl
{
    private AbilityAccessCtrl()
    {
    }

    /**
     * An access token manager client of this process's foundation instance ({@link FoundationServices#instance()}).
     *
     * @return a client (it connects on first use).
     */
    public static AtManager createAtManager()
    {
        return new AtManager(FoundationServices.instance());
    }

    /**
     * An access token manager client of a named foundation instance.
     *
     * @param instance the instance.
     * @return a client.
     */
    public static AtManager createAtManager(final String instance)
    {
        return new AtManager(instance);
    }
}
