package io.harmonia.idl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules a parsed file must keep before code is generated: every type name is declared, the interface has a
 * namespace and is defined in the file of its name, one-way methods return nothing and take only [in]
 * parameters, and every name works in Java (no Java keyword, no two methods or parameters with one name, no clash
 * with a method the generated classes already have). Returns the file with every name resolved.
 */
final class Checker
{
    /** The qualified name of the one sequenceable that stands for a bare remote object. */
    static final String REMOTE_OBJECT = "OHOS.IRemoteObject";

    private final IdlFile source;
    private final Map<String, Declaration> byQualifiedName = new HashMap<>();
    private final Map<String, List<Declaration>> bySimpleName = new HashMap<>();
    private QualifiedName interfaceName;

    private Checker(final IdlFile source)
    {
        this.source = source;
    }

    /**
     * Checks a parsed file.
     *
     * @param file the parser's output.
     * @return the same file with every {@link IdlType.Named} resolved.
     * @throws IdlException at the first broken rule.
     */
    static IdlFile check(final IdlFile file) throws IdlException
    {
        return new Checker(file).run();
    }

    private IdlFile run() throws IdlException
    {
        final InterfaceDefinition definition = source.definition();
        interfaceName = qualify(definition.name(), definition.position(), "interface");
        checkFileName(definition);
        final List<Declaration> declarations = new ArrayList<>();
        for (final Declaration declaration : source.declarations())
        {
            declarations.add(declare(declaration));
        }
        final List<Method> methods = new ArrayList<>();
        final Map<String, Method> javaNames = new HashMap<>();
        final Map<String, Method> commands = new HashMap<>();
        for (final Method method : definition.methods())
        {
            methods.add(method(method, javaNames, commands));
        }
        return new IdlFile(source.file(), source.packageName(), declarations,
            new InterfaceDefinition(interfaceName, definition.oneway(), definition.callback(), methods,
                definition.position()));
    }

    /** Gives an unqualified name the package's namespace; a name with neither is an error. */
    private QualifiedName qualify(final QualifiedName name, final Position position, final String what)
        throws IdlException
    {
        if (!name.namespace().isEmpty())
        {
            return name;
        }
        if (source.packageName().isEmpty())
        {
            throw new IdlException(position, what + " '" + name + "' has no namespace: write it qualified (" +
                what + " OHOS." + name + ") or add a 'package OHOS;' statement");
        }
        return new QualifiedName(source.packageName(), name.simpleName());
    }

    private void checkFileName(final InterfaceDefinition definition) throws IdlException
    {
        final String file = source.file().replace('\\', '/');
        final String base = file.substring(file.lastIndexOf('/') + 1);
        if (base.endsWith(".idl") && !base.equals(interfaceName.simpleName() + ".idl"))
        {
            throw new IdlException(definition.position(), "interface '" + interfaceName.simpleName() +
                "' must be defined in a file named " + interfaceName.simpleName() + ".idl (this file is " + base + ")");
        }
        if (JavaNames.reservedInJava(interfaceName.simpleName()))
        {
            throw new IdlException(definition.position(), "interface name '" + interfaceName.simpleName() +
                "' is a Java keyword");
        }
    }

    private Declaration declare(final Declaration declaration) throws IdlException
    {
        final QualifiedName name = qualify(declaration.name(), declaration.position(),
            declaration.sequenceable() ? "sequenceable" : "interface");
        final Declaration qualified = new Declaration(declaration.sequenceable(), name, declaration.position());
        final Declaration earlier = byQualifiedName.putIfAbsent(name.toString(), qualified);
        if (null != earlier)
        {
            throw new IdlException(declaration.position(), "'" + name + "' is declared twice (first at line " +
                earlier.position().line() + ")");
        }
        if (name.equals(interfaceName) && declaration.sequenceable())
        {
            throw new IdlException(declaration.position(), "'" + name +
                "' is the interface this file defines; it cannot also be a sequenceable");
        }
        if (JavaNames.reservedInJava(name.simpleName()))
        {
            throw new IdlException(declaration.position(), "'" + name.simpleName() + "' is a Java keyword");
        }
        bySimpleName.computeIfAbsent(name.simpleName(), key -> new ArrayList<>()).add(qualified);
        return qualified;
    }

    private Method method(final Method method, final Map<String, Method> javaNames,
        final Map<String, Method> commands) throws IdlException
    {
        final String javaName = JavaNames.method(method.name());
        if (JavaNames.reservedInJava(javaName) || JavaNames.takenMethodName(javaName))
        {
            throw new IdlException(method.position(), "method '" + method.name() + "' would be the Java method '" +
                javaName + "', which " + (JavaNames.reservedInJava(javaName) ? "is a Java keyword"
                : "every generated interface, proxy or stub already has"));
        }
        final Method sameJavaName = javaNames.putIfAbsent(javaName, method);
        if (null != sameJavaName)
        {
            throw new IdlException(method.position(), "method '" + method.name() + "' has the Java name '" +
                javaName + "' of method '" + sameJavaName.name() + "' (line " + sameJavaName.position().line() +
                "): overloading is not supported");
        }
        final String command = JavaNames.command(method.name());
        final Method sameCommand = commands.putIfAbsent(command, method);
        if (null != sameCommand)
        {
            throw new IdlException(method.position(), "methods '" + sameCommand.name() + "' and '" + method.name() +
                "' have the same code constant " + command);
        }
        final IdlType result = resolve(method.result(), method.position());
        final Map<String, Parameter> names = new HashMap<>();
        final List<Parameter> parameters = new ArrayList<>();
        for (final Parameter parameter : method.parameters())
        {
            if (JavaNames.reservedInJava(parameter.name()))
            {
                throw new IdlException(parameter.position(), "parameter name '" + parameter.name() +
                    "' is a Java keyword");
            }
            if (JavaNames.takenParameterName(parameter.name()))
            {
                throw new IdlException(parameter.position(), "parameter name '" + parameter.name() +
                    "' is taken by the generated Java code (a method of Object or a generated constant)");
            }
            final Parameter same = names.putIfAbsent(parameter.name(), parameter);
            if (null != same)
            {
                throw new IdlException(parameter.position(), "method '" + method.name() + "' has two parameters named '" +
                    parameter.name() + "'");
            }
            if (method.oneway() && parameter.direction() != Direction.IN)
            {
                throw new IdlException(parameter.position(), "one-way method '" + method.name() +
                    "' has no reply, so parameter '" + parameter.name() + "' cannot be [" +
                    parameter.direction().idl() + "]");
            }
            parameters.add(new Parameter(parameter.direction(), resolve(parameter.type(), parameter.position()), parameter.name(),
                parameter.position()));
        }
        if (method.oneway() && !(result instanceof IdlType.Void))
        {
            throw new IdlException(method.position(), "one-way method '" + method.name() +
                "' has no reply, so it cannot return " + result.idl() + " (declare it void)");
        }
        return new Method(method.name(), result, method.oneway(), parameters, method.code(), method.position());
    }

    /** Resolves the names in a type; {@code at} is where the type is used, for messages. */
    private IdlType resolve(final IdlType type, final Position at) throws IdlException
    {
        if (type instanceof IdlType.Array array)
        {
            return new IdlType.Array(resolve(array.element(), at));
        }
        if (type instanceof IdlType.ListOf list)
        {
            return new IdlType.ListOf(resolve(list.element(), at));
        }
        if (type instanceof IdlType.MapOf map)
        {
            final IdlType key = resolve(map.key(), at);
            if (key instanceof IdlType.Array)
            {
                throw new IdlException(at, "a Map key cannot be the array " + key.idl() +
                    ": Java arrays have no value equality (use List<...>)");
            }
            return new IdlType.MapOf(key, resolve(map.value(), at));
        }
        if (type instanceof IdlType.Named named)
        {
            return resolveName(named);
        }
        return type;
    }

    private IdlType resolveName(final IdlType.Named named) throws IdlException
    {
        final QualifiedName name = named.name();
        if (name.equals(interfaceName) || (name.namespace().isEmpty() &&
            name.simpleName().equals(interfaceName.simpleName())))
        {
            return new IdlType.Interface(interfaceName);
        }
        Declaration declaration = byQualifiedName.get(name.toString());
        if (null == declaration && name.namespace().isEmpty())
        {
            final List<Declaration> candidates = bySimpleName.getOrDefault(name.simpleName(), List.of());
            if (candidates.size() > 1)
            {
                throw new IdlException(named.position(), "type '" + name + "' is ambiguous: it may be '" +
                    candidates.get(0).name() + "' or '" + candidates.get(1).name() + "' (write it qualified)");
            }
            declaration = candidates.isEmpty() ? null : candidates.get(0);
        }
        if (null == declaration)
        {
            throw new IdlException(named.position(), "unknown type '" + name + "': declare it before the interface" +
                " with 'sequenceable ns." + name.simpleName() + ";' or 'interface ns." + name.simpleName() + ";'");
        }
        if (!declaration.sequenceable())
        {
            return new IdlType.Interface(declaration.name());
        }
        return REMOTE_OBJECT.equals(declaration.name().toString()) ? new IdlType.RemoteObject()
            : new IdlType.Sequenceable(declaration.name());
    }
}
