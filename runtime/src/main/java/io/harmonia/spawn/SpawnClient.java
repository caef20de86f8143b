package io.harmonia.spawn;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to the appspawn daemon: spawn, terminate and dump requests, one at a time (calls are serialised).
 * The daemon accepts the connection only from an allow-listed uid (root or its configured foundation uid);
 * anyone else is disconnected before a byte is read, which shows here as an {@link UncheckedIOException}.
 *
 * <p>Requests are written with {@link AppProperty} into a confined buffer reused for every call: no downcall and
 * no allocation per field.
 */
public final class SpawnClient implements AutoCloseable
{
    /** The daemon's socket when none is configured (HM_SPAWN_DEFAULT_SOCKET). */
    public static final Path DEFAULT_SOCKET = Path.of("/run/harmonia/appspawn");

    /** -ESRCH: the pid of a terminate request is not (or no longer) the daemon's child. */
    private static final int NOT_A_CHILD = -3;
    private static final int DUMP_HEADER_SIZE = 8;
    private static final int DUMP_ENTRY_SIZE = 280;
    private static final int DUMP_COLD = 1;
    private static final int DUMP_READY = 2;

    private final SocketChannel channel;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment message = arena.allocate(AppProperty.SIZE);
    private final ByteBuffer reply = ByteBuffer.allocate(DUMP_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);

    private SpawnClient(final SocketChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Connects to a daemon.
     *
     * @param socket the daemon's socket path.
     * @return a connected client.
     * @throws UncheckedIOException when the socket cannot be connected.
     */
    public static SpawnClient connect(final Path socket)
    {
        try
        {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try
            {
                channel.connect(UnixDomainSocketAddress.of(socket));
            }
            catch (final IOException ex)
            {
                channel.close();
                throw ex;
            }
            return new SpawnClient(channel);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot connect to appspawn at " + socket, ex);
        }
    }

    /**
     * Starts a process and waits until it has reported ready.
     *
     * @param request what to start.
     * @return the child's pid.
     * @throws SpawnException       when the daemon refused the request or a step failed (it names which).
     * @throws UncheckedIOException when the connection fails (for example, a peer that is not allow-listed).
     */
    public synchronized int spawn(final SpawnRequest request)
    {
        final int length = AppProperty.encode(request, message);
        final int result = exchangeInt(length);
        if (result <= 0)
        {
            throw new SpawnException(result, request);
        }
        return result;
    }

    /**
     * Kills one of the daemon's children (SIGKILL to its process group); the daemon reaps it.
     *
     * @param pid a pid the daemon spawned.
     * @return true when it was the daemon's child, false when it was not (any more).
     * @throws SpawnException for a pid that is not positive.
     */
    public synchronized boolean terminate(final int pid)
    {
        AppProperty.writeHeader(message, AppProperty.TYPE_TERMINATE, AppProperty.TERMINATE_SIZE);
        message.set(AppProperty.U32, AppProperty.HEADER_SIZE, pid);
        final int result = exchangeInt(AppProperty.TERMINATE_SIZE);
        if (NOT_A_CHILD == result)
        {
            return false;
        }
        if (0 != result)
        {
            throw new SpawnException(result);
        }
        return true;
    }

    /**
     * The daemon's children table.
     *
     * @return one entry per child that is starting or running.
     */
    public synchronized List<ChildInfo> dump()
    {
        AppProperty.writeHeader(message, AppProperty.TYPE_DUMP, AppProperty.HEADER_SIZE);
        try
        {
            write(AppProperty.HEADER_SIZE);
            read(reply, DUMP_HEADER_SIZE);
            final int length = reply.getInt(0);
            final int count = reply.getInt(4);
            if ((long)length != DUMP_HEADER_SIZE + (long)count * DUMP_ENTRY_SIZE)
            {
                throw new IOException("malformed dump reply: length " + length + " for " + count + " entries");
            }
            final ByteBuffer entries = ByteBuffer.allocate(count * DUMP_ENTRY_SIZE)
                .order(ByteOrder.LITTLE_ENDIAN);
            read(entries, entries.capacity());
            final List<ChildInfo> children = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                final int at = i * DUMP_ENTRY_SIZE;
                final int flags = entries.getInt(at + 16);
                int nameLength = 0;
                while (nameLength < 256 && 0 != entries.get(at + 24 + nameLength))
                {
                    nameLength++;
                }
                children.add(new ChildInfo(entries.getInt(at), entries.getInt(at + 4), entries.getLong(at + 8),
                    0 != (flags & DUMP_COLD), 0 != (flags & DUMP_READY),
                    new String(entries.array(), at + 24, nameLength, StandardCharsets.UTF_8)));
            }
            return children;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("appspawn dump failed", ex);
        }
    }

    private int exchangeInt(final int length)
    {
        try
        {
            write(length);
            read(reply, 4);
            return reply.getInt(0);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("appspawn request failed", ex);
        }
    }

    private void write(final int length) throws IOException
    {
        final ByteBuffer bytes = message.asSlice(0, length).asByteBuffer();
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    private void read(final ByteBuffer buffer, final int length) throws IOException
    {
        buffer.clear().limit(length);
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new EOFException("appspawn closed the connection (is this uid allow-listed?)");
            }
        }
    }

    /** Closes the connection. */
    @Override
    public synchronized void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            arena.close();
        }
    }
}
