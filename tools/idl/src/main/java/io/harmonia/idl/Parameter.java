package io.harmonia.idl;

/**
 * A parameter of a method.
 *
 * @param direction [in], [out] or [inout].
 * @param type      its type.
 * @param name      its IDL name.
 * @param position  where its name is.
 */
record Parameter(Direction direction, IdlType type, String name, Position position)
{
}
