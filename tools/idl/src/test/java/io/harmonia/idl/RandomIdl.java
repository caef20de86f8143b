package io.harmonia.idl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Valid IDL files made at random from a seed: random methods with random directions and types (nested up to
 * three levels, with the sequenceable Point, the interface IListener, bare remote objects and the interface
 * itself), one-way methods, and parameter names chosen to collide with the names the generator uses.
 */
final class RandomIdl
{
    /** Names that the generated code also uses for its own variables and helpers. */
    private static final List<String> NAMES = List.of(
        "count", "i", "i2", "array", "list", "map", "entry", "element", "key", "request", "reply", "option",
        "answer", "outcome", "values", "result", "failure", "errCode", "returnValue", "remote", "data", "token",
        "thrown", "rejected", "unreadable", "answered", "code", "value", "field", "source",
        "target", "proxy", "first2", "count2", "errCode_", "object", "service", "registered", "limit");
    private static final List<String> LEAVES = List.of(
        "boolean", "byte", "short", "int", "long", "float", "double", "String", "Point", "IListener",
        "IRemoteObject");

    private RandomIdl()
    {
    }

    /**
     * One valid IDL file.
     *
     * @param random the source of choices.
     * @param index  numbers the interface: {@code OHOS.Fuzz.Gen<index>.IGen<index>}.
     * @return the file's text; its name must be {@code IGen<index>.idl}.
     */
    static String generate(final Random random, final int index)
    {
        final String self = "IGen" + index;
        final StringBuilder idl = new StringBuilder()
            .append("sequenceable OHOS.Harmonia.Test.Point;\n")
            .append("sequenceable OHOS.IRemoteObject;\n")
            .append("interface OHOS.Harmonia.Test.IListener;\n")
            .append("interface OHOS.Fuzz.Gen").append(index).append('.').append(self).append(" {\n");
        final int methods = 1 + random.nextInt(6);
        for (int m = 0; m < methods; m++)
        {
            final boolean oneway = random.nextInt(5) == 0;
            idl.append("    ");
            if (oneway)
            {
                idl.append("[oneway] void ");
            }
            else
            {
                idl.append(random.nextInt(4) == 0 ? "void" : type(random, self, 0)).append(' ');
            }
            idl.append('M').append(m).append(random.nextBoolean() ? "Do" : "getValue").append('(');
            final List<String> names = new ArrayList<>(NAMES);
            final int parameters = random.nextInt(5);
            for (int p = 0; p < parameters; p++)
            {
                if (p > 0)
                {
                    idl.append(", ");
                }
                final String direction = oneway ? "in" : List.of("in", "out", "inout").get(random.nextInt(3));
                idl.append('[').append(direction).append("] ").append(type(random, self, 0)).append(' ')
                    .append(names.remove(random.nextInt(names.size())));
            }
            idl.append(");\n");
        }
        return idl.append("}\n").toString();
    }

    private static String type(final Random random, final String self, final int depth)
    {
        final int choice = depth >= 3 ? 0 : random.nextInt(8);
        return switch (choice)
        {
            case 1 -> type(random, self, depth + 1) + "[]";
            case 2 -> "List<" + type(random, self, depth + 1) + ">";
            case 3 -> "Map<" + key(random, self, depth + 1) + ", " + type(random, self, depth + 1) + ">";
            case 4 -> self;
            default -> LEAVES.get(random.nextInt(LEAVES.size()));
        };
    }

    /** A map key: anything but an array. */
    private static String key(final Random random, final String self, final int depth)
    {
        final String type = type(random, self, depth);
        return type.endsWith("]") ? "String" : type;
    }
}
