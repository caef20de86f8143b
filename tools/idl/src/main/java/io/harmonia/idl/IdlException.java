package io.harmonia.idl;

/**
 * The one error the IDL compiler reports: what is wrong and where, as compilers print it
 * ({@code IIdlServiceExt.idl:3:17: error: ...}). Lines and columns count from 1; a column counts UTF-16 units
 * (a tab is one column). Every failure of the compiler on any input is this exception: the parser, the checks
 * and the file handling never let another exception out.
 */
public final class IdlException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    /**
     * An error at a position of a source file.
     *
     * @param position where (file, line, column).
     * @param detail   what is wrong, naming the construct and the rule.
     */
    public IdlException(final Position position, final String detail)
    {
        super(position.file() + ":" + position.line() + ":" + position.column() + ": error: " + detail);
        this.file = position.file();
        this.line = position.line();
        this.column = position.column();
        this.detail = detail;
    }

    /**
     * An error about a whole file (it cannot be read, or is too large), reported at line 1, column 1.
     *
     * @param file   the file as the user named it.
     * @param detail what is wrong.
     * @param cause  the underlying failure, or null.
     */
    public IdlException(final String file, final String detail, final Throwable cause)
    {
        super(file + ":1:1: error: " + detail, cause);
        this.file = file;
        this.line = 1;
        this.column = 1;
        this.detail = detail;
    }

    /**
     * The file the error is in, as the user named it.
     *
     * @return the file name or path.
     */
    public String file()
    {
        return file;
    }

    /**
     * The line, from 1.
     *
     * @return the line.
     */
    public int line()
    {
        return line;
    }

    /**
     * The column, from 1.
     *
     * @return the column.
     */
    public int column()
    {
        return column;
    }

    /**
     * What is wrong, without the position.
     *
     * @return the detail.
     */
    public String detail()
    {
        return detail;
    }
}
