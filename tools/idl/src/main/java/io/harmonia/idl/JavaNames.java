package io.harmonia.idl;

import java.util.Locale;
import java.util.Set;

import javax.lang.model.SourceVersion;

/**
 * How IDL names become Java names. The method codes' constants follow OpenHarmony's generator
 * ({@code ProcessData} becomes {@code COMMAND_PROCESS_DATA}: every upper-case letter after the second character
 * starts a new word); the rest follows the seed's TypeScript shape ({@code ProcessData} becomes
 * {@code processData}, the proxy and stub of {@code IIdlServiceExt} are {@code IdlServiceExtProxy} and
 * {@code IdlServiceExtStub}) in Java spelling.
 */
final class JavaNames
{
    /** Methods every generated interface, proxy or stub already has: an IDL method may not take these names. */
    private static final Set<String> TAKEN_METHOD_NAMES = Set.of(
        "asObject", "asInterface", "getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait",
        "clone", "finalize", "sendMessageRequest", "sendMessageRequestSync", "getDescriptor", "getLocalInterface",
        "isObjectDead", "registerDeathRecipient", "unregisterDeathRecipient", "modifyLocalInterface",
        "onRemoteMessageRequest", "onRemoteMessageRequestAsync", "onLastRemoteRelease",
        // the generated classes' helpers
        "requireValue", "checkCount", "readCount", "readErrCode", "rpcCodeOf", "readToken", "describeToken");

    /**
     * Names a parameter may not take: a record component (an [out] value) cannot be named after a method of
     * Object, and the constants the generated code uses would be hidden by a parameter of their name.
     */
    private static final Set<String> TAKEN_PARAMETER_NAMES = Set.of(
        "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait",
        "DESCRIPTOR", "ERR_OK", "LOG", "VECTOR_MAX_SIZE", "LIST_MAX_SIZE", "MAP_MAX_SIZE");

    private JavaNames()
    {
    }

    /**
     * The Java package of an IDL namespace: the same parts in lower case ({@code OHOS.Two} becomes
     * {@code ohos.two}).
     *
     * @param namespace a dotted namespace.
     * @return the package name.
     */
    static String packageOf(final String namespace)
    {
        return namespace.toLowerCase(Locale.ROOT);
    }

    /**
     * The Java name of an IDL method: the first letter in lower case.
     *
     * @param idl e.g. {@code ProcessData}.
     * @return e.g. {@code processData}.
     */
    static String method(final String idl)
    {
        return Character.toLowerCase(idl.charAt(0)) + idl.substring(1);
    }

    /**
     * The constant holding a method's request code, by OpenHarmony's rule.
     *
     * @param idl e.g. {@code InsertDataToMap}.
     * @return e.g. {@code COMMAND_INSERT_DATA_TO_MAP}.
     */
    static String command(final String idl)
    {
        final StringBuilder constant = new StringBuilder("COMMAND_");
        for (int i = 0; i < idl.length(); i++)
        {
            final char c = idl.charAt(i);
            if (c >= 'A' && c <= 'Z' && i > 1)
            {
                constant.append('_');
            }
            constant.append(Character.toUpperCase(c));
        }
        return constant.toString();
    }

    /**
     * The name the proxy and stub start with: the interface name without its leading 'I'.
     *
     * @param interfaceName e.g. {@code IIdlServiceExt}.
     * @return e.g. {@code IdlServiceExt}.
     */
    static String base(final String interfaceName)
    {
        return interfaceName.length() > 1 && interfaceName.charAt(0) == 'I' &&
            Character.isUpperCase(interfaceName.charAt(1)) ? interfaceName.substring(1) : interfaceName;
    }

    static String proxy(final String interfaceName)
    {
        return base(interfaceName) + "Proxy";
    }

    static String stub(final String interfaceName)
    {
        return base(interfaceName) + "Stub";
    }

    /**
     * The callback type of a method (the seed's {@code processDataCallback}).
     *
     * @param javaMethod e.g. {@code processData}.
     * @return e.g. {@code ProcessDataCallback}.
     */
    static String callback(final String javaMethod)
    {
        return upperFirst(javaMethod) + "Callback";
    }

    /**
     * The record a method with [out] or [inout] parameters returns.
     *
     * @param javaMethod e.g. {@code getRange}.
     * @return e.g. {@code GetRangeResult}.
     */
    static String result(final String javaMethod)
    {
        return upperFirst(javaMethod) + "Result";
    }

    /**
     * Whether a name cannot be a Java identifier (a keyword, literal or '_').
     *
     * @param name an IDL name.
     * @return true when Java reserves it.
     */
    static boolean reservedInJava(final String name)
    {
        return SourceVersion.isKeyword(name) || "_".equals(name);
    }

    /**
     * Whether an IDL method's Java name is taken by the methods every interface, proxy or stub has.
     *
     * @param javaMethod the Java name.
     * @return true when taken.
     */
    static boolean takenMethodName(final String javaMethod)
    {
        return TAKEN_METHOD_NAMES.contains(javaMethod);
    }

    /**
     * Whether a parameter name is taken by the generated code ({@link #TAKEN_PARAMETER_NAMES}, or a
     * {@code COMMAND_} constant).
     *
     * @param name the IDL parameter name.
     * @return true when taken.
     */
    static boolean takenParameterName(final String name)
    {
        return TAKEN_PARAMETER_NAMES.contains(name) || name.startsWith("COMMAND_");
    }

    private static String upperFirst(final String name)
    {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
