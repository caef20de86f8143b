package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import ohos.IdlServiceExtProxy;
import ohos.harmonia.test.AllTypesProxy;
import ohos.harmonia.test.Point;

/**
 * The request the generated Java proxy writes for a call must equal, byte for byte, what OpenHarmony's generated
 * C++ proxy writes for the same call (src/test/resources/compat/cpp-proxy-requests.txt, derived item by item from
 * the upstream rules and commented), after the 8-byte binder header of MessageParcel's interface token, which
 * Harmonia's IpcIo token does not carry. The code and the sync/one-way option must match too.
 */
class WireCompatibilityTest
{
    private static final Path VECTORS = TestFiles.MODULE.resolve("src/test/resources/compat/cpp-proxy-requests.txt");
    private static final String BINDER_HEADER = "0001000000000000";

    /** One call of the vector file. */
    record Vector(String call, int code, String option, String binderHeader, byte[] bytes)
    {
    }

    /** Remembers the request of the one call made on it, and refuses it (the reply does not matter here). */
    static final class Recorder extends RemoteObject
    {
        int code;
        boolean oneWay;
        byte[] request;

        Recorder()
        {
            super("recorder");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
            final MessageOption option)
        {
            this.code = code;
            this.oneWay = option.isAsync();
            this.request = data.data().toArray(ValueLayout.JAVA_BYTE);
            return false;
        }
    }

    /** The Java call for each call of the vector file. */
    private static Map<String, Consumer<Recorder>> calls()
    {
        final Map<String, Consumer<Recorder>> calls = new LinkedHashMap<>();
        calls.put("IIdlServiceExt.ProcessData(1)", r -> new IdlServiceExtProxy(r).processData(1));
        calls.put("IIdlServiceExt.InsertDataToMap(\"theKey\", 1)",
            r -> new IdlServiceExtProxy(r).insertDataToMap("theKey", 1));
        calls.put("IAllTypes.Ping()", r -> new AllTypesProxy(r).ping());
        calls.put("IAllTypes.Flip(true)", r -> new AllTypesProxy(r).flip(true));
        calls.put("IAllTypes.AddBytes(-2, 127)", r -> new AllTypesProxy(r).addBytes((byte)-2, (byte)127));
        calls.put("IAllTypes.NegateShort(-300)", r -> new AllTypesProxy(r).negateShort((short)-300));
        calls.put("IAllTypes.Scale(1099511627781, 2.5f)", r -> new AllTypesProxy(r).scale((1L << 40) | 5, 2.5f));
        calls.put("IAllTypes.Echo(\"héllo, 世界 🎉\")", r -> new AllTypesProxy(r).echo("héllo, 世界 🎉"));
        calls.put("IAllTypes.Echo(\"\")", r -> new AllTypesProxy(r).echo(""));
        calls.put("IAllTypes.Swap(\"a\", \"bc\")", r -> new AllTypesProxy(r).swap("a", "bc"));
        calls.put("IAllTypes.Primitives([-1, 2], [1.5], [-0.25f], [1L << 40], [true, false])",
            r -> new AllTypesProxy(r).primitives(new byte[] {-1, 2}, new double[] {1.5}, new float[] {-0.25f},
                new long[] {1L << 40}, new boolean[] {true, false}));
        calls.put("IAllTypes.Range(-1, 3)", r -> new AllTypesProxy(r).range(-1, 3));
        calls.put("IAllTypes.CountWords([\"x\", \"yy\"])", r -> new AllTypesProxy(r).countWords(new String[] {"x", "yy"}));
        calls.put("IAllTypes.GroupByLength(List.of(\"ab\"))", r -> new AllTypesProxy(r).groupByLength(List.of("ab")));
        calls.put("IAllTypes.Tables({\"k\": {7: [1, 2]}})",
            r -> new AllTypesProxy(r).tables(Map.of("k", Map.of(7, new int[] {1, 2}))));
        calls.put("IAllTypes.Move(Point(1, 2), 3, Point(-4, 5))",
            r -> new AllTypesProxy(r).move(new Point(1, 2), 3, new Point(-4, 5)));
        calls.put("IAllTypes.Reverse(List.of(Point(1, 2)))", r -> new AllTypesProxy(r).reverse(List.of(new Point(1, 2))));
        calls.put("IAllTypes.Broadcast(\"evt\", {\"a\": \"b\"})",
            r -> new AllTypesProxy(r).broadcast("evt", Map.of("a", "b")));
        return calls;
    }

    static List<Vector> load() throws IOException
    {
        final List<Vector> vectors = new ArrayList<>();
        String call = null;
        String binderHeader = null;
        String option = null;
        int code = 0;
        final StringBuilder hex = new StringBuilder();
        final List<String> lines = new ArrayList<>(Files.readAllLines(VECTORS));
        lines.add("");
        for (final String raw : lines)
        {
            final String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')).strip() : raw.strip();
            if (line.isEmpty())
            {
                if (null != call && !raw.startsWith("#"))
                {
                    vectors.add(new Vector(call, code, option, binderHeader, HexFormat.of().parseHex(hex)));
                    call = null;
                    hex.setLength(0);
                }
                continue;
            }
            final String value = line.substring(line.indexOf(' ') + 1);
            switch (line.substring(0, line.indexOf(' ')))
            {
                case "call" -> call = value;
                case "code" -> code = Integer.parseInt(value);
                case "option" -> option = value;
                case "binder-header" -> binderHeader = value.replace(" ", "");
                case "bytes" -> hex.append(value.replace(" ", ""));
                default -> throw new IllegalStateException("unknown line in " + VECTORS + ": " + raw);
            }
        }
        return vectors;
    }

    @Test
    void everyVectorHasAJavaCallAndEveryJavaCallAVector() throws IOException
    {
        assertEquals(List.copyOf(calls().keySet()), load().stream().map(Vector::call).toList());
    }

    @TestFactory
    Stream<DynamicTest> javaProxyWritesTheBytesOfTheCppProxy() throws IOException
    {
        final Map<String, Consumer<Recorder>> calls = calls();
        return load().stream().map(vector -> DynamicTest.dynamicTest(vector.call(), () ->
        {
            assertEquals(BINDER_HEADER, vector.binderHeader(), "MessageParcel's token header: 0x100, then 0");
            final Recorder recorder = new Recorder();
            try
            {
                calls.get(vector.call()).accept(recorder);
            }
            catch (final RuntimeException refusedByTheRecorder)
            {
                // expected for two-way calls: the recorder does not answer
            }
            assertNotNull(recorder.request, "the call reached the object");
            assertEquals(vector.code(), recorder.code, "request code");
            assertEquals("TF_ASYNC".equals(vector.option()), recorder.oneWay, "option");
            assertEquals(HexFormat.of().formatHex(vector.bytes()), HexFormat.of().formatHex(recorder.request),
                "request bytes after the binder header");
            assertTrue(recorder.request.length % 4 == 0, "every item is padded to 4");
        }));
    }
}
