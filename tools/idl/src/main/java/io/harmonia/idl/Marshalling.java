package io.harmonia.idl;

import java.util.TreeMap;

import javax.lang.model.element.Modifier;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;

/**
 * The statements that write an IDL value into a MessageSequence and read it back, in the layout of
 * OpenHarmony's generated C++ proxy and stub (docs/idl.md has the table):
 *
 * <ul>
 * <li>boolean: int32 1 or 0 (read: 1 is true, anything else false); byte and short: widened to int32;
 *     int: int32; long: int64; float, double: IEEE 754; String: {@code writeString} (UTF-16).</li>
 * <li>T[] and List&lt;T&gt;: int32 count, then each element; Map&lt;K, V&gt;: int32 count, then key and value of
 *     each entry. Counts are limited to 102400 (OpenHarmony's VECTOR_MAX_SIZE, LIST_MAX_SIZE, MAP_MAX_SIZE) on
 *     both sides, and a count read is also checked against the bytes left before anything is allocated.</li>
 * <li>sequenceable: int32 1, then what its {@code marshalling} writes; read: the int32 (0, OpenHarmony's null, is
 *     refused), then {@code unmarshalling} into a new instance.</li>
 * <li>interface: {@code writeRemoteObject(value.asObject())}; read: {@code Name.asInterface(readRemoteObject())}.</li>
 * </ul>
 *
 * A null reference to write is refused with 401 naming the field. One instance serves one generated class and
 * records which helper methods and limits its code uses; {@link #addHelpers} adds exactly those.
 */
final class Marshalling
{
    /** OpenHarmony's limit on elements of an array, list or map (ability_idl_tool, IDL-CPP.md). */
    static final int MAX_ELEMENTS = 102400;

    /** The value read and the statements that must run first. */
    record Read(CodeBlock statements, CodeBlock value)
    {
        static Read of(final String format, final Object... args)
        {
            return new Read(CodeBlock.builder().build(), CodeBlock.of(format, args));
        }
    }

    private final TreeMap<String, String> limits = new TreeMap<>();
    private boolean requireValue;
    private boolean checkCount;
    private boolean readCount;

    /**
     * Statements that write a value.
     *
     * @param type   the IDL type.
     * @param target the MessageSequence variable.
     * @param value  an expression of the Java type (of the boxed type when {@code boxed}), evaluated once.
     * @param field  the field name for error messages.
     * @param boxed  whether a primitive arrives boxed (from a List or Map) and may be null.
     * @param names  the method's local names.
     * @return the statements.
     */
    CodeBlock write(final IdlType type, final String target, final CodeBlock value, final String field,
        final boolean boxed, final LocalNames names)
    {
        if (type instanceof IdlType.Primitive primitive)
        {
            final CodeBlock checked = boxed ? required(value, field) : value;
            return switch (primitive)
            {
                case BOOLEAN -> CodeBlock.builder().addStatement("$L.writeInt($L ? 1 : 0)", target, checked).build();
                case BYTE, SHORT, INT -> CodeBlock.builder().addStatement("$L.writeInt($L)", target, checked).build();
                case LONG -> CodeBlock.builder().addStatement("$L.writeLong($L)", target, checked).build();
                case FLOAT -> CodeBlock.builder().addStatement("$L.writeFloat($L)", target, checked).build();
                case DOUBLE -> CodeBlock.builder().addStatement("$L.writeDouble($L)", target, checked).build();
            };
        }
        if (type instanceof IdlType.Text)
        {
            return CodeBlock.builder().addStatement("$L.writeString($L)", target, required(value, field)).build();
        }
        if (type instanceof IdlType.RemoteObject)
        {
            return CodeBlock.builder().addStatement("$L.writeRemoteObject($L)", target, required(value, field)).build();
        }
        if (type instanceof IdlType.Interface)
        {
            return CodeBlock.builder().addStatement("$L.writeRemoteObject($L.asObject())", target,
                required(value, field)).build();
        }
        if (type instanceof IdlType.Sequenceable sequenceable)
        {
            // OpenHarmony's WriteParcelable: 1 for "present", then the object's own fields.
            return CodeBlock.builder()
                .addStatement("$L.writeInt(1)", target)
                .beginControlFlow("if (!$L.marshalling($L))", required(value, field), target)
                .addStatement("throw new $T($T.WRITE_DATA_TO_MESSAGE_SEQUENCE_ERROR, $S)", JavaTypes.RPC_EXCEPTION,
                    JavaTypes.RPC_EXCEPTION, "field '" + field + "': " + sequenceable.name().simpleName() +
                    ".marshalling returned false")
                .endControlFlow()
                .build();
        }
        if (type instanceof IdlType.Array array && !JavaTypes.isListArray(array))
        {
            return writeElements(array.element(), target, value, field, names, "VECTOR_MAX_SIZE", "length", false);
        }
        if (type instanceof IdlType.Array array)
        {
            return writeElements(array.element(), target, value, field, names, "VECTOR_MAX_SIZE", "size()", true);
        }
        if (type instanceof IdlType.ListOf list)
        {
            return writeElements(list.element(), target, value, field, names, "LIST_MAX_SIZE", "size()", true);
        }
        if (type instanceof IdlType.MapOf map)
        {
            checkCount = true;
            final String entry = names.fresh("entry");
            final TypeName entryType = ParameterizedTypeName.get(JavaTypes.MAP_ENTRY, JavaTypes.boxed(map.key()),
                JavaTypes.boxed(map.value()));
            final CodeBlock.Builder code = CodeBlock.builder();
            final String local;
            if (isName(value))
            {
                local = value.toString();
                code.addStatement("$L.writeInt(checkCount($L.size(), $L, $S))", target, required(value, field),
                    limit("MAP_MAX_SIZE"), field);
            }
            else
            {
                local = names.fresh("map");
                code.addStatement("final $T $L = $L", JavaTypes.of(type), local, required(value, field))
                    .addStatement("$L.writeInt(checkCount($L.size(), $L, $S))", target, local, limit("MAP_MAX_SIZE"),
                        field);
            }
            return code.beginControlFlow("for (final $T $L : $L.entrySet())", entryType, entry, local)
                .add(write(map.key(), target, CodeBlock.of("$L.getKey()", entry), field + ".key", true, names))
                .add(write(map.value(), target, CodeBlock.of("$L.getValue()", entry), field + ".value", true, names))
                .endControlFlow()
                .build();
        }
        throw new IllegalStateException("cannot write " + type.idl());
    }

    private CodeBlock writeElements(final IdlType element, final String target, final CodeBlock value,
        final String field, final LocalNames names, final String limitName, final String countMember,
        final boolean boxedElements)
    {
        checkCount = true;
        final String each = names.fresh("element");
        final TypeName elementType = boxedElements ? JavaTypes.boxed(element) : JavaTypes.of(element);
        final TypeName containerType = boxedElements ? ParameterizedTypeName.get(JavaTypes.LIST, elementType)
            : ArrayTypeName.of(elementType);
        final CodeBlock.Builder code = CodeBlock.builder();
        final String local;
        if (isName(value))
        {
            // A parameter or lambda variable: checked where it is counted, then used as it is.
            local = value.toString();
            code.addStatement("$L.writeInt(checkCount($L.$L, $L, $S))", target, required(value, field), countMember,
                limit(limitName), field);
        }
        else
        {
            local = names.fresh(boxedElements ? "list" : "array");
            code.addStatement("final $T $L = $L", containerType, local, required(value, field))
                .addStatement("$L.writeInt(checkCount($L.$L, $L, $S))", target, local, countMember, limit(limitName),
                    field);
        }
        return code
            .beginControlFlow("for (final $T $L : $L)", elementType, each, local)
            .add(write(element, target, CodeBlock.of("$L", each), field + "[]", boxedElements, names))
            .endControlFlow()
            .build();
    }

    /**
     * Statements that read a value.
     *
     * @param type   the IDL type.
     * @param source the MessageSequence variable.
     * @param field  the field name for error messages.
     * @param names  the method's local names.
     * @param into   the variable a container or sequenceable is read into (already taken from {@code names}), or
     *               null for a new one.
     * @return the statements and the expression of the value (evaluate it once, after the statements); the
     *         expression is {@code into} itself when the statements declared it.
     */
    Read read(final IdlType type, final String source, final String field, final LocalNames names,
        final String into)
    {
        if (type instanceof IdlType.Primitive primitive)
        {
            return switch (primitive)
            {
                case BOOLEAN -> Read.of("$L.readInt() == 1", source);
                case BYTE -> Read.of("(byte) $L.readInt()", source);
                case SHORT -> Read.of("(short) $L.readInt()", source);
                case INT -> Read.of("$L.readInt()", source);
                case LONG -> Read.of("$L.readLong()", source);
                case FLOAT -> Read.of("$L.readFloat()", source);
                case DOUBLE -> Read.of("$L.readDouble()", source);
            };
        }
        if (type instanceof IdlType.Text)
        {
            return Read.of("$L.readString()", source);
        }
        if (type instanceof IdlType.RemoteObject)
        {
            return Read.of("$L.readRemoteObject()", source);
        }
        if (type instanceof IdlType.Interface)
        {
            return Read.of("$T.asInterface($L.readRemoteObject())", JavaTypes.of(type), source);
        }
        if (type instanceof IdlType.Sequenceable sequenceable)
        {
            final String local = null != into ? into : names.fresh("sequenceable");
            final String name = sequenceable.name().simpleName();
            final CodeBlock statements = CodeBlock.builder()
                .beginControlFlow("if (0 == $L.readInt())", source)
                .addStatement("throw new $T($T.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, $S)", JavaTypes.RPC_EXCEPTION,
                    JavaTypes.RPC_EXCEPTION, "field '" + field + "': a null " + name + " (flag 0) cannot be read")
                .endControlFlow()
                .addStatement("final $T $L = new $T()", JavaTypes.of(type), local, JavaTypes.of(type))
                .beginControlFlow("if (!$L.unmarshalling($L))", local, source)
                .addStatement("throw new $T($T.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, $S)", JavaTypes.RPC_EXCEPTION,
                    JavaTypes.RPC_EXCEPTION, "field '" + field + "': " + name + ".unmarshalling returned false")
                .endControlFlow()
                .build();
            return new Read(statements, CodeBlock.of("$L", local));
        }
        if (type instanceof IdlType.Array array && !JavaTypes.isListArray(array))
        {
            return readArray(array, source, field, names, into);
        }
        if (type instanceof IdlType.Array array)
        {
            return readList(array.element(), source, field, names, "VECTOR_MAX_SIZE", into);
        }
        if (type instanceof IdlType.ListOf list)
        {
            return readList(list.element(), source, field, names, "LIST_MAX_SIZE", into);
        }
        if (type instanceof IdlType.MapOf map)
        {
            return readMap(map, source, field, names, into);
        }
        throw new IllegalStateException("cannot read " + type.idl());
    }

    private Read readArray(final IdlType.Array array, final String source, final String field,
        final LocalNames names, final String into)
    {
        final String count = readCountInto(source, field, names, "VECTOR_MAX_SIZE");
        final String local = null != into ? into : names.fresh("array");
        final String index = names.fresh("i");
        final Read element = read(array.element(), source, field + "[]", names, null);
        // new int[count][] for an int[][]: the count goes on the outermost dimension.
        TypeName innermost = JavaTypes.of(array.element());
        final StringBuilder dimensions = new StringBuilder();
        while (innermost instanceof ArrayTypeName nested)
        {
            innermost = nested.componentType();
            dimensions.append("[]");
        }
        final CodeBlock statements = CodeBlock.builder()
            .add(countStatement(source, field, count, "VECTOR_MAX_SIZE"))
            .addStatement("final $T $L = new $T[$L]$L", JavaTypes.of(array), local, innermost, count, dimensions)
            .beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, count, index)
            .add(element.statements())
            .addStatement("$L[$L] = $L", local, index, element.value())
            .endControlFlow()
            .build();
        return new Read(statements, CodeBlock.of("$L", local));
    }

    private Read readList(final IdlType element, final String source, final String field, final LocalNames names,
        final String limitName, final String into)
    {
        final String count = readCountInto(source, field, names, limitName);
        final String local = null != into ? into : names.fresh("list");
        final String index = names.fresh("i");
        final Read item = read(element, source, field + "[]", names, null);
        final CodeBlock statements = CodeBlock.builder()
            .add(countStatement(source, field, count, limitName))
            .addStatement("final $T $L = new $T<>($L)", ParameterizedTypeName.get(JavaTypes.LIST,
                JavaTypes.boxed(element)), local, JavaTypes.ARRAY_LIST, count)
            .beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, count, index)
            .add(item.statements())
            .addStatement("$L.add($L)", local, item.value())
            .endControlFlow()
            .build();
        return new Read(statements, CodeBlock.of("$L", local));
    }

    private Read readMap(final IdlType.MapOf map, final String source, final String field, final LocalNames names,
        final String into)
    {
        final String count = readCountInto(source, field, names, "MAP_MAX_SIZE");
        final String local = null != into ? into : names.fresh("map");
        final String index = names.fresh("i");
        final String key = names.fresh("key");
        final Read keyRead = read(map.key(), source, field + ".key", names, null);
        final Read valueRead = read(map.value(), source, field + ".value", names, null);
        // The key is read into a variable first: the value's statements must not run before it.
        final CodeBlock statements = CodeBlock.builder()
            .add(countStatement(source, field, count, "MAP_MAX_SIZE"))
            .addStatement("final $T $L = new $T<>()", JavaTypes.of(map), local, JavaTypes.LINKED_HASH_MAP)
            .beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, count, index)
            .add(keyRead.statements())
            .addStatement("final $T $L = $L", JavaTypes.boxed(map.key()), key, keyRead.value())
            .add(valueRead.statements())
            .addStatement("$L.put($L, $L)", local, key, valueRead.value())
            .endControlFlow()
            .build();
        return new Read(statements, CodeBlock.of("$L", local));
    }

    /**
     * Statements that read a value into a new variable.
     *
     * @param type   the IDL type.
     * @param source the MessageSequence variable.
     * @param field  the field name for error messages.
     * @param names  the method's local names.
     * @param into   the variable (already taken from {@code names}).
     * @return the statements declaring {@code into}.
     */
    CodeBlock readInto(final IdlType type, final String source, final String field, final LocalNames names,
        final String into)
    {
        final Read read = read(type, source, field, names, into);
        final CodeBlock.Builder statements = CodeBlock.builder().add(read.statements());
        if (!read.value().toString().equals(into))
        {
            statements.addStatement("final $T $L = $L", JavaTypes.of(type), into, read.value());
        }
        return statements.build();
    }

    private String readCountInto(final String source, final String field, final LocalNames names,
        final String limitName)
    {
        readCount = true;
        limit(limitName);
        return names.fresh("count");
    }

    private static CodeBlock countStatement(final String source, final String field, final String count,
        final String limitName)
    {
        return CodeBlock.builder().addStatement("final int $L = readCount($L, $L, $S)", count, source, limitName, field)
            .build();
    }

    private static boolean isName(final CodeBlock value)
    {
        return value.toString().matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    /**
     * The expression that refuses a null value (401, naming the field) and otherwise is the value.
     *
     * @param value an expression of a reference type.
     * @param field the field name.
     * @return {@code requireValue(value, "field")}.
     */
    CodeBlock required(final CodeBlock value, final String field)
    {
        requireValue = true;
        return CodeBlock.of("requireValue($L, $S)", value, field);
    }

    private String limit(final String name)
    {
        limits.put(name, name);
        return name;
    }

    /**
     * Adds the constants and helper methods the code written so far uses.
     *
     * @param type the generated class.
     */
    void addHelpers(final TypeSpec.Builder type)
    {
        for (final String name : limits.keySet())
        {
            type.addField(FieldSpec.builder(TypeName.INT, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("OpenHarmony's limit on the elements of one $L.\n",
                    name.startsWith("MAP") ? "map" : name.startsWith("LIST") ? "list" : "array")
                .initializer("$L", MAX_ELEMENTS)
                .build());
        }
        final TypeVariableName t = TypeVariableName.get("T");
        if (requireValue)
        {
            type.addMethod(MethodSpec.methodBuilder("requireValue")
                .addJavadoc("Refuses a null to be written (401, naming the field).\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addTypeVariable(t)
                .returns(t)
                .addParameter(t, "value", Modifier.FINAL)
                .addParameter(JavaTypes.STRING, "field", Modifier.FINAL)
                .beginControlFlow("if (null == value)")
                .addStatement("throw new $T($T.CHECK_PARAM_ERROR, \"field '\" + field + \"' is null\")",
                    JavaTypes.RPC_EXCEPTION, JavaTypes.RPC_EXCEPTION)
                .endControlFlow()
                .addStatement("return value")
                .build());
        }
        if (checkCount)
        {
            type.addMethod(MethodSpec.methodBuilder("checkCount")
                .addJavadoc("Refuses more elements than the limit before any is written (401).\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(TypeName.INT)
                .addParameter(TypeName.INT, "count", Modifier.FINAL)
                .addParameter(TypeName.INT, "limit", Modifier.FINAL)
                .addParameter(JavaTypes.STRING, "field", Modifier.FINAL)
                .beginControlFlow("if (count > limit)")
                .addStatement("throw new $T($T.CHECK_PARAM_ERROR, \"field '\" + field + \"' has \" + count + " +
                    "\" elements, limit \" + limit)", JavaTypes.RPC_EXCEPTION, JavaTypes.RPC_EXCEPTION)
                .endControlFlow()
                .addStatement("return count")
                .build());
        }
        if (readCount)
        {
            type.addMethod(MethodSpec.methodBuilder("readCount")
                .addJavadoc("Reads an element count, refusing (1900010) a negative one, one over the limit, and one\n" +
                    "that the bytes left cannot hold (every element takes at least 4 bytes), before anything is\n" +
                    "allocated for it.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(TypeName.INT)
                .addParameter(JavaTypes.MESSAGE_SEQUENCE, "source", Modifier.FINAL)
                .addParameter(TypeName.INT, "limit", Modifier.FINAL)
                .addParameter(JavaTypes.STRING, "field", Modifier.FINAL)
                .addStatement("final int count = source.readInt()")
                .beginControlFlow("if (count < 0 || count > limit)")
                .addStatement("throw new $T($T.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, \"field '\" + field + " +
                    "\"' has \" + count + \" elements, must be 0..\" + limit)", JavaTypes.RPC_EXCEPTION,
                    JavaTypes.RPC_EXCEPTION)
                .endControlFlow()
                .beginControlFlow("if (count > source.getReadableBytes() / 4)")
                .addStatement("throw new $T($T.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, \"field '\" + field + " +
                    "\"' claims \" + count + \" elements, but only \" + source.getReadableBytes() + \" bytes are left\")",
                    JavaTypes.RPC_EXCEPTION, JavaTypes.RPC_EXCEPTION)
                .endControlFlow()
                .addStatement("return count")
                .build());
        }
    }
}
