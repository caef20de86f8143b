package io.harmonia.samgr.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.registry.AccessPolicy;

/**
 * The decoder of untrusted samgr requests: every layout round-trips, every limit is enforced at its boundary with
 * an error that names the field, and random or mutated bytes (hundreds of thousands of messages in a few seconds)
 * only ever produce a request or a {@link SamgrProtocolException}: no other exception, no hang.
 */
@Timeout(120)
class SamgrDecoderFuzzTest
{
    private static final RemoteObject OBJECT = new RemoteObject("fuzz");

    private static MessageSequence written(final Consumer<MessageSequence> writer)
    {
        final MessageSequence data = MessageSequence.create();
        writer.accept(data);
        data.rewindRead(0);
        return data;
    }

    private static SamgrProtocolException refused(final int code, final Consumer<MessageSequence> writer)
    {
        try (MessageSequence data = written(writer))
        {
            return assertThrows(SamgrProtocolException.class, () -> SamgrDecoder.decodeRequest(code, data));
        }
    }

    @Test
    void everyRequestRoundTrips() throws Exception
    {
        final List<AccessPolicy> policies = List.of(AccessPolicy.range(0, 999), AccessPolicy.fixed(7, 10001),
            AccessPolicy.all());
        final SamgrKey feature = SamgrKey.feature("example", "feature");
        final SamgrKey service = SamgrKey.feature("exampleService", null);
        final SamgrKey ability = SamgrKey.ability(SamgrProtocol.MAX_ABILITY_ID);
        try (MessageSequence add = written(d -> SamgrWriter.add(d, feature, OBJECT, policies)))
        {
            final SamgrRequest.Add request = assertInstanceOf(SamgrRequest.Add.class,
                SamgrDecoder.decodeRequest(SamgrProtocol.ADD, add));
            assertEquals(feature, request.key());
            assertSame(OBJECT, request.object());
            assertEquals(policies, request.policies());
        }
        try (MessageSequence get = written(d -> SamgrWriter.get(d, service, SamgrProtocol.MAX_TIMEOUT_MILLIS)))
        {
            assertEquals(new SamgrRequest.Get(service, SamgrProtocol.MAX_TIMEOUT_MILLIS),
                SamgrDecoder.decodeRequest(SamgrProtocol.GET, get));
        }
        try (MessageSequence remove = written(d -> SamgrWriter.keyOnly(d, ability)))
        {
            assertEquals(new SamgrRequest.Remove(ability), SamgrDecoder.decodeRequest(SamgrProtocol.REMOVE, remove));
        }
        try (MessageSequence subscribe = written(d -> SamgrWriter.subscription(d, SamgrKey.all(), OBJECT)))
        {
            assertEquals(new SamgrRequest.Subscribe(SamgrKey.all(), OBJECT),
                SamgrDecoder.decodeRequest(SamgrProtocol.SUBSCRIBE, subscribe));
        }
        try (MessageSequence unsubscribe = written(d -> SamgrWriter.subscription(d, ability, OBJECT)))
        {
            assertEquals(new SamgrRequest.Unsubscribe(ability, OBJECT),
                SamgrDecoder.decodeRequest(SamgrProtocol.UNSUBSCRIBE, unsubscribe));
        }
        try (MessageSequence dump = written(d -> SamgrWriter.keyOnly(d, SamgrKey.all())))
        {
            assertEquals(new SamgrRequest.Dump(SamgrKey.all()), SamgrDecoder.decodeRequest(SamgrProtocol.DUMP, dump));
        }
    }

    @Test
    void theBytesAreTheDocumentedLayout()
    {
        // GET of ability 0x1234 with a 500 ms deadline: u32 kind 1, i32 id, i32 timeout (protocols.md, samgr).
        try (MessageSequence get = written(d -> SamgrWriter.get(d, SamgrKey.ability(0x1234), 500)))
        {
            assertEquals(12, get.getSize());
            assertEquals(SamgrProtocol.KIND_ABILITY, get.readInt());
            assertEquals(0x1234, get.readInt());
            assertEquals(500, get.readInt());
        }
        // A feature key: u32 2, str "svc" (u32 3, 'svc', NUL), bool 1, str "f" (u32 1, 'f', NUL, pad).
        try (MessageSequence key = written(d -> SamgrWriter.keyOnly(d, SamgrKey.feature("svc", "f"))))
        {
            final byte[] bytes = new byte[key.getSize()];
            MemorySegment.copy(key.data(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
            assertEquals(List.of(2, 0, 0, 0, 3, 0, 0, 0, 115, 118, 99, 0, 1, 0, 0, 0, 1, 0, 0, 0, 102, 0, 0, 0),
                toList(bytes));
        }
    }

    private static List<Integer> toList(final byte[] bytes)
    {
        final List<Integer> list = new ArrayList<>();
        for (final byte b : bytes)
        {
            list.add((int)b);
        }
        return list;
    }

    @Test
    void limitsAreEnforcedAtTheirBoundaries() throws Exception
    {
        // names: 15 bytes pass, 16 do not; empty and NUL-bearing names do not
        try (MessageSequence ok = written(d -> SamgrWriter.keyOnly(d, SamgrKey.feature("a".repeat(15), "b".repeat(15)))))
        {
            SamgrDecoder.decodeRequest(SamgrProtocol.REMOVE, ok);
        }
        assertNamed(refused(SamgrProtocol.REMOVE, d -> rawFeatureKey(d, "a".repeat(16), null)), "service name", "15");
        assertNamed(refused(SamgrProtocol.REMOVE, d -> rawFeatureKey(d, "svc", "f".repeat(16))), "feature name", "15");
        assertNamed(refused(SamgrProtocol.REMOVE, d -> rawFeatureKey(d, "", null)), "service name", "1..15");
        assertNamed(refused(SamgrProtocol.REMOVE, d -> rawFeatureKey(d, "a\0b", null)), "service name", "NUL");
        // a multi-byte name is counted in bytes: 5 x 3 bytes pass, 6 x 3 do not
        try (MessageSequence ok = written(d -> rawFeatureKey(d, "\u20ac".repeat(5), null)))
        {
            SamgrDecoder.decodeRequest(SamgrProtocol.REMOVE, ok);
        }
        assertNamed(refused(SamgrProtocol.REMOVE, d -> rawFeatureKey(d, "\u20ac".repeat(6), null)), "service name",
            "18 bytes");
        // ability ids
        assertNamed(refused(SamgrProtocol.REMOVE, d -> { d.writeInt(1); d.writeInt(0x01000000); }),
            "system ability id", "0xffffff");
        assertNamed(refused(SamgrProtocol.REMOVE, d -> { d.writeInt(1); d.writeInt(-1); }), "system ability id", "0..");
        // kinds: unknown, and KIND_ALL where one entry is needed
        assertNamed(refused(SamgrProtocol.REMOVE, d -> d.writeInt(3)), "key kind", "0..2");
        assertNamed(refused(SamgrProtocol.GET, d -> { d.writeInt(0); d.writeInt(0); }), "key kind", "one entry");
        // timeouts
        assertNamed(refused(SamgrProtocol.GET, d -> SamgrWriter.get(d, SamgrKey.ability(1),
            SamgrProtocol.MAX_TIMEOUT_MILLIS + 1)), "timeout", "60000");
        assertNamed(refused(SamgrProtocol.GET, d -> SamgrWriter.get(d, SamgrKey.ability(1), -1)), "timeout", "0..");
        // policies: 8 pass, 9 do not; FIXED with 0 or 9 uids; RANGE upside down; unknown type
        final List<AccessPolicy> eight = java.util.Collections.nCopies(8, AccessPolicy.fixed(1, 2, 3, 4, 5, 6, 7, 8));
        try (MessageSequence ok = written(d -> SamgrWriter.add(d, SamgrKey.ability(1), OBJECT, eight)))
        {
            assertEquals(eight, ((SamgrRequest.Add)SamgrDecoder.decodeRequest(SamgrProtocol.ADD, ok)).policies());
        }
        assertNamed(refused(SamgrProtocol.ADD, d -> addWithPolicyBytes(d, 9)), "policy count", "0..8");
        assertNamed(refused(SamgrProtocol.ADD, d -> addWithPolicyBytes(d, 1, 2, 0)), "policy uid count", "1..8");
        assertNamed(refused(SamgrProtocol.ADD, d -> addWithPolicyBytes(d, 1, 2, 9)), "policy uid count", "1..8");
        assertNamed(refused(SamgrProtocol.ADD, d -> addWithPolicyBytes(d, 1, 1, 10, 5)), "policy uid min", "above");
        assertNamed(refused(SamgrProtocol.ADD, d -> addWithPolicyBytes(d, 1, 4)), "policy type", "1 (RANGE)");
        // a RANGE is unsigned: 0..0xFFFFFFFF is valid
        try (MessageSequence ok = written(d -> addWithPolicyBytes(d, 1, 1, 0, -1)))
        {
            SamgrDecoder.decodeRequest(SamgrProtocol.ADD, ok);
        }
        // bools are 0 or 1; objects must be there; nothing may follow the layout; codes are 1..6
        assertNamed(refused(SamgrProtocol.REMOVE, d -> { d.writeInt(2); d.writeUtf8String("svc"); d.writeInt(2); }),
            "has feature", "0 or 1");
        assertNamed(refused(SamgrProtocol.ADD, d -> { SamgrWriter.keyOnly(d, SamgrKey.ability(1)); d.writeInt(0); }),
            "object", "remote object");
        assertNamed(refused(SamgrProtocol.DUMP, d -> { SamgrWriter.keyOnly(d, SamgrKey.all()); d.writeInt(0); }),
            "4 bytes after", "layout");
        assertNamed(refused(SamgrProtocol.GET, d -> SamgrWriter.keyOnly(d, SamgrKey.ability(1))), "timeout", "ends");
        assertNamed(refused(0, d -> { }), "request code 0", "1..6");
        assertNamed(refused(7, d -> { }), "request code 7", "1..6");
        final SamgrProtocolException noBody = assertThrows(SamgrProtocolException.class,
            () -> SamgrDecoder.decodeRequest(SamgrProtocol.GET, null));
        assertEquals(ErrorCode.EC_INVALID, noBody.status());
    }

    private static void rawFeatureKey(final MessageSequence data, final String service, final String feature)
    {
        data.writeInt(SamgrProtocol.KIND_FEATURE);
        data.writeUtf8String(service);
        data.writeBoolean(null != feature);
        if (null != feature)
        {
            data.writeUtf8String(feature);
        }
    }

    /** An ADD of ability 1 whose policy list is the given ints (count first). */
    private static void addWithPolicyBytes(final MessageSequence data, final int... ints)
    {
        SamgrWriter.keyOnly(data, SamgrKey.ability(1));
        data.writeRemoteObject(OBJECT);
        for (final int value : ints)
        {
            data.writeInt(value);
        }
    }

    private static void assertNamed(final SamgrProtocolException failure, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(failure.getMessage().contains(part), "'" + failure.getMessage() + "' should name '" + part + "'");
        }
    }

    @Test
    void randomAndMutatedBytesGiveOnlyTheDecodersOwnError()
    {
        final SplittableRandom random = new SplittableRandom(0x5a3c);
        final List<byte[]> seeds = seeds();
        final long deadline = System.nanoTime() + 4_000_000_000L;
        int messages = 0;
        int decoded = 0;
        while (System.nanoTime() < deadline || messages < 50_000)
        {
            final byte[] bytes;
            final int choice = random.nextInt(4);
            if (0 == choice)
            {
                bytes = new byte[random.nextInt(64)];
                for (int i = 0; i < bytes.length; i++)
                {
                    bytes[i] = (byte)random.nextInt(256);
                }
            }
            else
            {
                bytes = mutate(seeds.get(random.nextInt(seeds.size())), random);
            }
            final int code = random.nextInt(10) < 8 ? 1 + random.nextInt(6) : random.nextInt();
            final long start = System.nanoTime();
            try (MessageSequence data = MessageSequence.copyFrom(MemorySegment.ofArray(bytes), new long[0]))
            {
                SamgrDecoder.decodeRequest(code, data);
                decoded++;
            }
            catch (final SamgrProtocolException expected)
            {
                assertEquals(ErrorCode.EC_INVALID, expected.status());
            }
            catch (final Throwable other)
            {
                fail("code " + code + ", bytes " + Arrays.toString(bytes) + ": " + other, other);
            }
            final long tookNs = System.nanoTime() - start;
            assertTrue(tookNs < 500_000_000L, "one message took " + tookNs / 1_000_000 + " ms");
            messages++;
        }
        System.out.println("samgr decoder: " + messages + " random and mutated messages, " + decoded
            + " decoded as valid requests, the rest refused with SamgrProtocolException");
        assertTrue(decoded > 0, "some mutations keep a valid request (the seeds are valid)");
    }

    /** Valid requests without objects (bytes alone cannot carry a reference), to mutate. */
    private static List<byte[]> seeds()
    {
        final List<byte[]> seeds = new ArrayList<>();
        final List<Consumer<MessageSequence>> writers = List.of(
            d -> SamgrWriter.get(d, SamgrKey.ability(42), 0),
            d -> SamgrWriter.get(d, SamgrKey.feature("example", "feature"), 1000),
            d -> SamgrWriter.keyOnly(d, SamgrKey.feature("exampleService", null)),
            d -> SamgrWriter.keyOnly(d, SamgrKey.all()),
            d -> SamgrWriter.policies(d, List.of(AccessPolicy.range(0, 999), AccessPolicy.fixed(7), AccessPolicy.all())));
        for (final Consumer<MessageSequence> writer : writers)
        {
            try (MessageSequence data = written(writer))
            {
                final byte[] bytes = new byte[data.getSize()];
                MemorySegment.copy(data.data(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
                seeds.add(bytes);
            }
        }
        return seeds;
    }

    private static byte[] mutate(final byte[] seed, final SplittableRandom random)
    {
        byte[] bytes = seed.clone();
        final int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.nextInt(5))
            {
                case 0 -> bytes = Arrays.copyOf(bytes, Math.max(0, bytes.length - 1 - random.nextInt(8)));
                case 1 -> bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
                case 2 ->
                {
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
                    }
                }
                case 3 ->
                {
                    // a boundary value in an aligned int slot: lengths, counts, kinds, ids
                    if (bytes.length >= 4)
                    {
                        final int at = random.nextInt(bytes.length / 4) * 4;
                        final int[] boundaries = {0, 1, 2, 3, 8, 9, 15, 16, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
                            0x00FFFFFF, 0x01000000, 60_000, 60_001};
                        final int value = boundaries[random.nextInt(boundaries.length)];
                        for (int i = 0; i < 4; i++)
                        {
                            bytes[at + i] = (byte)(value >>> (8 * i));
                        }
                    }
                }
                default ->
                {
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    }
                }
            }
        }
        return bytes;
    }
}
