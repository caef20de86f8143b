package io.harmonia.bindings.queue;

/** The two ring variants, with the numbers the region header stores. */
public enum RingKind
{
    /** One producer (thread or process) at a time; the tail advances with a plain release store. */
    ONE_TO_ONE(1),
    /** Any number of producers, threads or processes; claims use a compare-and-swap on the tail. */
    MANY_TO_ONE(2);

    private final int code;

    RingKind(final int code)
    {
        this.code = code;
    }

    /**
     * The number stored in the region header.
     *
     * @return 1 or 2.
     */
    public int code()
    {
        return code;
    }

    static RingKind of(final int code)
    {
        return 1 == code ? ONE_TO_ONE : MANY_TO_ONE;
    }
}
