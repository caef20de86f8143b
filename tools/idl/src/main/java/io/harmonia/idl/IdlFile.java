package io.harmonia.idl;

import java.util.List;

/**
 * One parsed IDL file.
 *
 * @param file         the file as the user named it.
 * @param packageName  the namespace of its {@code package} statement, or empty.
 * @param declarations its forward declarations.
 * @param definition   the interface it defines.
 */
record IdlFile(String file, String packageName, List<Declaration> declarations, InterfaceDefinition definition)
{
    IdlFile
    {
        declarations = List.copyOf(declarations);
    }
}
