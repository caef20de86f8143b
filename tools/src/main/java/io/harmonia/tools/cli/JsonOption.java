package io.harmonia.tools.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Option;

/**
 * {@code --json} for every command whose output is data: one JSON document on stdout instead of the text form.
 * Errors stay in the text format on stderr and the exit status tells success, so a script checks the status
 * before it parses.
 */
public final class JsonOption
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print the result as one JSON document instead of text.")
    private boolean json;

    /**
     * Whether JSON was asked for.
     *
     * @return true with {@code --json}.
     */
    public boolean enabled()
    {
        return json;
    }

    /**
     * Prints a command's result: {@code data} as JSON with {@code --json}, else the text.
     *
     * @param out  the command's stdout.
     * @param data what to print as JSON.
     * @param text the text form.
     * @return {@link ExitCode#OK}.
     */
    public int print(final PrintWriter out, final Object data, final String text)
    {
        if (json)
        {
            print(out, data);
        }
        else
        {
            out.print(text);
            out.flush();
        }
        return ExitCode.OK;
    }

    /**
     * Prints a value (a record, map or list) as JSON.
     *
     * @param out   the command's stdout.
     * @param value what to print.
     */
    public static void print(final PrintWriter out, final Object value)
    {
        try
        {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", ex);
        }
    }
}
