package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ErrorCodeTest
{
    @Test
    void shouldKeepOpenHarmonyNumbers()
    {
        assertEquals(0, ErrorCode.EC_SUCCESS.code());
        assertEquals(-1, ErrorCode.EC_FAILURE.code());
        assertEquals(-2, ErrorCode.EC_BADPTR.code());
        assertEquals(-3, ErrorCode.EC_NOMEMORY.code());
        assertEquals(-4, ErrorCode.EC_ADDRESS.code());
        assertEquals(-5, ErrorCode.EC_IOERROR.code());
        assertEquals(-6, ErrorCode.EC_BUSBUSY.code());
        assertEquals(-7, ErrorCode.EC_NORESPONCE.code());
        assertEquals(-8, ErrorCode.EC_NODEVICE.code());
        assertEquals(-9, ErrorCode.EC_INVALID.code());
        assertEquals(-10, ErrorCode.EC_BUSY.code());
        assertEquals(-11, ErrorCode.EC_NOSERVICE.code());
        assertEquals(-12, ErrorCode.EC_PERMISSION.code());
        assertEquals(-13, ErrorCode.EC_NOFILE.code());
        assertEquals(-14, ErrorCode.EC_NOSPACE.code());
        assertEquals(-15, ErrorCode.EC_NODIR.code());
        assertEquals(-16, ErrorCode.EC_ROFILE.code());
        assertEquals(-17, ErrorCode.EC_NAMETOOLONG.code());
        assertEquals(-18, ErrorCode.EC_OPBLOCK.code());
        assertEquals(-19, ErrorCode.EC_TIMEOUT.code());
        assertEquals(-20, ErrorCode.EC_COMMU.code());
        assertEquals(-21, ErrorCode.EC_PROTOCOL.code());
        assertEquals(-22, ErrorCode.EC_CANCELED.code());
        assertEquals(-23, ErrorCode.EC_NOKEY.code());
        assertEquals(-24, ErrorCode.EC_NOHANDLER.code());
        assertEquals(-25, ErrorCode.EC_FLOWCTRL.code());
        assertEquals(-26, ErrorCode.EC_NOINIT.code());
        assertEquals(-27, ErrorCode.EC_NORESOURCE.code());
        assertEquals(1, ErrorCode.EC_ALREADY_SUBSCRIBED.code());
    }

    @Test
    void shouldMapEveryNumberBackToOneCode()
    {
        final Set<Integer> seen = new HashSet<>();
        for (final ErrorCode code : ErrorCode.values())
        {
            assertTrue(seen.add(code.code()), "duplicate number " + code.code());
            assertEquals(code, ErrorCode.of(code.code()));
        }
        assertTrue(ErrorCode.EC_SUCCESS.isSuccess());
        assertTrue(!ErrorCode.EC_BUSBUSY.isSuccess());
    }

    @Test
    void shouldRejectUnknownNumbers()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ErrorCode.of(-99));
        assertTrue(error.getMessage().contains("code=-99"), error.getMessage());
    }
}
