package io.harmonia.idl;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;

/**
 * The Java type of each IDL type, and the classes of the RPC API the generated code uses.
 *
 * <pre>
 * boolean byte short int long float double   the Java primitive (boxed inside List and Map)
 * String                                      java.lang.String
 * T[]                                         T[]; a List&lt;T&gt; when T is generic (Java has no generic arrays)
 * List&lt;T&gt;, Map&lt;K, V&gt;                          java.util.List, java.util.Map (read as ArrayList, LinkedHashMap)
 * sequenceable ns.Name                        the class ns.Name (namespace in lower case as the package)
 * interface ns.Name                           the generated interface ns.Name
 * sequenceable OHOS.IRemoteObject             io.harmonia.rpc.IRemoteObject
 * </pre>
 */
final class JavaTypes
{
    static final String RPC = "io.harmonia.rpc";
    static final ClassName REMOTE_OBJECT_INTERFACE = ClassName.get(RPC, "IRemoteObject");
    static final ClassName REMOTE_OBJECT = ClassName.get(RPC, "RemoteObject");
    static final ClassName REMOTE_BROKER = ClassName.get(RPC, "IRemoteBroker");
    static final ClassName MESSAGE_SEQUENCE = ClassName.get(RPC, "MessageSequence");
    static final ClassName MESSAGE_OPTION = ClassName.get(RPC, "MessageOption");
    static final ClassName RPC_EXCEPTION = ClassName.get(RPC, "RpcException");
    static final ClassName REQUEST_REFUSED = ClassName.get(RPC, "RequestRefusedException");
    static final ClassName CALL_FAILURE = ClassName.get(RPC, "CallFailure");
    static final ClassName STRING = ClassName.get("java.lang", "String");
    static final ClassName LIST = ClassName.get("java.util", "List");
    static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");
    static final ClassName MAP = ClassName.get("java.util", "Map");
    static final ClassName MAP_ENTRY = MAP.nestedClass("Entry");
    static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");

    private JavaTypes()
    {
    }

    /**
     * The Java type of an IDL type.
     *
     * @param type a resolved IDL type.
     * @return its Java type.
     */
    static TypeName of(final IdlType type)
    {
        if (type instanceof IdlType.Void)
        {
            return TypeName.VOID;
        }
        if (type instanceof IdlType.Primitive primitive)
        {
            return switch (primitive)
            {
                case BOOLEAN -> TypeName.BOOLEAN;
                case BYTE -> TypeName.BYTE;
                case SHORT -> TypeName.SHORT;
                case INT -> TypeName.INT;
                case LONG -> TypeName.LONG;
                case FLOAT -> TypeName.FLOAT;
                case DOUBLE -> TypeName.DOUBLE;
            };
        }
        if (type instanceof IdlType.Text)
        {
            return STRING;
        }
        if (type instanceof IdlType.Array array)
        {
            return isListArray(array) ? ParameterizedTypeName.get(LIST, boxed(array.element()))
                : ArrayTypeName.of(of(array.element()));
        }
        if (type instanceof IdlType.ListOf list)
        {
            return ParameterizedTypeName.get(LIST, boxed(list.element()));
        }
        if (type instanceof IdlType.MapOf map)
        {
            return ParameterizedTypeName.get(MAP, boxed(map.key()), boxed(map.value()));
        }
        if (type instanceof IdlType.Sequenceable sequenceable)
        {
            return classOf(sequenceable.name());
        }
        if (type instanceof IdlType.Interface remoteInterface)
        {
            return classOf(remoteInterface.name());
        }
        if (type instanceof IdlType.RemoteObject)
        {
            return REMOTE_OBJECT_INTERFACE;
        }
        throw new IllegalStateException("unresolved type " + type.idl());
    }

    /**
     * The Java type as a type argument: primitives boxed.
     *
     * @param type a resolved IDL type.
     * @return the boxed type.
     */
    static TypeName boxed(final IdlType type)
    {
        return of(type).box();
    }

    /**
     * Whether an IDL array becomes a Java List: its element's Java type is generic.
     *
     * @param array the array type.
     * @return true for e.g. {@code Map<int, int>[]}.
     */
    static boolean isListArray(final IdlType.Array array)
    {
        return of(array.element()) instanceof ParameterizedTypeName;
    }

    /**
     * The Java class of an IDL name.
     *
     * @param name a qualified IDL name.
     * @return the class, in the package of its namespace.
     */
    static ClassName classOf(final QualifiedName name)
    {
        return ClassName.get(JavaNames.packageOf(name.namespace()), name.simpleName());
    }
}
