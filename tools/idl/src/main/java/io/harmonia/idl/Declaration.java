package io.harmonia.idl;

/**
 * A forward declaration: {@code sequenceable ns.Name;} or {@code interface ns.Name;}.
 *
 * @param sequenceable true for a sequenceable, false for an interface.
 * @param name         the declared name.
 * @param position     where the name is.
 */
record Declaration(boolean sequenceable, QualifiedName name, Position position)
{
}
