package io.harmonia.bindings.queue;

/**
 * One ring of a region to create.
 *
 * @param capacity data bytes: a power of two from {@link RegionLayout#MIN_CAPACITY} to
 *                 {@link RegionLayout#MAX_CAPACITY} (checked by the library, which names the field).
 * @param kind     the variant.
 */
public record RingSpec(int capacity, RingKind kind)
{
}
