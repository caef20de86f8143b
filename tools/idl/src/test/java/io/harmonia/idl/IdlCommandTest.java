package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code harmonia idl -d <outdir> <file.idl>...}: output, exit statuses and messages. */
class IdlCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine command = new CommandLine(new IdlCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void helpDescribesTheCommand()
    {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Usage: idl [-hv] -d=<outdir> <file.idl>..."), out.toString());
        assertTrue(out.toString().contains("Compiles OpenHarmony IDL files into Java"), out.toString());
    }

    @Test
    void compilesFilesIntoTheirPackageFolders(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("generated");
        assertEquals(0, run("-v", "-d", out.toString(), TestFiles.IDL.resolve("IIdlServiceExt.idl").toString(),
            TestFiles.IDL.resolve("IListener.idl").toString()), err.toString());
        assertTrue(Files.isRegularFile(out.resolve("ohos/IIdlServiceExt.java")));
        assertTrue(Files.isRegularFile(out.resolve("ohos/IdlServiceExtProxy.java")));
        assertTrue(Files.isRegularFile(out.resolve("ohos/IdlServiceExtStub.java")));
        assertTrue(Files.isRegularFile(out.resolve("ohos/harmonia/test/ListenerStub.java")));
        assertEquals(6, this.out.toString().lines().count(), "-v lists every file written");
        assertEquals("", err.toString());
    }

    @Test
    void anErrorInAFileIsPrintedWithItsPositionAndNothingIsWritten(@TempDir final Path dir) throws Exception
    {
        final Path good = Files.writeString(dir.resolve("IGood.idl"), "interface OHOS.IGood { void Bar(); }");
        final Path bad = Files.writeString(dir.resolve("IBad.idl"), "interface OHOS.IBad {\n  void Bar([in] char c);\n}");
        final Path out = dir.resolve("generated");
        assertEquals(1, run("-d", out.toString(), good.toString(), bad.toString()));
        assertTrue(err.toString().startsWith(bad + ":2:17: error: 'char' is not supported"), err.toString());
        assertFalse(Files.exists(out), "nothing is written when a file has an error");
    }

    @Test
    void aMissingFileIsAnError(@TempDir final Path dir)
    {
        assertEquals(1, run("-d", dir.toString(), dir.resolve("INone.idl").toString()));
        assertTrue(err.toString().contains("INone.idl:1:1: error: cannot read the file"), err.toString());
    }

    @Test
    void badUsageExitsWithTwo()
    {
        assertEquals(2, run("IFoo.idl"));
        assertTrue(err.toString().contains("Missing required option: '--out=<outdir>'"), err.toString());
        assertEquals(2, run("-d", "out"));
    }
}
