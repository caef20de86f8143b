package io.harmonia.idl;

import java.util.List;

/**
 * The interface an IDL file defines.
 *
 * @param name     its qualified name: the interface descriptor (token), e.g. {@code OHOS.IIdlServiceExt}.
 * @param oneway   declared {@code [oneway]}: every method is one way.
 * @param callback declared {@code [callback]} (no effect on the Java code, as in OpenHarmony).
 * @param methods  the methods in declaration order.
 * @param position where its name is.
 */
record InterfaceDefinition(QualifiedName name, boolean oneway, boolean callback, List<Method> methods,
    Position position)
{
    InterfaceDefinition
    {
        methods = List.copyOf(methods);
    }
}
