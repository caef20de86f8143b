package io.harmonia.spawn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class SpawnRequestTest
{
    private static SpawnRequest.Builder valid()
    {
        return SpawnRequest.builder().processName("p").soPath("/lib.so").ids(1, 1);
    }

    private static void refused(final UnaryOperator<SpawnRequest.Builder> change, final String message)
    {
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        assertEquals(message, error.getMessage());
    }

    private static void accepted(final UnaryOperator<SpawnRequest.Builder> change)
    {
        assertDoesNotThrow(() -> change.apply(valid()).build());
    }

    @Test
    void shouldCheckStringsAtTheirByteLimits()
    {
        refused(b -> b.processName(""), "processName: 0 bytes, must be 1..255");
        accepted(b -> b.processName("x".repeat(255)));
        refused(b -> b.processName("x".repeat(256)), "processName: 256 bytes, must be 1..255");
        refused(b -> b.processName("é".repeat(128)), "processName: 256 bytes, must be 1..255"); // UTF-8 bytes
        refused(b -> b.processName("a\0b"), "processName: contains a NUL character");
        accepted(b -> b.bundleName(""));
        refused(b -> b.bundleName("b".repeat(256)), "bundleName: 256 bytes, must be 0..255");
        refused(b -> b.soPath("lib.so"), "soPath=lib.so: must be an absolute path");
        accepted(b -> b.soPath("/" + "s".repeat(254)));
        refused(b -> b.soPath("/" + "s".repeat(255)), "soPath: 256 bytes, must be 1..255");
        accepted(b -> b.apl("a".repeat(31)));
        refused(b -> b.apl("a".repeat(32)), "apl: 32 bytes, must be 0..31");
        accepted(b -> b.dataDir(""));
        accepted(b -> b.dataDir("/" + "d".repeat(254)));
        refused(b -> b.dataDir("/" + "d".repeat(255)), "dataDir: 256 bytes, must be 0..255");
        refused(b -> b.dataDir("data"), "dataDir=data: must be empty or an absolute path");
    }

    @Test
    void shouldRefuseCharactersOutsideEachFieldsSetWithoutRepeatingTheValue()
    {
        accepted(b -> b.processName("Com.Example_2:render-1"));
        refused(b -> b.processName("app\nFORGED line"), "processName: character 3 (U+000A) is not allowed: must hold "
            + "ASCII letters, digits, '.', '_', ':' and '-' only");
        refused(b -> b.processName("app name"), "processName: character 3 (U+0020) is not allowed: must hold ASCII "
            + "letters, digits, '.', '_', ':' and '-' only");
        refused(b -> b.processName("appé"), "processName: character 3 (U+00E9) is not allowed: must hold ASCII "
            + "letters, digits, '.', '_', ':' and '-' only");
        accepted(b -> b.bundleName("Com.Example_2"));
        refused(b -> b.bundleName("1com.example"), "bundleName: character 0 (U+0031) is not allowed: must hold an "
            + "ASCII letter, then letters, digits, '.' and '_' only");
        refused(b -> b.bundleName("com-example"), "bundleName: character 3 (U+002D) is not allowed: must hold an "
            + "ASCII letter, then letters, digits, '.' and '_' only");
        refused(b -> b.bundleName("com.example\r"), "bundleName: character 11 (U+000D) is not allowed: must hold an "
            + "ASCII letter, then letters, digits, '.' and '_' only");
        accepted(b -> b.apl("system_core"));
        refused(b -> b.apl("System"), "apl: character 0 (U+0053) is not allowed: must hold lower-case ASCII letters "
            + "and '_' only");
        accepted(b -> b.soPath("/opt/my apps/lib'x\".é.so"));
        refused(b -> b.soPath("/opt/lib\n.so"), "soPath: character 8 (U+000A) is not allowed: must hold characters "
            + "other than control characters only");
        refused(b -> b.soPath("/opt/lib\u007f.so"), "soPath: character 8 (U+007F) is not allowed: must hold "
            + "characters other than control characters only");
        refused(b -> b.dataDir("/data\u001b[2J"), "dataDir: character 5 (U+001B) is not allowed: must hold "
            + "characters other than control characters only");
    }

    @Test
    void shouldCheckIdsAndGroups()
    {
        refused(b -> b.ids(0, 1), "uid=0: must be 1..2147483647");
        refused(b -> b.ids(1, -1), "gid=-1: must be 1..2147483647");
        accepted(b -> b.ids(Integer.MAX_VALUE, Integer.MAX_VALUE));
        accepted(b -> b.gids(new int[64]).gids(java.util.stream.IntStream.rangeClosed(1, 64).toArray()));
        refused(b -> b.gids(java.util.stream.IntStream.rangeClosed(1, 65).toArray()), "gids: 65 groups, at most 64");
        refused(b -> b.gids(5, 0), "gids[]=0: must be 1..2147483647");
    }

    @Test
    void shouldCollectCapabilitiesAsABitMask()
    {
        final SpawnRequest request = valid().capabilities(10, 5).capabilities(63).build();
        assertEquals((1L << 10) | (1L << 5) | (1L << 63), request.capabilities());
        assertTrue(request.hasCapability(10));
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> valid().capabilities(64));
        assertEquals("capability 64: must be 0..63", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> valid().capabilities(-1));
    }

    @Test
    void shouldRequireNameAndLibrary()
    {
        assertThrows(NullPointerException.class, () -> SpawnRequest.builder().soPath("/a").ids(1, 1).build());
        assertThrows(NullPointerException.class, () -> SpawnRequest.builder().processName("a").ids(1, 1).build());
    }

    @Test
    void shouldKeepItsGroupsToItself()
    {
        final int[] gids = {7, 8};
        final SpawnRequest request = valid().gids(gids).build();
        gids[0] = 99;
        request.gids()[1] = 99;
        assertArrayEquals(new int[] {7, 8}, request.gids());
        assertEquals(request, valid().gids(7, 8).build());
        assertEquals(request.hashCode(), valid().gids(7, 8).build().hashCode());
    }

    @Test
    void shouldParseCapabilityNames()
    {
        assertEquals(10, Capabilities.parse("CAP_NET_BIND_SERVICE"));
        assertEquals(10, Capabilities.parse("net_bind_service"));
        assertEquals(40, Capabilities.parse("40"));
        assertEquals(40, Capabilities.parse("CAP_CHECKPOINT_RESTORE"));
        assertEquals(41, Capabilities.NAMES.size());
        assertThrows(IllegalArgumentException.class, () -> Capabilities.parse("CAP_FLY"));
        assertThrows(IllegalArgumentException.class, () -> Capabilities.parse("64"));
        assertThrows(IllegalArgumentException.class, () -> Capabilities.parse("1000"));
    }
}
