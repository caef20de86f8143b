package io.harmonia.ability;

/**
 * The context of a {@link UIAbility}: the ability context plus its life state, which the ability manager drives.
 * The ability manager also knows which ability has the focus (the one it brought to the foreground last); callers'
 * rights that depend on it ("a third-party app may connect only while focused in the foreground") are judged there,
 * from its own records, never from what a process claims.
 */
public final class UIAbilityContext extends AbilityContext
{
    private volatile AbilityState state = AbilityState.INITIAL;

    UIAbilityContext(final ApplicationInfo application, final String abilityName)
    {
        super(application, abilityName);
    }

    /**
     * The ability's state in this process.
     *
     * @return its state.
     */
    public AbilityState getState()
    {
        return state;
    }

    /**
     * Whether the ability is in the foreground.
     *
     * @return true in {@link AbilityState#FOREGROUND}.
     */
    public boolean isForeground()
    {
        return AbilityState.FOREGROUND == state;
    }

    void state(final AbilityState state)
    {
        this.state = state;
    }
}
