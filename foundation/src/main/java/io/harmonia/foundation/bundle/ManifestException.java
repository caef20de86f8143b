package io.harmonia.foundation.bundle;

import java.util.List;

/**
 * A bundle that breaks the rules: every violation found, each naming the field (or file) and the limit. Nothing
 * was changed when one is thrown.
 */
public final class ManifestException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** The violations, each a sentence naming its field. */
    private final transient List<String> violations;

    /**
     * A refused bundle.
     *
     * @param violations at least one.
     */
    public ManifestException(final List<String> violations)
    {
        super(String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * The violations.
     *
     * @return one sentence each.
     */
    public List<String> violations()
    {
        return violations;
    }
}
