package io.harmonia.tools;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * One entry point for every command-line tool: {@code java -jar harmonia-tools.jar <command> [args]}.
 * Each tool registers here under its command name and returns its exit status.
 */
public final class Main
{
    private Main()
    {
    }

    /** The commands, by name: each takes its own arguments and returns an exit status. */
    static Map<String, ToIntFunction<String[]>> commands()
    {
        final Map<String, ToIntFunction<String[]>> commands = new TreeMap<>();
        commands.put("demo", args ->
        {
            Demo.main(args);
            return 0;
        });
        commands.put("aa", args -> AaCommand.run(args, System.out, System.err));
        return commands;
    }

    static int run(final String[] args, final PrintStream err)
    {
        final Map<String, ToIntFunction<String[]>> commands = commands();
        if (0 == args.length || !commands.containsKey(args[0]))
        {
            err.println("usage: harmonia-tools <command> [args...]; commands: " + String.join(", ", commands.keySet()));
            return 2;
        }
        return commands.get(args[0]).applyAsInt(Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Entry point.
     *
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.err));
    }
}
