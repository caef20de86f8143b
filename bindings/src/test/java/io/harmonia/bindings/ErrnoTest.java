package io.harmonia.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import org.junit.jupiter.api.Test;

class ErrnoTest
{
    @Test
    void capturedErrnoBelongsToTheCallThatFailed() throws Throwable
    {
        final Linker linker = Linker.nativeLinker();
        // int close(int fd) on a descriptor that cannot be open sets EBADF (9).
        final MethodHandle close = linker.downcallHandle(linker.defaultLookup().findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Errno.CAPTURE);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(Errno.CAPTURE_LAYOUT);
            final int result = (int)close.invokeExact(state, Integer.MAX_VALUE);
            assertEquals(-1, result);
            assertEquals(9, Errno.read(state));
        }
    }

    @Test
    void describesKnownAndUnknownValuesWithEitherSign()
    {
        assertEquals("ENOENT (No such file or directory)", Errno.describe(2));
        assertEquals("ENOENT (No such file or directory)", Errno.describe(-2));
        assertEquals("errno 4711", Errno.describe(4711));
    }
}
