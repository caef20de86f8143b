package io.harmonia.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SpawnExceptionTest
{
    @Test
    void shouldSplitStepAndErrnoAndDescribeThemAsLibharmoniaDoes()
    {
        final SpawnException error = new SpawnException(SpawnException.replyOf(SpawnStep.SETRESUID, 1));
        assertEquals(-((8 << 16) | 1), error.reply());
        assertEquals(SpawnStep.SETRESUID, error.step());
        assertEquals(1, error.detail());
        assertNull(error.field());
        assertEquals("step setresuid failed: EPERM 1 (Operation not permitted)", error.getMessage());
    }

    @Test
    void shouldNameTheFieldOfARefusedRequest()
    {
        final SpawnException error = new SpawnException(
            SpawnException.replyOf(SpawnStep.REQUEST, RequestField.PROCESS_NAME.code()));
        assertEquals(SpawnStep.REQUEST, error.step());
        assertEquals(RequestField.PROCESS_NAME, error.field());
        assertEquals("invalid request: processName must be 1..255 bytes followed by a NUL and zero padding",
            error.getMessage());
    }

    @Test
    void shouldReadPlainErrnoAsADaemonFailure()
    {
        final SpawnException error = new SpawnException(-110);
        assertEquals(SpawnStep.DAEMON, error.step());
        assertEquals(110, error.detail());
        assertEquals("appspawn failed: ETIMEDOUT 110 (Connection timed out)", error.getMessage());
    }

    @Test
    void shouldMirrorEveryStepAndFieldNumber()
    {
        for (int code = 0; code <= 16; code++)
        {
            assertEquals(code, SpawnStep.of(code).code());
        }
        assertNull(SpawnStep.of(17));
        for (int code = 1; code <= 16; code++)
        {
            assertEquals(code, RequestField.of(code).code());
        }
        assertNull(RequestField.of(0));
    }
}
