package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** System capabilities: names of 1..64 bytes, at most 512. */
class SystemCapabilityTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    @Test
    void shouldAddFindAndListCapabilitiesInOrder()
    {
        assertFalse(samgr.hasSystemCapability("SystemCapability.Startup.AppSpawn"));
        samgr.addSystemCapability("SystemCapability.Startup.AppSpawn");
        samgr.addSystemCapability("SystemCapability.Communication.IPC");
        samgr.addSystemCapability("SystemCapability.Startup.AppSpawn");
        assertTrue(samgr.hasSystemCapability("SystemCapability.Startup.AppSpawn"));
        assertEquals(List.of("SystemCapability.Startup.AppSpawn", "SystemCapability.Communication.IPC"),
            samgr.getSystemAvailableCapabilities());
    }

    @Test
    void shouldAcceptOneToSixtyFourBytesOnly()
    {
        final String longest = "x".repeat(Samgr.MAX_SYSCAP_NAME_LEN);
        samgr.addSystemCapability(longest);
        samgr.addSystemCapability("y");
        assertTrue(samgr.hasSystemCapability(longest));
        final String tooLong = longest + "x";
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> samgr.addSystemCapability(tooLong));
        assertTrue(error.getMessage().contains("1..64 bytes"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> samgr.addSystemCapability(""));
        assertThrows(IllegalArgumentException.class, () -> samgr.addSystemCapability(null));
        assertThrows(IllegalArgumentException.class,
            () -> samgr.addSystemCapability("\u00e9".repeat(33)), "66 bytes in UTF-8");
        assertFalse(samgr.hasSystemCapability(tooLong));
        assertFalse(samgr.hasSystemCapability(""));
        assertFalse(samgr.hasSystemCapability(null));
        assertEquals(2, samgr.getSystemAvailableCapabilities().size());
    }

    @Test
    void shouldStopAtMaxSyscapNum()
    {
        for (int i = 0; i < Samgr.MAX_SYSCAP_NUM; i++)
        {
            samgr.addSystemCapability("SystemCapability.Test." + i);
        }
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.addSystemCapability("SystemCapability.Test.512"));
        assertEquals(ErrorCode.EC_NORESOURCE, error.errorCode());
        assertTrue(error.getMessage().contains("MAX_SYSCAP_NUM=512"), error.getMessage());
        samgr.addSystemCapability("SystemCapability.Test.0");
        assertEquals(Samgr.MAX_SYSCAP_NUM, samgr.getSystemAvailableCapabilities().size());
        assertFalse(samgr.hasSystemCapability("SystemCapability.Test.512"));
    }
}
