/*
 * Shared regions: creation in a sealed memfd, validation of a region another process made, park and wake.
 */
#include "queue_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define HM_REQUIRED_SEALS (F_SEAL_SHRINK | F_SEAL_GROW)

void hm_error_vset(hm_error *err, const char *format, va_list args)
{
    if (err)
        vsnprintf(err->message, sizeof err->message, format, args);
}

void hm_error_set(hm_error *err, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    hm_error_vset(err, format, args);
    va_end(args);
}

int64_t hm_monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * INT64_C(1000000000) + now.tv_nsec;
}

int hm_futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
    struct timespec timeout = {
        .tv_sec = (time_t)(timeout_ns / INT64_C(1000000000)),
        .tv_nsec = (long)(timeout_ns % INT64_C(1000000000)),
    };
    /* Not FUTEX_PRIVATE: the word lives in a mapping shared with other processes. */
    if (syscall(SYS_futex, (void *)word, FUTEX_WAIT, expected, timeout_ns < 0 ? NULL : &timeout, NULL, 0) == 0)
        return 0;
    if (errno == EAGAIN)
        return 0; /* the value changed before we slept: the caller re-checks */
    return -errno;
}

int hm_futex_wake(_Atomic uint32_t *word)
{
    long woken = syscall(SYS_futex, (void *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    return woken < 0 ? -errno : (int)woken;
}

uint32_t hm_region_header_checksum(const uint8_t *header)
{
    uint32_t hash = 2166136261u;
    for (uint32_t i = 0; i < HM_REGION_HEADER_LENGTH; i++) {
        int mutable_field = (i >= HM_RH_VERSION && i < HM_RH_VERSION + 4) ||
                            (i >= HM_RH_CHECKSUM && i < HM_RH_STATE + 4);
        hash ^= mutable_field ? 0u : header[i];
        hash *= 16777619u;
    }
    return hash;
}

static int is_power_of_two(uint32_t value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

static uint64_t page_round(uint64_t length)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    return (length + page - 1) / page * page;
}

static int check_specs(const hm_ring_spec *rings, uint32_t ring_count, hm_error *err)
{
    if (!rings || ring_count == 0 || ring_count > HM_REGION_MAX_RINGS) {
        hm_error_set(err, "ring_count=%" PRIu32 " must be 1..%u", ring_count, HM_REGION_MAX_RINGS);
        return -EINVAL;
    }
    for (uint32_t i = 0; i < ring_count; i++) {
        if (!is_power_of_two(rings[i].capacity) || rings[i].capacity < HM_RING_MIN_CAPACITY ||
            rings[i].capacity > HM_RING_MAX_CAPACITY) {
            hm_error_set(err, "rings[%" PRIu32 "].capacity=%" PRIu32 " must be a power of two from %u to %u", i,
                         rings[i].capacity, HM_RING_MIN_CAPACITY, HM_RING_MAX_CAPACITY);
            return -EINVAL;
        }
        if (rings[i].kind != HM_RING_ONE_TO_ONE && rings[i].kind != HM_RING_MANY_TO_ONE) {
            hm_error_set(err, "rings[%" PRIu32 "].kind=%" PRIu32 " must be %d (one-to-one) or %d (many-to-one)", i,
                         rings[i].kind, HM_RING_ONE_TO_ONE, HM_RING_MANY_TO_ONE);
            return -EINVAL;
        }
    }
    return 0;
}

uint64_t hm_region_required_length(const hm_ring_spec *rings, uint32_t ring_count)
{
    if (check_specs(rings, ring_count, NULL) != 0)
        return 0;
    uint64_t length = HM_REGION_HEADER_LENGTH;
    for (uint32_t i = 0; i < ring_count; i++)
        length += HM_RING_CONTROL_LENGTH + rings[i].capacity;
    return page_round(length);
}

uint32_t hm_ring_max_message_length(uint32_t capacity)
{
    return capacity / 8 - HM_RING_RECORD_HEADER_LENGTH;
}

static void put_u32(uint8_t *at, uint32_t value)
{
    memcpy(at, &value, sizeof value);
}

static void put_u64(uint8_t *at, uint64_t value)
{
    memcpy(at, &value, sizeof value);
}

static uint32_t get_u32(const uint8_t *at)
{
    uint32_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

static uint64_t get_u64(const uint8_t *at)
{
    uint64_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

int hm_region_create(const char *name, const hm_ring_spec *rings, uint32_t ring_count, hm_error *err,
                     hm_region **ret_region)
{
    int rc = check_specs(rings, ring_count, err);
    if (rc != 0)
        return rc;
    if (!ret_region) {
        hm_error_set(err, "ret_region must not be NULL");
        return -EINVAL;
    }
    uint64_t length = hm_region_required_length(rings, ring_count);
    if (length > (uint64_t)SIZE_MAX) {
        hm_error_set(err, "region length %" PRIu64 " does not fit this address space", length);
        return -ENOMEM;
    }

    hm_region *region = calloc(1, sizeof *region);
    if (!region)
        return -ENOMEM;
    int fd = memfd_create(name && name[0] ? name : "harmonia-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) {
        rc = -errno;
        hm_error_set(err, "memfd_create failed: %s", strerror(errno));
        goto fail_free;
    }
    if (ftruncate(fd, (off_t)length) != 0) {
        rc = -errno;
        hm_error_set(err, "sizing the region to %" PRIu64 " bytes failed: %s", length, strerror(errno));
        goto fail_close;
    }
    uint8_t *base = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        rc = -errno;
        hm_error_set(err, "mapping the region failed: %s", strerror(errno));
        goto fail_close;
    }

    /* The memfd is zero-filled, so positions, futex words and every record header already read as 0. */
    put_u32(base + HM_RH_MAGIC, HM_REGION_MAGIC);
    put_u64(base + HM_RH_LENGTH, length);
    put_u32(base + HM_RH_HEADER_LENGTH, HM_REGION_HEADER_LENGTH);
    put_u32(base + HM_RH_RING_COUNT, ring_count);
    uint64_t offset = HM_REGION_HEADER_LENGTH;
    for (uint32_t i = 0; i < ring_count; i++) {
        uint8_t *descriptor = base + HM_RH_RINGS + i * HM_RH_RING_DESCRIPTOR_LENGTH;
        put_u64(descriptor + HM_RD_OFFSET, offset);
        put_u32(descriptor + HM_RD_CAPACITY, rings[i].capacity);
        put_u32(descriptor + HM_RD_KIND, rings[i].kind);
        region->ring_offset[i] = offset;
        region->ring_capacity[i] = rings[i].capacity;
        region->ring_kind[i] = rings[i].kind;
        offset += HM_RING_CONTROL_LENGTH + rings[i].capacity;
    }
    put_u32(base + HM_RH_CHECKSUM, hm_region_header_checksum(base));

    /* Seal before publishing, so no reader ever sees a region whose size can still change. */
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        rc = -errno;
        hm_error_set(err, "sealing the region's size failed: %s", strerror(errno));
        goto fail_unmap;
    }

    /*
     * R-V (publish): the version is stored last with release semantics. Partner: the acquire load of the
     * version in validate() (A-V), so a reader that sees the version also sees every header field above.
     */
    atomic_store_explicit((_Atomic uint32_t *)(void *)(base + HM_RH_VERSION), HM_REGION_VERSION,
                          memory_order_release);

    region->base = base;
    region->length = length;
    region->fd = fd;
    region->ring_count = ring_count;
    *ret_region = region;
    return 0;

fail_unmap:
    munmap(base, (size_t)length);
fail_close:
    close(fd);
fail_free:
    free(region);
    return rc;
}

/*
 * Checks the header of a mapping of `mapped` bytes and, when it is valid, fills the region's ring layout from it;
 * every refusal names the field. The header is copied out once and only the copy is examined: the process that
 * shares the region can rewrite the header at any moment, so a field checked in place could change before use.
 */
static int validate(const uint8_t *base, uint64_t mapped, hm_error *err, hm_region *region)
{
    /* A-V: partner of R-V in hm_region_create. */
    uint32_t version = atomic_load_explicit((const _Atomic uint32_t *)(const void *)(base + HM_RH_VERSION),
                                            memory_order_acquire);
    uint8_t header[HM_REGION_HEADER_LENGTH];
    memcpy(header, base, sizeof header);
    uint32_t magic = get_u32(header + HM_RH_MAGIC);
    if (magic != HM_REGION_MAGIC) {
        hm_error_set(err, "magic=0x%08" PRIx32 " is not a Harmonia region (0x%08x)", magic, HM_REGION_MAGIC);
        return -EBADMSG;
    }
    if (version == 0) {
        hm_error_set(err, "version=0: the region is not initialised yet");
        return -EAGAIN;
    }
    if (version >> 16 != HM_REGION_VERSION_MAJOR || (version & 0xffffu) > HM_REGION_VERSION_MINOR) {
        hm_error_set(err, "version=%" PRIu32 ".%" PRIu32 " is not readable by layout %u.%u (same major, minor <= %u)",
                     version >> 16, version & 0xffffu, HM_REGION_VERSION_MAJOR, HM_REGION_VERSION_MINOR,
                     HM_REGION_VERSION_MINOR);
        return -EPROTONOSUPPORT;
    }
    uint32_t checksum = get_u32(header + HM_RH_CHECKSUM);
    uint32_t expected_checksum = hm_region_header_checksum(header);
    if (checksum != expected_checksum) {
        hm_error_set(err, "checksum=0x%08" PRIx32 " does not match the header (0x%08" PRIx32 "): corrupted", checksum,
                     expected_checksum);
        return -EBADMSG;
    }
    uint64_t length = get_u64(header + HM_RH_LENGTH);
    if (length != mapped) {
        hm_error_set(err, "length=%" PRIu64 " differs from the mapped length %" PRIu64, length, mapped);
        return -EBADMSG;
    }
    uint32_t header_length = get_u32(header + HM_RH_HEADER_LENGTH);
    if (header_length != HM_REGION_HEADER_LENGTH) {
        hm_error_set(err, "header_length=%" PRIu32 " must be %u", header_length, HM_REGION_HEADER_LENGTH);
        return -EBADMSG;
    }
    uint32_t ring_count = get_u32(header + HM_RH_RING_COUNT);
    if (ring_count == 0 || ring_count > HM_REGION_MAX_RINGS) {
        hm_error_set(err, "ring_count=%" PRIu32 " must be 1..%u", ring_count, HM_REGION_MAX_RINGS);
        return -EBADMSG;
    }
    uint64_t expected_offset = HM_REGION_HEADER_LENGTH;
    for (uint32_t i = 0; i < ring_count; i++) {
        const uint8_t *descriptor = header + HM_RH_RINGS + i * HM_RH_RING_DESCRIPTOR_LENGTH;
        uint64_t offset = get_u64(descriptor + HM_RD_OFFSET);
        uint32_t capacity = get_u32(descriptor + HM_RD_CAPACITY);
        uint32_t kind = get_u32(descriptor + HM_RD_KIND);
        if (offset != expected_offset) {
            hm_error_set(err, "rings[%" PRIu32 "].offset=%" PRIu64 " must be %" PRIu64, i, offset, expected_offset);
            return -EBADMSG;
        }
        if (!is_power_of_two(capacity) || capacity < HM_RING_MIN_CAPACITY || capacity > HM_RING_MAX_CAPACITY) {
            hm_error_set(err, "rings[%" PRIu32 "].capacity=%" PRIu32 " must be a power of two from %u to %u", i,
                         capacity, HM_RING_MIN_CAPACITY, HM_RING_MAX_CAPACITY);
            return -EBADMSG;
        }
        if (kind != HM_RING_ONE_TO_ONE && kind != HM_RING_MANY_TO_ONE) {
            hm_error_set(err, "rings[%" PRIu32 "].kind=%" PRIu32 " is unknown", i, kind);
            return -EBADMSG;
        }
        expected_offset = offset + HM_RING_CONTROL_LENGTH + capacity;
        if (expected_offset > mapped) {
            hm_error_set(err, "rings[%" PRIu32 "] ends at %" PRIu64 ", beyond the mapped length %" PRIu64, i,
                         expected_offset, mapped);
            return -EBADMSG;
        }
        region->ring_offset[i] = offset;
        region->ring_capacity[i] = capacity;
        region->ring_kind[i] = kind;
    }
    region->ring_count = ring_count;
    return 0;
}

int hm_region_open(int fd, hm_error *err, hm_region **ret_region)
{
    if (fd < 0 || !ret_region) {
        hm_error_set(err, "fd=%d must be an open descriptor and ret_region non-NULL", fd);
        return -EINVAL;
    }
    int rc;
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0 || (seals & HM_REQUIRED_SEALS) != HM_REQUIRED_SEALS) {
        hm_error_set(err, "seals=0x%x: the region's size is not sealed (F_SEAL_SHRINK | F_SEAL_GROW required)",
                     seals < 0 ? 0 : seals);
        return -EPERM;
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -errno;
    if ((uint64_t)st.st_size < HM_REGION_HEADER_LENGTH) {
        hm_error_set(err, "file size=%" PRIu64 " is shorter than the region header (%u bytes): truncated",
                     (uint64_t)st.st_size, HM_REGION_HEADER_LENGTH);
        return -EBADMSG;
    }
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
        hm_error_set(err, "file size=%" PRIu64 " does not fit this address space", (uint64_t)st.st_size);
        return -EBADMSG;
    }
    uint64_t mapped = (uint64_t)st.st_size;

    hm_region *region = calloc(1, sizeof *region);
    if (!region)
        return -ENOMEM;
    int own_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own_fd < 0) {
        rc = -errno;
        goto fail_free;
    }
    uint8_t *base = mmap(NULL, (size_t)mapped, PROT_READ | PROT_WRITE, MAP_SHARED, own_fd, 0);
    if (base == MAP_FAILED) {
        rc = -errno;
        hm_error_set(err, "mapping the region failed: %s", strerror(errno));
        goto fail_close;
    }
    rc = validate(base, mapped, err, region);
    if (rc != 0)
        goto fail_unmap;
    region->base = base;
    region->length = mapped;
    region->fd = own_fd;
    *ret_region = region;
    return 0;

fail_unmap:
    munmap(base, (size_t)mapped);
fail_close:
    close(own_fd);
fail_free:
    free(region);
    return rc;
}

int hm_region_open_path(const char *path, hm_error *err, hm_region **ret_region)
{
    if (!path) {
        hm_error_set(err, "path must not be NULL");
        return -EINVAL;
    }
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int rc = -errno;
        hm_error_set(err, "opening %s failed: %s", path, strerror(errno));
        return rc;
    }
    int rc = hm_region_open(fd, err, ret_region);
    close(fd);
    return rc;
}

void hm_region_close(hm_region *region)
{
    if (!region)
        return;
    munmap(region->base, (size_t)region->length);
    close(region->fd);
    free(region);
}

int hm_region_fd(const hm_region *region)
{
    return region->fd;
}

void *hm_region_base(const hm_region *region)
{
    return region->base;
}

uint64_t hm_region_length(const hm_region *region)
{
    return region->length;
}

uint32_t hm_region_ring_count(const hm_region *region)
{
    return region->ring_count;
}

uint64_t hm_region_ring_offset(const hm_region *region, uint32_t ring)
{
    return ring < region->ring_count ? region->ring_offset[ring] : 0;
}

uint32_t hm_region_ring_capacity(const hm_region *region, uint32_t ring)
{
    return ring < region->ring_count ? region->ring_capacity[ring] : 0;
}

uint32_t hm_region_ring_kind(const hm_region *region, uint32_t ring)
{
    return ring < region->ring_count ? region->ring_kind[ring] : 0;
}

uint8_t *hm_region_ring_control(const hm_region *region, uint32_t ring)
{
    return region->base + hm_region_ring_offset(region, ring);
}

/* 0 unknown, 1 registered for global expedited membarrier, -errno unavailable. */
static _Atomic int membarrier_state;

int hm_membarrier_register(void)
{
    int state = atomic_load_explicit(&membarrier_state, memory_order_acquire);
    if (state != 0)
        return state > 0 ? 0 : state;
    long commands = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (commands < 0)
        state = -errno;
    else if (!(commands & MEMBARRIER_CMD_GLOBAL_EXPEDITED) ||
             !(commands & MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED))
        state = -ENOSYS;
    else if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0) != 0)
        state = -errno;
    else
        state = 1;
    atomic_store_explicit(&membarrier_state, state, memory_order_release);
    return state > 0 ? 0 : state;
}

int hm_membarrier_heavy(void)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0) == 0)
        return 0;
    return -errno;
}

int hm_futex_park(uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
    if (!word || ((uintptr_t)word & 3u) != 0)
        return -EINVAL;
    return hm_futex_wait((_Atomic uint32_t *)word, expected, timeout_ns);
}

int hm_futex_unpark(uint32_t *word)
{
    if (!word || ((uintptr_t)word & 3u) != 0)
        return -EINVAL;
    return hm_futex_wake((_Atomic uint32_t *)word);
}

void hm_region_mark_closed(hm_region *region)
{
    if (!region)
        return;
    atomic_fetch_or_explicit((_Atomic uint32_t *)(void *)(region->base + HM_RH_STATE), HM_REGION_STATE_CLOSED,
                             memory_order_seq_cst);
    for (uint32_t i = 0; i < region->ring_count; i++) {
        uint8_t *control = hm_region_ring_control(region, i);
        hm_futex_wake(hm_ring_u32(control, HM_RC_CONSUMER_PARKED));
        hm_futex_wake(hm_ring_u32(control, HM_RC_PRODUCERS_PARKED));
    }
}

int hm_region_is_closed(const hm_region *region)
{
    return (atomic_load_explicit((_Atomic uint32_t *)(void *)(region->base + HM_RH_STATE), memory_order_acquire) &
            HM_REGION_STATE_CLOSED) != 0;
}

int hm_process_alive(int32_t pid)
{
    if (pid <= 0)
        return 0;
    if (kill(pid, 0) != 0 && errno == ESRCH)
        return 0;
    /* kill() succeeds on a zombie: a killed child nobody reaped yet is dead for our purposes. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%" PRId32 "/stat", pid);
    FILE *stat_file = fopen(path, "re");
    if (!stat_file)
        return errno == ENOENT ? 0 : 1;
    char line[512];
    int alive = 1;
    if (fgets(line, sizeof line, stat_file)) {
        /* The state follows the last ')' (the command name may contain one). */
        const char *close_paren = strrchr(line, ')');
        if (close_paren && close_paren[1] == ' ' && (close_paren[2] == 'Z' || close_paren[2] == 'X'))
            alive = 0;
    }
    fclose(stat_file);
    return alive;
}
