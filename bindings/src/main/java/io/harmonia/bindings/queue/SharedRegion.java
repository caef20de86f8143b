package io.harmonia.bindings.queue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import io.harmonia.bindings.NativeLibrary;

/**
 * A shared-memory region holding rings: created in a sealed memfd by libharmonia, or opened (and validated by it)
 * from an fd or a {@code /proc/<pid>/fd/<n>} path that another process holds. The bytes are then accessed from
 * Java through {@link #segment()} by {@link RingProducer} and {@link RingConsumer}, with no downcall per message.
 *
 * <p>Trust: the ring layout (count, offsets, capacities, kinds) is the one libharmonia validated at open (or wrote
 * at create), fetched once here; the header in the mapping is never read again, because the process sharing the
 * region can rewrite it at any moment.
 *
 * <p>Thread safety: the region may be shared by threads. {@link #close()} must come after every producer and
 * consumer on it stopped; access after close fails with {@link IllegalStateException} (never a crash), and a close
 * attempted while another thread is parked inside a wait fails the same way instead of unmapping under it.
 */
public final class SharedRegion implements AutoCloseable
{
    private final Arena arena;
    private final MemorySegment handle;
    private final MemorySegment segment;
    private final int fd;
    private final boolean owned;
    private final long[] ringOffsets;
    private final int[] ringCapacities;
    private final RingKind[] ringKinds;
    private boolean closed;

    private SharedRegion(final MemorySegment handle, final boolean owned)
    {
        this.handle = handle;
        this.owned = owned;
        this.fd = LibHarmoniaQueue.hm_region_fd(handle);
        final long length = LibHarmoniaQueue.hm_region_length(handle);
        this.arena = Arena.ofShared();
        this.segment = LibHarmoniaQueue.hm_region_base(handle).reinterpret(length, arena, null);
        final int count = LibHarmoniaQueue.hm_region_ring_count(handle);
        this.ringOffsets = new long[count];
        this.ringCapacities = new int[count];
        this.ringKinds = new RingKind[count];
        for (int ring = 0; ring < count; ring++)
        {
            ringOffsets[ring] = LibHarmoniaQueue.hm_region_ring_offset(handle, ring);
            ringCapacities[ring] = LibHarmoniaQueue.hm_region_ring_capacity(handle, ring);
            ringKinds[ring] = RingKind.of(LibHarmoniaQueue.hm_region_ring_kind(handle, ring));
        }
    }

    /**
     * Creates a region in a new memfd with these rings, header published last and size sealed.
     *
     * @param name  the memfd's name (visible in /proc/PID/fd).
     * @param rings 1 to 8 rings.
     * @return the mapped region.
     * @throws RegionException with the library's message naming the field when a spec is invalid.
     */
    public static SharedRegion create(final String name, final RingSpec... rings)
    {
        NativeLibrary.ensureLoaded();
        Objects.requireNonNull(name, "name");
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment specs = call.allocate(LibHarmoniaQueue.RING_SPEC_LENGTH * Math.max(1, rings.length), 8);
            for (int i = 0; i < rings.length; i++)
            {
                specs.set(ValueLayout.JAVA_INT, i * LibHarmoniaQueue.RING_SPEC_LENGTH, rings[i].capacity());
                specs.set(ValueLayout.JAVA_INT, i * LibHarmoniaQueue.RING_SPEC_LENGTH + 4, rings[i].kind().code());
            }
            final MemorySegment error = call.allocate(LibHarmoniaQueue.ERROR_LENGTH);
            final MemorySegment ret = call.allocate(ValueLayout.ADDRESS);
            final int rc = LibHarmoniaQueue.hm_region_create(call.allocateFrom(name), specs, rings.length, error, ret);
            return opened(rc, error, ret, "creating region " + name);
        }
    }

    /**
     * Opens a region from an fd this process holds (the fd is duplicated; the caller keeps its own).
     *
     * @param fd an fd of a region's memfd.
     * @return the validated, mapped region.
     * @throws RegionException when the region is refused (corrupted, truncated, another version, not sealed).
     */
    public static SharedRegion open(final int fd)
    {
        NativeLibrary.ensureLoaded();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment error = call.allocate(LibHarmoniaQueue.ERROR_LENGTH);
            final MemorySegment ret = call.allocate(ValueLayout.ADDRESS);
            final int rc = LibHarmoniaQueue.hm_region_open(fd, error, ret);
            return opened(rc, error, ret, "opening region fd " + fd);
        }
    }

    /**
     * Opens a region through a path, typically {@code /proc/<pid>/fd/<n>} of another process's memfd.
     *
     * @param path the path.
     * @return the validated, mapped region.
     * @throws RegionException when the region is refused or the path cannot be opened.
     */
    public static SharedRegion openPath(final String path)
    {
        NativeLibrary.ensureLoaded();
        Objects.requireNonNull(path, "path");
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment error = call.allocate(LibHarmoniaQueue.ERROR_LENGTH);
            final MemorySegment ret = call.allocate(ValueLayout.ADDRESS);
            final int rc = LibHarmoniaQueue.hm_region_open_path(call.allocateFrom(path), error, ret);
            return opened(rc, error, ret, "opening region " + path);
        }
    }

    private static SharedRegion opened(
        final int rc, final MemorySegment error, final MemorySegment ret, final String what)
    {
        if (rc < 0)
        {
            final String detail = error.getString(0);
            throw new RegionException(rc, what + (detail.isEmpty() ? "" : ": " + detail));
        }
        return new SharedRegion(ret.get(ValueLayout.ADDRESS, 0), true);
    }

    /**
     * A view of a region that something else owns (a channel's): closing the view ends Java access but unmaps
     * nothing; the owner unmaps it after the view is closed.
     *
     * @param regionHandle the {@code hm_region *}.
     * @return the view.
     */
    public static SharedRegion view(final MemorySegment regionHandle)
    {
        NativeLibrary.ensureLoaded();
        return new SharedRegion(regionHandle, false);
    }

    /**
     * The whole mapping, for flyweights.
     *
     * @return the region's bytes.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * The region's memfd (owned by this object).
     *
     * @return the fd number in this process.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * A path another process of the same user can open the region through while this one lives.
     *
     * @return {@code /proc/<pid>/fd/<fd>}.
     */
    public String procPath()
    {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
    }

    /**
     * The number of rings.
     *
     * @return 1 to 8.
     */
    public int ringCount()
    {
        return ringOffsets.length;
    }

    long ringOffset(final int ring)
    {
        checkRing(ring);
        return ringOffsets[ring];
    }

    /**
     * A ring's data capacity.
     *
     * @param ring the ring index.
     * @return bytes.
     */
    public int ringCapacity(final int ring)
    {
        checkRing(ring);
        return ringCapacities[ring];
    }

    /**
     * A ring's kind.
     *
     * @param ring the ring index.
     * @return the kind.
     */
    public RingKind ringKind(final int ring)
    {
        checkRing(ring);
        return ringKinds[ring];
    }

    private void checkRing(final int ring)
    {
        final int count = ringCount();
        if (ring < 0 || ring >= count)
        {
            throw new IllegalArgumentException("ring=" + ring + " must be 0.." + (count - 1));
        }
    }

    /**
     * Opens the producer side of a ring.
     *
     * @param ring the ring index.
     * @return the producer.
     */
    public RingProducer producer(final int ring)
    {
        return new RingProducer(this, ring);
    }

    /**
     * Opens the one consumer of a ring.
     *
     * @param ring the ring index.
     * @return the consumer.
     */
    public RingConsumer consumer(final int ring)
    {
        return new RingConsumer(this, ring);
    }

    /**
     * Whether either side marked the region closed.
     *
     * @return true once closed.
     */
    public boolean isMarkedClosed()
    {
        return RingAccess.closed(segment);
    }

    /** Marks the region closed for every process and wakes all parked waiters (they see it as closed). */
    public void markClosed()
    {
        LibHarmoniaQueue.hm_region_mark_closed(handle);
    }

    /**
     * Unmaps the region and closes its fd. Idempotent.
     *
     * @throws IllegalStateException if another thread is inside a park on this region right now.
     */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            arena.close();
            closed = true;
            if (owned)
            {
                LibHarmoniaQueue.hm_region_close(handle);
            }
        }
    }
}
