package io.harmonia.idl;

/**
 * Splits an IDL source into tokens, one at a time as the parser asks, so that a construct the compiler refuses is
 * reported by name before any odd character inside it. Skips white space, line comments (from two slashes to the
 * end of the line) and block comments (slash-star to star-slash). A character outside printable ASCII (outside
 * comments) is an error;
 * every other character that starts no name or number becomes a one-character {@link Token.Kind#SYMBOL}.
 */
final class Lexer
{
    private final String file;
    private final String text;
    private int offset;
    private int line = 1;
    private int column = 1;

    Lexer(final String file, final String text)
    {
        this.file = file;
        this.text = text;
    }

    /**
     * The next token.
     *
     * @return the token; {@link Token.Kind#END} at the end, again on every later call.
     * @throws IdlException for an unterminated block comment or a character the language does not have.
     */
    Token next() throws IdlException
    {
        skipSpaceAndComments();
        final Position start = position();
        if (offset >= text.length())
        {
            return new Token(Token.Kind.END, "", start);
        }
        final char first = text.charAt(offset);
        if (isNameStart(first))
        {
            return new Token(Token.Kind.IDENTIFIER, take(Lexer::isNamePart), start);
        }
        if (first >= '0' && first <= '9')
        {
            return new Token(Token.Kind.NUMBER, take(Lexer::isNamePart), start);
        }
        if (first > ' ' && first < 0x7f)
        {
            advance();
            return new Token(Token.Kind.SYMBOL, String.valueOf(first), start);
        }
        throw new IdlException(start, "unexpected character " + describe(first) +
            ": an IDL file holds printable ASCII outside comments");
    }

    private void skipSpaceAndComments() throws IdlException
    {
        while (offset < text.length())
        {
            final char c = text.charAt(offset);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            {
                advance();
            }
            else if (c == '/' && offset + 1 < text.length() && text.charAt(offset + 1) == '/')
            {
                while (offset < text.length() && text.charAt(offset) != '\n')
                {
                    advance();
                }
            }
            else if (c == '/' && offset + 1 < text.length() && text.charAt(offset + 1) == '*')
            {
                final Position start = position();
                advance();
                advance();
                while (!(offset + 1 < text.length() && text.charAt(offset) == '*' && text.charAt(offset + 1) == '/'))
                {
                    if (offset >= text.length())
                    {
                        throw new IdlException(start, "block comment is not closed: '*/' is missing");
                    }
                    advance();
                }
                advance();
                advance();
            }
            else
            {
                return;
            }
        }
    }

    private interface CharTest
    {
        boolean test(char c);
    }

    private String take(final CharTest part)
    {
        final int start = offset;
        while (offset < text.length() && part.test(text.charAt(offset)))
        {
            advance();
        }
        return text.substring(start, offset);
    }

    /** Moves one character on, counting lines: "\r\n", "\n" and a lone "\r" each end a line. */
    private void advance()
    {
        final char c = text.charAt(offset++);
        if (c == '\n' || (c == '\r' && (offset >= text.length() || text.charAt(offset) != '\n')))
        {
            line++;
            column = 1;
        }
        else
        {
            column++;
        }
    }

    private Position position()
    {
        return new Position(file, line, column);
    }

    private static boolean isNameStart(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(final char c)
    {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    private static String describe(final char c)
    {
        final String code = String.format("U+%04X", (int)c);
        return Character.isISOControl(c) || Character.isSurrogate(c) || Character.isWhitespace(c)
            ? code : "'" + c + "' (" + code + ")";
    }
}
