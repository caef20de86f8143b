package io.harmonia.ability;

/** A lifecycle request that failed inside an app process or the ability manager, with its OpenHarmony code. */
public final class AbilityException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * A failure.
     *
     * @param code    one of {@link AbilityErrors}.
     * @param message what failed, naming the ability.
     */
    public AbilityException(final int code, final String message)
    {
        super(message);
        this.code = code;
    }

    /**
     * The code.
     *
     * @return e.g. 16000001.
     */
    public int code()
    {
        return code;
    }
}
