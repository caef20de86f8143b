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
        assertEquals(-((9 << 16) | 1), error.reply());
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
        assertEquals("invalid request: processName must be 1..255 bytes of ASCII letters, digits, '.', '_', ':' and "
            + "'-', then a NUL and zero padding", error.getMessage());
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
        for (int code = 0; code <= 18; code++)
        {
            assertEquals(code, SpawnStep.of(code).code());
        }
        assertNull(SpawnStep.of(19));
        for (int code = 1; code <= 17; code++)
        {
            assertEquals(code, RequestField.of(code).code());
        }
        assertNull(RequestField.of(0));
        assertNull(RequestField.of(18));
    }

    @Test
    void shouldNameThePathAndTheUidOfAStepThatCouldNotOpenIt()
    {
        final SpawnRequest request = SpawnRequest.builder().processName("p").soPath("/home/me/private/libapp.so")
            .ids(65534, 65534).dataDir("/data/app/p").build();
        assertEquals("step load failed: EACCES 13 (Permission denied): uid 65534 cannot open "
            + "/home/me/private/libapp.so", new SpawnException(SpawnException.replyOf(SpawnStep.LOAD, 13), request)
            .getMessage());
        assertEquals("step workdir failed: ENOENT 2 (No such file or directory): uid 65534 cannot enter /data/app/p",
            new SpawnException(SpawnException.replyOf(SpawnStep.WORKDIR, 2), request).getMessage());
        assertEquals("step entry failed: ENOENT 2 (No such file or directory): /home/me/private/libapp.so has no "
            + "HmAppMain", new SpawnException(SpawnException.replyOf(SpawnStep.ENTRY, 2), request).getMessage());
        // Replies that open no path read as without the request.
        assertEquals(new SpawnException(-110).getMessage(), new SpawnException(-110, request).getMessage());
    }
}
