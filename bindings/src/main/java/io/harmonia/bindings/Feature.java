package io.harmonia.bindings;

/**
 * What libharmonia can do on this host: the {@code hm_feature} bits of {@code harmonia/harmonia.h},
 * with the same stable numbers and names.
 */
public enum Feature
{
    /** memfd_create works and accepts seals: shared-memory regions and large payloads. */
    MEMFD(1L, "memfd"),
    /** The futex system call works: blocking waits park in the kernel. */
    FUTEX(1L << 1, "futex"),
    /** SELinux is enabled in this kernel, so process labels can be applied. */
    SELINUX(1L << 2, "selinux"),
    /** The library was built with sanitizers. */
    SANITIZED(1L << 16, "sanitized");

    private final long bit;
    private final String cName;

    Feature(final long bit, final String cName)
    {
        this.bit = bit;
        this.cName = cName;
    }

    /**
     * The C bit value.
     *
     * @return one bit.
     */
    public long bit()
    {
        return bit;
    }

    /**
     * The name {@code hm_feature_name} gives this bit.
     *
     * @return the stable lower-case name.
     */
    public String cName()
    {
        return cName;
    }
}
