package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A libFuzzer-style run over the compiler in-process: inputs made by mutating a corpus (the golden IDL files,
 * random valid files and snippets of every construct, refused ones included) with a dictionary of the language's
 * tokens, at the character and at the byte level. The compiler must answer each input with generated files or an
 * {@link IdlException}, nothing else, and each within a bound (no hang). Seeded, so a failure names the seed and
 * the input that reproduces it; {@code -Dharmonia.idl.fuzz.seed} and {@code -Dharmonia.idl.fuzz.runs} change the
 * run.
 */
class ParserFuzzTest
{
    private static final long SEED = Long.getLong("harmonia.idl.fuzz.seed", 17L);
    private static final int RUNS = Integer.getInteger("harmonia.idl.fuzz.runs", 10_000);
    /** A hang shows as minutes; a loaded CI machine can stall one input for a second or two, so the bound is loose. */
    private static final Duration ONE_INPUT = Duration.ofSeconds(20);
    private static final Duration WHOLE_RUN = Duration.ofSeconds(120);

    private static final List<String> DICTIONARY = List.of(
        "interface", "sequenceable", "package", "import", "oneway", "callback", "in", "out", "inout", "void",
        "boolean", "byte", "short", "int", "long", "float", "double", "String", "List", "Map", "char", "unsigned",
        "enum", "struct", "union", "extends", "ipccode", "cacheable", "[", "]", "<", ">", "{", "}", "(", ")", ";",
        ",", ".", "..", "/*", "*/", "//", "\n", "\r", "\t", " ", "[]", "[in]", "[out]", "[inout]", "[oneway]",
        "List<", "Map<", "OHOS.", "IFoo", "Point", "class", "_", "COMMAND_X", "0x7f", "é", "\u0000", "\uFEFF",
        "\uD83C", "\uDF89", "List<List<List<List<List<List<List<List<List<int>>>>>>>>>", "int[][][][][][][][][][]");

    @Test
    void theCompilerAnswersEveryInputWithFilesOrAnIdlException() throws Exception
    {
        final List<String> corpus = corpus();
        final Random random = new Random(SEED);
        final long[] accepted = new long[1];
        assertTimeoutPreemptively(WHOLE_RUN, () ->
        {
            for (int run = 0; run < RUNS; run++)
            {
                final String input = mutate(random, corpus);
                final long start = System.nanoTime();
                try
                {
                    if (random.nextInt(8) == 0)
                    {
                        // Byte level: invalid UTF-8, stray marks, cut sequences.
                        final byte[] bytes = mutateBytes(random, input.getBytes(StandardCharsets.UTF_8));
                        IdlCompiler.compile("IFoo.idl", IdlCompiler.decode("IFoo.idl", bytes));
                    }
                    else
                    {
                        IdlCompiler.compile(random.nextBoolean() ? "IFoo.idl" : "input", input);
                    }
                    accepted[0]++;
                }
                catch (final IdlException expected)
                {
                    assertTrue(expected.line() >= 1 && expected.column() >= 1, expected.getMessage());
                }
                catch (final Throwable unexpected)
                {
                    throw new AssertionError("seed " + SEED + ", run " + run + ": " + unexpected + " for input:\n" +
                        escape(input), unexpected);
                }
                final Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(took.compareTo(ONE_INPUT) < 0, "seed " + SEED + ", run " + run + " took " + took +
                    " for input:\n" + escape(input));
            }
        });
        assertTrue(accepted[0] > RUNS / 100, "the mutations also reach valid files: " + accepted[0]);
    }

    private static List<String> corpus() throws Exception
    {
        final List<String> corpus = new ArrayList<>();
        for (final var file : TestFiles.idlFiles())
        {
            corpus.add(TestFiles.read(file).replace("IAllTypes", "IFoo").replace("IListener {", "IFoo {")
                .replace("IIdlServiceExt", "IFoo"));
        }
        final Random random = new Random(SEED);
        for (int i = 0; i < 20; i++)
        {
            corpus.add(RandomIdl.generate(random, i).replace("IGen" + i, "IFoo"));
        }
        corpus.add("interface OHOS.IFoo { int ProcessData([in] int data); }");
        corpus.add("[oneway] interface OHOS.IFoo { void Bar([in] Map<String, List<int[]>> m); }");
        corpus.add("package OHOS;\nsequenceable a..b.Point;\ninterface c.IBar;\ninterface IFoo { Point Get([out] IBar b); }");
        corpus.add("import ../Types;\nenum E { A = 1 << 2 };\nstruct S { int a; };\ninterface OHOS.IFoo {}");
        corpus.add("interface OHOS.IFoo { [ipccode 0x10, cacheable 100] void Bar([in] unsigned char c); }");
        return corpus;
    }

    private static String mutate(final Random random, final List<String> corpus)
    {
        final StringBuilder text = new StringBuilder(corpus.get(random.nextInt(corpus.size())));
        final int steps = 1 + random.nextInt(4);
        for (int step = 0; step < steps; step++)
        {
            final int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(7))
            {
                case 0 -> text.insert(at, DICTIONARY.get(random.nextInt(DICTIONARY.size())));
                case 1 ->
                {
                    if (at < text.length())
                    {
                        text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(12)));
                    }
                }
                case 2 ->
                {
                    if (at < text.length())
                    {
                        text.setCharAt(at, (char)(random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
                    }
                }
                case 3 ->
                {
                    final int end = Math.min(text.length(), at + random.nextInt(40));
                    text.insert(at, text.substring(at, end));
                }
                case 4 ->
                {
                    final String other = corpus.get(random.nextInt(corpus.size()));
                    final int from = random.nextInt(other.length());
                    text.insert(at, other, from, Math.min(other.length(), from + random.nextInt(60)));
                }
                case 5 -> text.setLength(at);
                default -> text.insert(at, DICTIONARY.get(random.nextInt(DICTIONARY.size())).repeat(1 + random.nextInt(40)));
            }
        }
        return text.toString();
    }

    private static byte[] mutateBytes(final Random random, final byte[] bytes)
    {
        final byte[] copy = bytes.clone();
        for (int i = 0; i < 1 + random.nextInt(3) && copy.length > 0; i++)
        {
            copy[random.nextInt(copy.length)] = (byte)random.nextInt(256);
        }
        return copy;
    }

    private static String escape(final String input)
    {
        final StringBuilder escaped = new StringBuilder();
        input.chars().forEach(c -> escaped.append(c < 0x20 && c != '\n' || c > 0x7e ? String.format("\\u%04x", c)
            : String.valueOf((char)c)));
        return escaped.toString();
    }
}
