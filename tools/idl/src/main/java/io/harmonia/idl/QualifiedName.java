package io.harmonia.idl;

/**
 * A name with its namespace, as in {@code OHOS.IIdlServiceExt}: namespace {@code OHOS}, simple name
 * {@code IIdlServiceExt}.
 *
 * @param namespace  the dotted namespace, empty when the name has none.
 * @param simpleName the last part.
 */
record QualifiedName(String namespace, String simpleName)
{
    /**
     * Splits a dotted name at its last dot.
     *
     * @param dotted e.g. {@code OHOS.fcallback.ICallback}.
     * @return the name.
     */
    static QualifiedName parse(final String dotted)
    {
        final int dot = dotted.lastIndexOf('.');
        return dot < 0 ? new QualifiedName("", dotted)
            : new QualifiedName(dotted.substring(0, dot), dotted.substring(dot + 1));
    }

    /** The dotted name: the interface descriptor for an interface. */
    @Override
    public String toString()
    {
        return namespace.isEmpty() ? simpleName : namespace + "." + simpleName;
    }
}
