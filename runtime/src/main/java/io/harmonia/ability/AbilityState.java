package io.harmonia.ability;

/**
 * The life of a UIAbility in its minimal Linux form: there are no windows, so "foreground" means the one ability
 * the ability manager has brought to the front (at most one has the focus), and "background" every other live one.
 */
public enum AbilityState
{
    /** Created, not yet brought to the foreground. */
    INITIAL,
    /** In the foreground. */
    FOREGROUND,
    /** Alive in the background. */
    BACKGROUND,
    /** Destroyed (onDestroy ran, or its process died). */
    TERMINATED;

    /**
     * The state of a wire value.
     *
     * @param ordinal the value.
     * @return the state.
     * @throws IllegalArgumentException for an unknown value.
     */
    public static AbilityState of(final int ordinal)
    {
        final AbilityState[] states = values();
        if (ordinal < 0 || ordinal >= states.length)
        {
            throw new IllegalArgumentException("ability state " + ordinal + ": unknown");
        }
        return states[ordinal];
    }
}
