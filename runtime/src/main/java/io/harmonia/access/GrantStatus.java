package io.harmonia.access;

/** Whether a token holds a permission (OpenHarmony's {@code abilityAccessCtrl.GrantStatus}). */
public enum GrantStatus
{
    /** Not granted (also: unknown token, unknown permission, or no answer). */
    PERMISSION_DENIED(-1),
    /** Granted. */
    PERMISSION_GRANTED(0);

    private final int value;

    GrantStatus(final int value)
    {
        this.value = value;
    }

    /**
     * OpenHarmony's value.
     *
     * @return -1 or 0.
     */
    public int value()
    {
        return value;
    }

    /**
     * The status of a wire value.
     *
     * @param value -1 or 0.
     * @return the status; anything but 0 is {@link #PERMISSION_DENIED}.
     */
    public static GrantStatus of(final int value)
    {
        return 0 == value ? PERMISSION_GRANTED : PERMISSION_DENIED;
    }
}
