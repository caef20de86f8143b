package io.harmonia.idl;

import java.util.HashMap;
import java.util.Map;

import com.palantir.javapoet.NameAllocator;

/**
 * Names of local variables in one generated method: the IDL parameter names are taken first and kept, and every
 * name the generator adds ({@code request}, {@code count}, {@code element2}...) avoids them and each other.
 */
final class LocalNames
{
    private final NameAllocator allocator;
    private final Map<String, Integer> uses;

    LocalNames()
    {
        this(new NameAllocator(), new HashMap<>());
    }

    private LocalNames(final NameAllocator allocator, final Map<String, Integer> uses)
    {
        this.allocator = allocator;
        this.uses = uses;
    }

    /**
     * Takes a name that must stay as it is (an IDL parameter).
     *
     * @param name the name.
     * @return the name.
     */
    String keep(final String name)
    {
        final String kept = allocator.newName(name);
        if (!kept.equals(name))
        {
            throw new IllegalStateException("name taken twice: " + name);
        }
        return name;
    }

    /**
     * A new name: the suggestion itself the first time, then the suggestion numbered from 2, with a '_' added
     * when an IDL name already has it.
     *
     * @param suggestion e.g. "count".
     * @return a name no other local of the method has.
     */
    String fresh(final String suggestion)
    {
        final int use = uses.merge(suggestion, 1, Integer::sum);
        return allocator.newName(1 == use ? suggestion : suggestion + use);
    }

    /**
     * A copy for a nested scope (one case of a switch): names taken in the copy do not show in this one.
     *
     * @return the copy.
     */
    LocalNames nested()
    {
        return new LocalNames(allocator.clone(), new HashMap<>(uses));
    }
}
