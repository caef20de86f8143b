package io.harmonia.samgr;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * OpenHarmony's {@code Vector} as samgr uses it for services and features: an element's id is its index, the
 * vector grows by 4, and a freed slot is reused only when the vector is full (scanning down from the top). Ids are
 * therefore reused after an unregister, which is why {@link Identity} carries a generation.
 *
 * <p>Writers hold samgr's lock; readers read without it (the element array is published through a volatile field
 * and its elements are read with volatile semantics).
 */
final class SlotVector<T>
{
    /** {@code GROW_STEP}. */
    static final int GROW_STEP = 4;

    private volatile AtomicReferenceArray<T> elements = new AtomicReferenceArray<>(GROW_STEP);
    private int top;
    private int max;
    private int free;

    /**
     * Stores a new element at the index the C vector would pick. Caller holds the lock.
     *
     * @param factory makes the element from its index.
     * @return the index.
     */
    int add(final IntFunction<T> factory)
    {
        final AtomicReferenceArray<T> current = elements;
        if (top >= max)
        {
            for (int i = top - 1; i >= 0; i--)
            {
                if (null == current.get(i))
                {
                    current.set(i, factory.apply(i));
                    free--;
                    return i;
                }
            }
            max += GROW_STEP;
            if (max > current.length())
            {
                final AtomicReferenceArray<T> grown = new AtomicReferenceArray<>(Math.max(max, current.length() * 2));
                for (int i = 0; i < top; i++)
                {
                    grown.set(i, current.get(i));
                }
                elements = grown;
            }
        }
        final int index = top;
        elements.set(index, factory.apply(index));
        top++;
        return index;
    }

    /**
     * Empties a slot ({@code VECTOR_Swap(vector, index, NULL)}). Caller holds the lock.
     *
     * @return the element that was there, or null.
     */
    T remove(final int index)
    {
        if (index < 0 || index >= top)
        {
            return null;
        }
        final T previous = elements.getAndSet(index, null);
        if (null != previous)
        {
            free++;
        }
        return previous;
    }

    /**
     * The element at an index; any thread.
     *
     * @return the element, or null for an empty or out-of-range slot.
     */
    T get(final int index)
    {
        final AtomicReferenceArray<T> current = elements;
        return index < 0 || index >= current.length() ? null : current.get(index);
    }

    /**
     * {@code VECTOR_Size}: slots in use or freed, i.e. one past the highest index ever handed out. Caller holds the
     * lock for an exact answer.
     */
    int size()
    {
        return top;
    }

    /** {@code VECTOR_Num}: live elements. Caller holds the lock for an exact answer. */
    int count()
    {
        return top - free;
    }
}
