package io.harmonia.idl;

/**
 * A place in a source file.
 *
 * @param file   the file as the user named it.
 * @param line   the line, from 1.
 * @param column the column, from 1, in UTF-16 units.
 */
public record Position(String file, int line, int column)
{
}
