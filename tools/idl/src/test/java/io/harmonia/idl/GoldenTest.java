package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import ohos.IIdlServiceExt;
import ohos.harmonia.test.IAllTypes;

/**
 * The compiler's output for the seed's IIdlServiceExt.idl and for IAllTypes.idl (every supported construct) must
 * equal the committed files under src/test/golden, which the build compiles with -Xlint:all -Werror and the other
 * tests call through. {@code -Dharmonia.idl.golden.regenerate=true} rewrites them instead (review the diff).
 */
class GoldenTest
{
    private static final boolean REGENERATE = Boolean.getBoolean("harmonia.idl.golden.regenerate");

    @TestFactory
    Stream<DynamicTest> generatedSourcesEqualTheGoldenFiles() throws IOException, IdlException
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path idl : TestFiles.idlFiles())
        {
            for (final IdlCompiler.GeneratedFile file : IdlCompiler.compile(idl))
            {
                tests.add(DynamicTest.dynamicTest(idl.getFileName() + " -> " + file.path(), () ->
                {
                    final Path golden = TestFiles.GOLDEN.resolve(file.path());
                    if (REGENERATE)
                    {
                        Files.createDirectories(golden.getParent());
                        Files.writeString(golden, file.content());
                    }
                    assertTrue(Files.isRegularFile(golden), "missing golden file " + golden);
                    assertEquals(Files.readString(golden), file.content(),
                        "generated source differs from " + golden + " (regenerate deliberately, see the class comment)");
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void noGoldenFileIsLeftOver() throws Exception
    {
        final Set<String> generated = new TreeSet<>();
        for (final Path idl : TestFiles.idlFiles())
        {
            IdlCompiler.compile(idl).forEach(file -> generated.add(file.path()));
        }
        final Set<String> committed = new TreeSet<>();
        try (Stream<Path> files = Files.walk(TestFiles.GOLDEN))
        {
            files.filter(Files::isRegularFile)
                .forEach(file -> committed.add(TestFiles.GOLDEN.relativize(file).toString().replace('\\', '/')));
        }
        assertEquals(generated, committed);
        assertEquals(9, committed.size(), "three IDL files, three Java files each");
    }

    @Test
    void seedArtefactsAndCommandNumbers()
    {
        // F7 step 1: the three artefacts exist (compiled here) and the commands are 1 and 2 in declaration order.
        assertEquals("OHOS.IIdlServiceExt", IIdlServiceExt.DESCRIPTOR);
        assertEquals(1, IIdlServiceExt.COMMAND_PROCESS_DATA);
        assertEquals(2, IIdlServiceExt.COMMAND_INSERT_DATA_TO_MAP);
        assertEquals(ohos.IdlServiceExtStub.class.getSuperclass(), io.harmonia.rpc.RemoteObject.class);
        assertTrue(IIdlServiceExt.class.isAssignableFrom(ohos.IdlServiceExtProxy.class));
    }

    @Test
    void allTypesCodesFollowDeclarationOrder()
    {
        assertEquals("OHOS.Harmonia.Test.IAllTypes", IAllTypes.DESCRIPTOR);
        assertEquals(1, IAllTypes.COMMAND_PING);
        assertEquals(2, IAllTypes.COMMAND_FLIP);
        assertEquals(3, IAllTypes.COMMAND_ADD_BYTES);
        assertEquals(22, IAllTypes.COMMAND_BROADCAST);
    }
}
