package io.harmonia.idl;

/**
 * One token of an IDL file.
 *
 * @param kind     what it is.
 * @param text     its characters (empty at the end of the file).
 * @param position where it starts.
 */
record Token(Kind kind, String text, Position position)
{
    /** The kinds of token: keywords are identifiers, told apart by the parser. */
    enum Kind
    {
        /** A name or keyword: a letter or '_', then letters, digits and '_'. */
        IDENTIFIER,
        /** A number (only attributes the compiler refuses take one). */
        NUMBER,
        /** One printable ASCII character that is not part of a name or number: '.', ';', '[', '=', ... */
        SYMBOL,
        /** The end of the file. */
        END
    }

    boolean is(final String symbolOrWord)
    {
        return kind != Kind.END && kind != Kind.NUMBER && text.equals(symbolOrWord);
    }

    /**
     * How the token is quoted in an error message.
     *
     * @return e.g. {@code 'interface'} or {@code end of file}.
     */
    String describe()
    {
        return kind == Kind.END ? "end of file" : "'" + text + "'";
    }
}
