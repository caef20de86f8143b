package io.harmonia.bindings.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message in a channel slot is memory the peer can rewrite at any moment: its object table, record types and fd
 * numbers are validated once and then kept privately (IpcIoObjectTable). These cases rewrite them by hand after
 * validation, installation or writing, and check that nothing the peer wrote afterwards is used.
 */
class IpcIoBufferTrustTest
{
    private static final int FD_OFFSET = 0;
    private static final int REMOTE_OFFSET = IpcIoFormat.OBJECT_SIZE;

    /** An fd object (fd 10) then a local remote object, written into slot-like native memory. */
    private static IpcIoBuffer written(final MemorySegment data, final MemorySegment table)
    {
        final IpcIoBuffer writer = new IpcIoBuffer().wrapForWriting(data, table);
        assertTrue(writer.writeFileDescriptor(10) && writer.writeRemoteObject(0, 1, 2));
        return writer;
    }

    /** A written message in slot-like native memory: its data, its object table and its length. */
    private record Slot(MemorySegment data, MemorySegment table, long length)
    {
        static Slot written(final Arena arena)
        {
            final MemorySegment data = arena.allocate(128, 8);
            final MemorySegment table = arena.allocate(16, 8);
            return new Slot(data, table, IpcIoBufferTrustTest.written(data, table).writePosition());
        }

        IpcIoBuffer reader()
        {
            return new IpcIoBuffer().wrapForReading(data, length, table, 2);
        }
    }

    /** What the peer does to the message: renumbers the fd record and turns the remote object into an fd. */
    private static void rewriteRecords(final MemorySegment data)
    {
        data.set(ValueLayout.JAVA_INT, FD_OFFSET + IpcIoFormat.OBJECT_BINDER_OFFSET, 1);
        data.set(ValueLayout.JAVA_INT, REMOTE_OFFSET + IpcIoFormat.OBJECT_TYPE_OFFSET, IpcIoFormat.TYPE_FD);
    }

    @Test
    void aWriterSendsTheFdsItWroteNotWhatTheRecordsSay()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment data = arena.allocate(128, 8);
            final IpcIoBuffer writer = written(data, arena.allocate(16, 8));
            rewriteRecords(data);
            final int[] fds = new int[2];
            assertEquals(1, writer.fdCount());
            assertEquals(1, writer.collectFds(fds));
            assertEquals(10, fds[0]);
        }
    }

    @Test
    void aReaderHandsOutTheInstalledFdsNotWhatTheRecordsSay()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final Slot slot = Slot.written(arena);
            final IpcIoBuffer reader = slot.reader();
            assertTrue(reader.installFds(new int[] {40}, 1));
            rewriteRecords(slot.data());
            slot.table().set(ValueLayout.JAVA_LONG, 8, 1000); // the second entry now points past the data
            assertEquals(1, reader.fdCount());
            assertEquals(IpcIoFormat.TYPE_BINDER, reader.objectType(1));
            assertEquals(REMOTE_OFFSET, reader.objectOffset(1));
            assertEquals(40, reader.readFileDescriptor());
            final SvcIdentity identity = new SvcIdentity();
            assertTrue(reader.readRemoteObject(identity), "still the remote object it was validated as");
        }
    }

    @Test
    void anObjectTurnedIntoAnFdAfterValidationIsNotAnFd()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final Slot slot = Slot.written(arena);
            final IpcIoBuffer reader = slot.reader();
            rewriteRecords(slot.data());
            assertFalse(reader.installFds(new int[] {40, 41}, 2), "two fds for the one fd object validated");
            assertTrue(reader.installFds(new int[] {40}, 1));
            assertEquals(40, reader.readFileDescriptor());
            assertEquals(-1, reader.readFileDescriptor());
            assertEquals(IpcIoFailure.WRONG_OBJECT_TYPE, reader.failure());
        }
    }

    @Test
    void aSecondReaderSharesTheFirstOnesObjects()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final Slot slot = Slot.written(arena);
            final IpcIoBuffer first = slot.reader();
            assertTrue(first.installFds(new int[] {40}, 1));
            rewriteRecords(slot.data());
            slot.table().set(ValueLayout.JAVA_LONG, 0, -1);
            final IpcIoBuffer second = new IpcIoBuffer().wrapForReading(first);
            assertFalse(second.failed());
            assertArrayEquals(new int[] {IpcIoFormat.TYPE_FD, IpcIoFormat.TYPE_BINDER},
                new int[] {second.objectType(0), second.objectType(1)});
            assertEquals(40, second.readFileDescriptor());
            assertTrue(second.readRemoteObject(new SvcIdentity()));
            assertTrue(new IpcIoBuffer().wrapForReading(
                new IpcIoBuffer().wrapForWriting(slot.data(), slot.table())).failed(),
                "only a reader can be shared");
        }
    }
}
