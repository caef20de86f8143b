package io.harmonia.bindings.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.harmonia.bindings.Errno;
import io.harmonia.bindings.ipc.IpcIoBuffer;
import io.harmonia.bindings.ipc.IpcIoFormat;
import io.harmonia.bindings.ipc.IpcIoRawData;

/**
 * A message received on a {@link Channel}, read in place in the shared region, with the fds that came with it
 * (already received and installed in this process). The channel hands one to a {@link ChannelMessageHandler} and
 * releases it when the handler returns, as {@code hm_channel_release} does in C: the fds nobody took are closed,
 * raw-data mappings are unmapped, resources given to {@link #closeOnRelease} are closed, and the slot is freed.
 * A message, its payload and every view obtained from it are therefore valid only during the handler call; the
 * channel reuses the object for the next message.
 *
 * <p>An IpcIo message ({@link #isIpcIo()}) is read through {@link #ipcIo()}: a reader over the data and the object
 * table in the slot, validated as C's {@code hm_ipcio_init_reader} does, with its fd objects already rewritten with
 * this process's fd numbers (as {@code hm_ipcio_install_fds}). Reading an fd object through
 * {@link #readFileDescriptor()} hands the fd to the caller (who closes it); reading it straight from the buffer
 * leaves it owned by the message. {@link #readRawData} maps large raw data (a sealed memfd) read-only.
 *
 * <p>Not thread-safe: it belongs to the channel's receiving thread.
 */
public final class ChannelMessage
{
    /** Most fds one message carries ({@code HM_CHANNEL_MAX_FDS}). */
    public static final int MAX_FDS = 64;

    private final IpcIoBuffer reader = new IpcIoBuffer();
    private final int[] fds = new int[MAX_FDS];
    private int fdCount;
    private int code;
    private boolean ipcIo;
    private MemorySegment buffer = MemorySegment.NULL;
    private long offset;
    private int length;
    private boolean delivering;
    private Arena mappingArena;
    /** Raw-data mappings to unmap at release: address and size, in pairs. */
    private long[] mappings = new long[0];
    private int mappingCount;
    private AutoCloseable[] attachments = new AutoCloseable[0];
    private int attachmentCount;

    ChannelMessage()
    {
        reader.wrapForWriting(MemorySegment.NULL, MemorySegment.NULL);
    }

    /** Starts a delivery; the caller then takes the fds and, for IpcIo, sets up the reader. */
    void begin(final int code, final boolean ipcIo, final MemorySegment buffer, final long offset, final int length)
    {
        this.code = code;
        this.ipcIo = ipcIo;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.fdCount = 0;
        this.delivering = true;
    }

    int[] fdSlots()
    {
        return fds;
    }

    void fdCount(final int count)
    {
        this.fdCount = count;
    }

    IpcIoBuffer reader()
    {
        return reader;
    }

    /**
     * The message code the sender gave.
     *
     * @return the code.
     */
    public int code()
    {
        ensureDelivering();
        return code;
    }

    /**
     * Whether the payload is an IpcIo message (data and object table).
     *
     * @return true for IpcIo.
     */
    public boolean isIpcIo()
    {
        ensureDelivering();
        return ipcIo;
    }

    /**
     * The channel's shared region, where the payload is.
     *
     * @return the region segment.
     */
    public MemorySegment buffer()
    {
        ensureDelivering();
        return buffer;
    }

    /**
     * Where the payload starts in {@link #buffer()}: the raw bytes, or the IpcIo data.
     *
     * @return the offset.
     */
    public long offset()
    {
        ensureDelivering();
        return offset;
    }

    /**
     * The payload length: the raw bytes, or the IpcIo data length (without the object table).
     *
     * @return the length in bytes.
     */
    public int length()
    {
        ensureDelivering();
        return length;
    }

    /**
     * The IpcIo reader over the slot, positioned at the first byte, fds installed.
     *
     * @return the reader (reused by the channel for the next message).
     * @throws IllegalStateException when the message is not an IpcIo message.
     */
    public IpcIoBuffer ipcIo()
    {
        ensureDelivering();
        if (!ipcIo)
        {
            throw new IllegalStateException("message code=" + code + " carries raw bytes, not an IpcIo message");
        }
        return reader;
    }

    /**
     * How many fds came with the message.
     *
     * @return 0..{@link #MAX_FDS}.
     */
    public int fdCount()
    {
        ensureDelivering();
        return fdCount;
    }

    /**
     * One received fd, in the order the sender listed them (for IpcIo: table order of the fd objects).
     *
     * @param index 0..fdCount() - 1.
     * @return the fd in this process, or -1 once it was taken.
     */
    public int fd(final int index)
    {
        ensureDelivering();
        checkFdIndex(index);
        return fds[index];
    }

    /**
     * Takes one received fd: the message no longer closes it; the caller does.
     *
     * @param index 0..fdCount() - 1.
     * @return the fd, or -1 when it was taken before.
     */
    public int takeFd(final int index)
    {
        ensureDelivering();
        checkFdIndex(index);
        final int fd = fds[index];
        fds[index] = -1;
        return fd;
    }

    private void checkFdIndex(final int index)
    {
        if (index < 0 || index >= fdCount)
        {
            throw new IndexOutOfBoundsException("fd index " + index + " must be 0.." + (fdCount - 1));
        }
    }

    /**
     * {@code ReadFileDescriptor} on the IpcIo reader that also hands the fd over: the caller closes it.
     *
     * @return the fd, or -1 when the reader fails (its {@link IpcIoBuffer#failure()} says why).
     */
    public int readFileDescriptor()
    {
        final int fd = ipcIo().readFileDescriptor();
        if (fd >= 0)
        {
            for (int i = 0; i < fdCount; i++)
            {
                if (fds[i] == fd)
                {
                    fds[i] = -1;
                }
            }
        }
        return fd;
    }

    /**
     * {@code ReadRawData}: inline raw data (up to 32 KiB) as a view of the slot, larger raw data as a read-only
     * mapping of its sealed memfd (size and seals checked), unmapped when the message is released.
     *
     * @param size the size written.
     * @return a read-only view, or null when the reader fails (its {@link IpcIoBuffer#failure()} says why).
     * @throws ChannelException when the memfd cannot be mapped (EPERM: not sealed; EBADMSG: wrong size).
     */
    public MemorySegment readRawData(final long size)
    {
        final IpcIoBuffer io = ipcIo();
        if (size <= IpcIoFormat.RAW_DATA_INLINE_MAX)
        {
            final MemorySegment view = io.readRawData(size);
            return null == view ? null : view.asReadOnly();
        }
        final long start = io.readPosition();
        final int fd = io.readRawDataFd(size);
        if (fd < 0)
        {
            return null;
        }
        final long address = IpcIoRawData.map(fd, size);
        if (address < 0)
        {
            io.rewindRead(start);
            throw new ChannelException((int)address, "mapping raw data of " + size + " bytes (fd " + fd + "): " +
                Errno.describe((int)address));
        }
        if (null == mappingArena)
        {
            mappingArena = Arena.ofConfined();
        }
        if (2 * mappingCount == mappings.length)
        {
            mappings = Arrays.copyOf(mappings, Math.max(4, 2 * mappings.length));
        }
        mappings[2 * mappingCount] = address;
        mappings[2 * mappingCount + 1] = size;
        mappingCount++;
        return MemorySegment.ofAddress(address).reinterpret(size, mappingArena, null).asReadOnly();
    }

    /**
     * Closes a resource when the message is released (after the handler returns), before the fds nobody took
     * are closed: for objects built over the message, such as a MessageSequence reading it in place.
     *
     * @param resource closed once.
     */
    public void closeOnRelease(final AutoCloseable resource)
    {
        ensureDelivering();
        if (attachmentCount == attachments.length)
        {
            attachments = Arrays.copyOf(attachments, Math.max(2, attachmentCount * 2));
        }
        attachments[attachmentCount++] = resource;
    }

    private void ensureDelivering()
    {
        if (!delivering)
        {
            throw new IllegalStateException("the channel message was released: it is valid only inside the handler");
        }
    }

    /**
     * Ends the delivery: closes attached resources, the fds nobody took and the raw-data mappings (their views
     * die first, with their arena). Runs every step even when one throws; the first failure is rethrown.
     */
    void release()
    {
        RuntimeException failure = null;
        for (int i = 0; i < attachmentCount; i++)
        {
            try
            {
                attachments[i].close();
            }
            catch (final Exception ex)
            {
                failure = null == failure ? new IllegalStateException("closing a resource of the message", ex) :
                    failure;
            }
            attachments[i] = null;
        }
        attachmentCount = 0;
        closeFds();
        if (null != mappingArena)
        {
            mappingArena.close();
            mappingArena = null;
            for (int i = 0; i < mappingCount; i++)
            {
                IpcIoRawData.unmap(mappings[2 * i], mappings[2 * i + 1]);
            }
            mappingCount = 0;
        }
        if (ipcIo)
        {
            reader.wrapForWriting(MemorySegment.NULL, MemorySegment.NULL);
        }
        buffer = MemorySegment.NULL;
        delivering = false;
        if (null != failure)
        {
            throw failure;
        }
    }

    /** Closes the received fds not taken. */
    void closeFds()
    {
        for (int i = 0; i < fdCount; i++)
        {
            if (fds[i] >= 0)
            {
                IpcIoRawData.close(fds[i]);
                fds[i] = -1;
            }
        }
        fdCount = 0;
    }
}
