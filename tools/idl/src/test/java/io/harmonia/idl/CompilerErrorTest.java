package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of error names the file, line and column and says what is wrong: syntax errors, constructs
 * OpenHarmony's IDL has and Harmonia refuses (by name), broken rules, and names that do not work in Java.
 */
class CompilerErrorTest
{
    static Stream<Arguments> errors()
    {
        return Stream.of(
            // syntax
            error("interface OHOS.IFoo {\n  void Bar([in] int x)\n}", "3:1", "expected ';' after method 'Bar', found '}'"),
            error("interface OHOS.IFoo {\n  void Bar(int x);\n}", "2:12", "needs a direction first: [in], [out] or [inout], found 'int'"),
            error("interface OHOS.IFoo {\n  void Bar([up] int x);\n}", "2:13", "expected a parameter direction: in, out or inout, found 'up'"),
            error("interface OHOS.IFoo {\n  void Bar([in] int);\n}", "2:20", "expected a parameter name after type 'int', found ')'"),
            error("interface OHOS.IFoo {\n  void Bar();\n", "3:1", "the body of interface 'OHOS.IFoo' is not closed"),
            error("interface OHOS.IFoo {\n  List<int Bar();\n}", "2:12", "expected '>' to close 'List<', found 'Bar'"),
            error("interface OHOS.IFoo {\n  Map<int> Bar();\n}", "2:10", "expected ',' between the key and value types of a Map"),
            error("/* open\ninterface OHOS.IFoo {}", "1:1", "block comment is not closed"),
            error("interface OHOS.IFoo { void B\u00e9r(); }", "1:29", "unexpected character '\u00e9' (U+00E9)"),
            error("interface OHOS.IFoo { void Bar(); }\u0007", "1:36", "unexpected character U+0007"),
            error("", "1:1", "the file defines no interface"),
            error("package OHOS;\n", "2:1", "the file defines no interface"),
            error("; interface OHOS.IFoo {}", "1:1", "expected 'package', 'sequenceable' or 'interface', found ';'"),
            error("interface OHOS. {}", "1:17", "expected a name after '.' in the interface name, found '{'"),
            // refused constructs, by name
            error("import ../Types;\ninterface OHOS.IFoo {}", "1:1", "'import' is not supported by Harmonia's IDL compiler: importing other IDL files"),
            error("enum Color { RED = 1 };", "1:1", "'enum' is not supported"),
            error("struct S { int a; };", "1:1", "'struct' is not supported"),
            error("union U { int a; };", "1:1", "'union' is not supported"),
            error("rawdata test.Raw;", "1:1", "'rawdata' is not supported"),
            error("option_stub_hooks on;\ninterface OHOS.IFoo {}", "1:1", "'option_stub_hooks' is not supported"),
            error("interface_token test.tok;", "1:1", "'interface_token' is not supported"),
            error("interface OHOS.IFoo extends OHOS.IBase {}", "1:21", "'extends' is not supported by Harmonia's IDL compiler: interface inheritance"),
            error("interface OHOS.IFoo {\n  void Bar([in] char c);\n}", "2:17", "'char' is not supported by Harmonia's IDL compiler: char (C++ only"),
            error("interface OHOS.IFoo {\n  void Bar([in] unsigned int c);\n}", "2:17", "'unsigned' is not supported"),
            error("interface OHOS.IFoo {\n  FileDescriptor Bar();\n}", "2:3", "'FileDescriptor' is not supported"),
            error("interface OHOS.IFoo {\n  void Bar([in] Set<int> s);\n}", "2:17", "'Set' is not supported"),
            error("interface OHOS.IFoo {\n  void Bar([in] OrderedMap<int, int> s);\n}", "2:17", "'OrderedMap' is not supported"),
            error("interface OHOS.IFoo {\n  void Bar([in] sptr<IFoo> s);\n}", "2:17", "'sptr' is not supported"),
            error("interface OHOS.IFoo {\n  [ipccode 20] void Bar();\n}", "2:4", "'ipccode' is not supported by Harmonia's IDL compiler: pinned request codes"),
            error("interface OHOS.IFoo {\n  [cacheable 100] int Bar();\n}", "2:4", "'cacheable' is not supported"),
            error("interface OHOS.IFoo {\n  [ipcincapacity 10] void Bar();\n}", "2:4", "'ipcincapacity' is not supported"),
            error("interface OHOS.IFoo {\n  [macrodef X] void Bar();\n}", "2:4", "'macrodef' is not supported"),
            error("[full] interface OHOS.IFoo {}", "1:2", "'full' is not supported"),
            error("interface OHOS.IFoo {\n  [callback] void Bar();\n}", "2:4", "attribute 'callback' does not apply to a method"),
            error("interface OHOS.IFoo {\n  [fast] void Bar();\n}", "2:4", "unknown attribute 'fast'"),
            error("interface OHOS.IFoo {\n  [oneway, oneway] void Bar();\n}", "2:12", "attribute 'oneway' is given twice"),
            // rules
            error("interface IFoo {}", "1:11", "interface 'IFoo' has no namespace"),
            error("interface OHOS.IBar {}", "1:11", "interface 'IBar' must be defined in a file named IBar.idl (this file is IFoo.idl)"),
            error("interface OHOS.IFoo {}\ninterface OHOS.IFoo {}", "2:11", "a file defines one interface"),
            error("package OHOS;\npackage OHOS;", "2:1", "a second 'package' statement (the first is at line 1)"),
            error("interface OHOS.IFoo {\n  void Bar([in] Point p);\n}", "2:17", "unknown type 'Point': declare it before the interface"),
            error("sequenceable a.P;\nsequenceable b.P;\ninterface OHOS.IFoo {\n  void Bar([in] P p);\n}", "4:17", "type 'P' is ambiguous"),
            error("sequenceable a.P;\nsequenceable a.P;\ninterface OHOS.IFoo {}", "2:14", "'a.P' is declared twice (first at line 1)"),
            error("sequenceable P;\ninterface OHOS.IFoo {}", "1:14", "sequenceable 'P' has no namespace"),
            error("[oneway] interface OHOS.IFoo;\ninterface OHOS.IFoo {}", "1:1", "attributes belong on the interface's definition"),
            error("interface OHOS.IFoo {\n  [oneway] int Bar();\n}", "2:16", "one-way method 'Bar' has no reply, so it cannot return int"),
            error("interface OHOS.IFoo {\n  [oneway] void Bar([out] int x);\n}", "2:31", "one-way method 'Bar' has no reply, so parameter 'x' cannot be [out]"),
            error("[oneway] interface OHOS.IFoo {\n  void Bar([inout] int x);\n}", "2:24", "cannot be [inout]"),
            error("interface OHOS.IFoo {\n  void Bar([in] void x);\n}", "2:22", "parameter 'x' has type void"),
            error("interface OHOS.IFoo {\n  void[] Bar();\n}", "2:7", "void cannot be an array element"),
            error("interface OHOS.IFoo {\n  List<void> Bar();\n}", "2:8", "void cannot be a List element"),
            error("interface OHOS.IFoo {\n  void Bar([in] Map<int[], int> m);\n}", "2:33", "a Map key cannot be the array int[]"),
            error("interface OHOS.IFoo {\n  void Bar();\n  void Bar([in] int x);\n}", "3:8", "overloading is not supported"),
            error("interface OHOS.IFoo {\n  void Bar();\n  void bar();\n}", "3:8", "has the Java name 'bar' of method 'Bar' (line 2)"),
            error("interface OHOS.IFoo {\n  void GetURL();\n  void Get_u_r_l();\n}", "3:8", "have the same code constant COMMAND_GET_U_R_L"),
            error("interface OHOS.IFoo {\n  void Bar([in] int x, [in] int x);\n}", "2:33", "method 'Bar' has two parameters named 'x'"),
            error("interface OHOS.IFoo {\n  void Bar([in] int class);\n}", "2:21", "parameter name 'class' is a Java keyword"),
            error("interface OHOS.IFoo {\n  void Bar([in] int in);\n}", "2:21", "'in' is a keyword of the IDL and cannot name a parameter"),
            error("interface OHOS.IFoo {\n  void New();\n}", "2:8", "method 'New' would be the Java method 'new', which is a Java keyword"),
            error("interface OHOS.IFoo {\n  void AsObject();\n}", "2:8", "which every generated interface, proxy or stub already has"),
            error("interface OHOS.IFoo {\n  void Bar([in] " + "List<".repeat(20) + "int" + ">".repeat(20) + " x);\n}", "2:",
                "the type nests deeper than 16 levels"),
            error("interface OHOS.IFoo {\n  void Bar([in] int" + "[]".repeat(20) + " x);\n}", "2:",
                "the type nests deeper than 16 levels"));
    }

    private static Arguments error(final String idl, final String position, final String message)
    {
        return Arguments.of(idl, position, message);
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("errors")
    void errorNamesThePositionAndTheProblem(final String idl, final String position, final String message)
    {
        final IdlException error = assertThrows(IdlException.class, () -> IdlCompiler.compile("dir/IFoo.idl", idl));
        assertTrue(error.getMessage().startsWith("dir/IFoo.idl:" + position),
            "position: expected " + position + " in " + error.getMessage());
        assertTrue(error.detail().contains(message), "message: expected '" + message + "' in " + error.getMessage());
        assertEquals("dir/IFoo.idl:" + error.line() + ":" + error.column() + ": error: " + error.detail(),
            error.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirPosition()
    {
        final byte[] bytes = "interface OHOS.IFoo {\n  void B\u00e9r();\n}".getBytes(StandardCharsets.ISO_8859_1);
        final IdlException error = assertThrows(IdlException.class, () -> IdlCompiler.decode("IFoo.idl", bytes));
        assertEquals("IFoo.idl:2:9: error: the file is not UTF-8 text: byte 0xe9 at offset 30 starts no valid UTF-8 " +
            "sequence", error.getMessage());
    }

    @Test
    void aByteOrderMarkIsDropped() throws IdlException
    {
        final byte[] text = "interface OHOS.IFoo { void Bar(); }".getBytes(StandardCharsets.UTF_8);
        final byte[] withMark = new byte[text.length + 3];
        withMark[0] = (byte)0xef;
        withMark[1] = (byte)0xbb;
        withMark[2] = (byte)0xbf;
        System.arraycopy(text, 0, withMark, 3, text.length);
        assertEquals(3, IdlCompiler.compile("IFoo.idl", IdlCompiler.decode("IFoo.idl", withMark)).size());
    }

    @Test
    void aFileOverTheLimitIsRefused()
    {
        final IdlException error = assertThrows(IdlException.class,
            () -> IdlCompiler.decode("IFoo.idl", new byte[IdlCompiler.MAX_FILE_BYTES + 1]));
        assertTrue(error.getMessage().contains("the file has 1048577 bytes, limit 1048576"), error.getMessage());
    }

    @Test
    void commentsLineEndingsAndTheHeaderPathFormAreAccepted() throws IdlException
    {
        final String idl = "// line comment\r\n/* block\r\n comment */ package OHOS;\rsequenceable include..OHOS.Seq;\n" +
            "interface IFoo { Seq Get(); };";
        assertEquals(3, IdlCompiler.compile("IFoo.idl", idl).size());
        final IdlException error = assertThrows(IdlException.class,
            () -> IdlCompiler.compile("IFoo.idl", "// a\r\n/* b\r */\rinterface OHOS.IFoo { void Bar() }"));
        assertEquals(4, error.line(), "\\r\\n, \\r and \\n each end one line: " + error.getMessage());
        assertEquals(34, error.column());
    }
}
