package io.harmonia.idl;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for Harmonia's subset of OpenHarmony's IDL. The grammar, in the order the parser
 * follows it:
 *
 * <pre>
 * file        = { "package" qname ";" | "sequenceable" seqName ";" | [attributes] "interface" qname ( ";" | body ) }
 * seqName     = qname [ ".." qname ]                  (the C++ header path before ".." is ignored)
 * body        = "{" { method } "}" [ ";" ]
 * method      = [attributes] type NAME "(" [ parameter { "," parameter } ] ")" ";"
 * parameter   = "[" ( "in" | "out" | "inout" ) "]" type NAME
 * type        = ( primitive | "String" | "void" | "List" "&lt;" type "&gt;" | "Map" "&lt;" type "," type "&gt;" | qname ) { "[" "]" }
 * attributes  = "[" NAME { "," NAME } "]"          ("oneway"; "callback" on an interface)
 * qname       = NAME { "." NAME }
 * </pre>
 *
 * A file defines exactly one interface. Constructs of OpenHarmony's IDL that Harmonia does not support are refused
 * by name where they start ({@link Keywords}). Types nest at most {@link #MAX_TYPE_DEPTH} deep, so no input can
 * exhaust the stack. Names are resolved later, by the {@link Checker}.
 */
final class Parser
{
    /** The deepest a type may nest (each List, Map and [] is one level). */
    static final int MAX_TYPE_DEPTH = 16;

    private final String file;
    private final Lexer lexer;
    private Token lookahead;

    private String packageName = "";
    private Token packageToken;
    private final List<Declaration> declarations = new ArrayList<>();
    private InterfaceDefinition definition;

    private Parser(final String file, final String text)
    {
        this.file = file;
        this.lexer = new Lexer(file, text);
    }

    /**
     * Parses one file.
     *
     * @param file the file as the user named it (for messages).
     * @param text its text.
     * @return the file, with names not yet resolved.
     * @throws IdlException at the first error.
     */
    static IdlFile parse(final String file, final String text) throws IdlException
    {
        return new Parser(file, text).file();
    }

    private IdlFile file() throws IdlException
    {
        while (peek().kind() != Token.Kind.END)
        {
            final Token token = peek();
            if (token.is("package"))
            {
                packageStatement();
            }
            else if (token.is("sequenceable"))
            {
                sequenceable();
            }
            else if (token.is("[") || token.is("interface"))
            {
                interfaceStatement();
            }
            else if (token.kind() == Token.Kind.IDENTIFIER && Keywords.REFUSED_STATEMENTS.containsKey(token.text()))
            {
                throw refused(token, Keywords.REFUSED_STATEMENTS.get(token.text()));
            }
            else
            {
                throw new IdlException(token.position(), "expected 'package', 'sequenceable' or 'interface', found " +
                    token.describe());
            }
        }
        if (null == definition)
        {
            throw new IdlException(peek().position(),
                "the file defines no interface: write one, e.g. interface OHOS.IFoo { void Bar([in] int value); }");
        }
        return new IdlFile(file, packageName, declarations, definition);
    }

    private void packageStatement() throws IdlException
    {
        final Token keyword = next();
        if (null != packageToken)
        {
            throw new IdlException(keyword.position(), "a second 'package' statement (the first is at line " +
                packageToken.position().line() + ")");
        }
        packageToken = keyword;
        packageName = qualifiedName("the package name").toString();
        expect(";", "after the package name");
    }

    private void sequenceable() throws IdlException
    {
        next();
        final Token start = peek();
        QualifiedName name = qualifiedName("the sequenceable name");
        if (peek().is("."))
        {
            // OpenHarmony's "header..ns.Name" form: the part before ".." names a C++ header, Java needs none.
            next();
            name = qualifiedName("the sequenceable name after '..'");
        }
        checkName(start.position(), name.simpleName(), "a sequenceable");
        declarations.add(new Declaration(true, name, start.position()));
        expect(";", "after the sequenceable name");
    }

    private void interfaceStatement() throws IdlException
    {
        final Token attributesStart = peek();
        boolean oneway = false;
        boolean callback = false;
        for (final Token attribute : attributes())
        {
            if (attribute.is("oneway"))
            {
                oneway = true;
            }
            else if (attribute.is("callback"))
            {
                callback = true;
            }
            else
            {
                throw new IdlException(attribute.position(), "attribute " + attribute.describe() +
                    " does not apply to an interface (supported: oneway, callback)");
            }
        }
        expect("interface", "after the interface attributes");
        final Token nameToken = peek();
        final QualifiedName name = qualifiedName("the interface name");
        checkName(nameToken.position(), name.simpleName(), "an interface");
        if (peek().is(";"))
        {
            if (oneway || callback)
            {
                throw new IdlException(attributesStart.position(),
                    "attributes belong on the interface's definition, not on a forward declaration");
            }
            next();
            declarations.add(new Declaration(false, name, nameToken.position()));
            return;
        }
        if (peek().is("extends"))
        {
            throw refused(peek(), "interface inheritance");
        }
        if (null != definition)
        {
            throw new IdlException(nameToken.position(), "a file defines one interface: '" + name +
                "' is a second one (the first, '" + definition.name() + "', is at line " +
                definition.position().line() + ")");
        }
        expect("{", "to open the body of interface '" + name + "'");
        final List<Method> methods = new ArrayList<>();
        while (!peek().is("}"))
        {
            if (peek().kind() == Token.Kind.END)
            {
                throw new IdlException(peek().position(), "the body of interface '" + name +
                    "' is not closed: '}' is missing");
            }
            methods.add(method(oneway, methods.size() + 1));
        }
        next();
        if (peek().is(";"))
        {
            next();
        }
        definition = new InterfaceDefinition(name, oneway, callback, methods, nameToken.position());
    }

    private Method method(final boolean interfaceOneway, final int code) throws IdlException
    {
        boolean oneway = interfaceOneway;
        for (final Token attribute : attributes())
        {
            if (!attribute.is("oneway"))
            {
                throw new IdlException(attribute.position(), "attribute " + attribute.describe() +
                    " does not apply to a method (supported: oneway)");
            }
            oneway = true;
        }
        final IdlType result = type(0);
        final Token nameToken = next();
        if (nameToken.kind() != Token.Kind.IDENTIFIER)
        {
            throw new IdlException(nameToken.position(), "expected a method name after the result type '" +
                result.idl() + "', found " + nameToken.describe());
        }
        checkName(nameToken.position(), nameToken.text(), "a method");
        expect("(", "after method name '" + nameToken.text() + "'");
        final List<Parameter> parameters = new ArrayList<>();
        if (!peek().is(")"))
        {
            do
            {
                parameters.add(parameter(nameToken.text()));
            }
            while (accept(","));
        }
        expect(")", "to close the parameters of method '" + nameToken.text() + "'");
        expect(";", "after method '" + nameToken.text() + "'");
        return new Method(nameToken.text(), result, oneway, parameters, code, nameToken.position());
    }

    private Parameter parameter(final String method) throws IdlException
    {
        final Token open = peek();
        if (!open.is("["))
        {
            throw new IdlException(open.position(), "a parameter of method '" + method +
                "' needs a direction first: [in], [out] or [inout], found " + open.describe());
        }
        next();
        final Token word = next();
        final Direction direction;
        if (word.is("in"))
        {
            direction = Direction.IN;
        }
        else if (word.is("out"))
        {
            direction = Direction.OUT;
        }
        else if (word.is("inout"))
        {
            direction = Direction.INOUT;
        }
        else
        {
            throw new IdlException(word.position(), "expected a parameter direction: in, out or inout, found " +
                word.describe());
        }
        expect("]", "after the parameter direction");
        final IdlType type = type(0);
        final Token name = next();
        if (name.kind() != Token.Kind.IDENTIFIER)
        {
            throw new IdlException(name.position(), "expected a parameter name after type '" + type.idl() +
                "', found " + name.describe());
        }
        checkName(name.position(), name.text(), "a parameter");
        if (type instanceof IdlType.Void)
        {
            throw new IdlException(name.position(), "parameter '" + name.text() +
                "' has type void: void is only a method's result");
        }
        return new Parameter(direction, type, name.text(), name.position());
    }

    private IdlType type(final int depth) throws IdlException
    {
        final Token token = next();
        if (depth >= MAX_TYPE_DEPTH)
        {
            throw new IdlException(token.position(), "the type nests deeper than " + MAX_TYPE_DEPTH + " levels");
        }
        IdlType type = baseType(token, depth);
        int levels = depth;
        while (peek().is("["))
        {
            final Token open = next();
            expect("]", "after '[' of an array type");
            if (type instanceof IdlType.Void)
            {
                throw new IdlException(open.position(), "void cannot be an array element");
            }
            if (++levels >= MAX_TYPE_DEPTH)
            {
                throw new IdlException(open.position(), "the type nests deeper than " + MAX_TYPE_DEPTH + " levels");
            }
            type = new IdlType.Array(type);
        }
        return type;
    }

    private IdlType baseType(final Token token, final int depth) throws IdlException
    {
        if (token.kind() != Token.Kind.IDENTIFIER)
        {
            throw new IdlException(token.position(), "expected a type, found " + token.describe());
        }
        final String word = token.text();
        final IdlType.Primitive primitive = IdlType.Primitive.of(word);
        if (null != primitive)
        {
            return primitive;
        }
        switch (word)
        {
            case "void":
                return new IdlType.Void();
            case "String":
                return new IdlType.Text();
            case "List":
            {
                expect("<", "after 'List'");
                final IdlType element = elementType(depth, "a List element");
                expect(">", "to close 'List<'");
                return new IdlType.ListOf(element);
            }
            case "Map":
            {
                expect("<", "after 'Map'");
                final IdlType key = elementType(depth, "a Map key");
                expect(",", "between the key and value types of a Map");
                final IdlType value = elementType(depth, "a Map value");
                expect(">", "to close 'Map<'");
                return new IdlType.MapOf(key, value);
            }
            default:
                break;
        }
        if (Keywords.REFUSED_TYPES.containsKey(word))
        {
            throw refused(token, Keywords.REFUSED_TYPES.get(word));
        }
        if (Keywords.isKeyword(word))
        {
            throw new IdlException(token.position(), "expected a type, found keyword " + token.describe());
        }
        lookahead = token;
        return new IdlType.Named(qualifiedName("a type name"), token.position());
    }

    private IdlType elementType(final int depth, final String what) throws IdlException
    {
        final Token start = peek();
        final IdlType type = type(depth + 1);
        if (type instanceof IdlType.Void)
        {
            throw new IdlException(start.position(), "void cannot be " + what);
        }
        return type;
    }

    private List<Token> attributes() throws IdlException
    {
        final List<Token> attributes = new ArrayList<>();
        if (!accept("["))
        {
            return attributes;
        }
        do
        {
            final Token attribute = next();
            if (attribute.kind() != Token.Kind.IDENTIFIER)
            {
                throw new IdlException(attribute.position(), "expected an attribute, found " + attribute.describe());
            }
            if (Keywords.REFUSED_ATTRIBUTES.containsKey(attribute.text()))
            {
                throw refused(attribute, Keywords.REFUSED_ATTRIBUTES.get(attribute.text()));
            }
            if (!attribute.is("oneway") && !attribute.is("callback"))
            {
                throw new IdlException(attribute.position(), "unknown attribute " + attribute.describe() +
                    " (supported: oneway, callback)");
            }
            for (final Token earlier : attributes)
            {
                if (earlier.text().equals(attribute.text()))
                {
                    throw new IdlException(attribute.position(), "attribute " + attribute.describe() +
                        " is given twice");
                }
            }
            attributes.add(attribute);
        }
        while (accept(","));
        expect("]", "to close the attributes");
        return attributes;
    }

    /** NAME { "." NAME }; a trailing ".." is left for the sequenceable form. */
    private QualifiedName qualifiedName(final String what) throws IdlException
    {
        final Token first = next();
        if (first.kind() != Token.Kind.IDENTIFIER)
        {
            throw new IdlException(first.position(), "expected " + what + ", found " + first.describe());
        }
        final StringBuilder dotted = new StringBuilder(first.text());
        while (peek().is("."))
        {
            next();
            if (peek().is("."))
            {
                break; // "a..b": one '.' is left for the caller
            }
            final Token part = next();
            if (part.kind() != Token.Kind.IDENTIFIER)
            {
                throw new IdlException(part.position(), "expected a name after '.' in " + what + ", found " +
                    part.describe());
            }
            dotted.append('.').append(part.text());
        }
        return QualifiedName.parse(dotted.toString());
    }

    private void checkName(final Position position, final String name, final String what) throws IdlException
    {
        if (Keywords.isKeyword(name))
        {
            throw new IdlException(position, "'" + name + "' is a keyword of the IDL and cannot name " + what);
        }
    }

    private IdlException refused(final Token token, final String construct)
    {
        return new IdlException(token.position(), token.describe() + " is not supported by Harmonia's IDL " +
            "compiler: " + construct + " (see docs/idl.md for the supported subset)");
    }

    private Token peek() throws IdlException
    {
        if (null == lookahead)
        {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    private Token next() throws IdlException
    {
        final Token token = peek();
        lookahead = null;
        return token;
    }

    private boolean accept(final String symbol) throws IdlException
    {
        if (peek().is(symbol))
        {
            next();
            return true;
        }
        return false;
    }

    private void expect(final String symbol, final String where) throws IdlException
    {
        final Token token = next();
        if (!token.is(symbol))
        {
            throw new IdlException(token.position(), "expected '" + symbol + "' " + where + ", found " +
                token.describe());
        }
    }
}
