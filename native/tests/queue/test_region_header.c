/* A region is validated before it is read: every corrupted, truncated or mismatched header is refused. */
#include <harmonia/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hm_test.h"

static hm_region *fresh(void)
{
    hm_ring_spec spec = {.capacity = 4096, .kind = HM_RING_MANY_TO_ONE};
    hm_region *region = NULL;
    hm_region_create("header-test", &spec, 1, NULL, &region);
    return region;
}

/* Opens the region's fd again after `mutate` changed the header bytes; returns the error and message. */
static int open_after(void (*mutate)(uint8_t *base), hm_error *err)
{
    hm_region *region = fresh();
    if (!region)
        return -999;
    mutate(hm_region_base(region));
    hm_region *reopened = (hm_region *)0x1;
    int rc = hm_region_open(hm_region_fd(region), err, &reopened);
    if (rc == 0)
        hm_region_close(reopened);
    else if (reopened != (hm_region *)0x1)
        rc = -998; /* ret_ written on failure */
    hm_region_close(region);
    return rc;
}

static void put32(uint8_t *at, uint32_t v)
{
    memcpy(at, &v, 4);
}

static void put64(uint8_t *at, uint64_t v)
{
    memcpy(at, &v, 8);
}

/* Rewrites the checksum so that only the semantic check can catch the change. */
static uint32_t checksum(const uint8_t *header)
{
    uint32_t hash = 2166136261u;
    for (uint32_t i = 0; i < HM_REGION_HEADER_LENGTH; i++) {
        int skip = (i >= 4 && i < 8) || (i >= 24 && i < 32);
        hash ^= skip ? 0u : header[i];
        hash *= 16777619u;
    }
    return hash;
}

static void reseal(uint8_t *base)
{
    put32(base + 24, checksum(base));
}

static void nothing(uint8_t *base)
{
    (void)base;
}
static void bad_magic(uint8_t *base)
{
    put32(base, 0x12345678u);
}
static void version_zero(uint8_t *base)
{
    put32(base + 4, 0);
}
static void next_major(uint8_t *base)
{
    put32(base + 4, (HM_REGION_VERSION_MAJOR + 1) << 16);
}
static void previous_major(uint8_t *base)
{
    put32(base + 4, (HM_REGION_VERSION_MAJOR - 1) << 16);
}
static void newer_minor(uint8_t *base)
{
    put32(base + 4, (HM_REGION_VERSION_MAJOR << 16) | (HM_REGION_VERSION_MINOR + 1));
}
static void flipped_bit(uint8_t *base)
{
    base[40] ^= 0x10; /* ring 0 capacity, checksum left stale */
}
static void capacity_beyond_file(uint8_t *base)
{
    put32(base + 32 + 8, 1u << 20);
    reseal(base);
}
static void capacity_not_power_of_two(uint8_t *base)
{
    put32(base + 32 + 8, 3000);
    reseal(base);
}
static void wrong_length(uint8_t *base)
{
    put64(base + 8, 1u << 20);
    reseal(base);
}
static void ring_count_nine(uint8_t *base)
{
    put32(base + 20, 9);
    reseal(base);
}
static void ring_offset_overlaps_header(uint8_t *base)
{
    put64(base + 32, 128);
    reseal(base);
}
static void unknown_kind(uint8_t *base)
{
    put32(base + 32 + 12, 3);
    reseal(base);
}

static void each_corruption_is_refused_and_named(void)
{
    static const struct {
        void (*mutate)(uint8_t *);
        int expected;
        const char *field;
    } cases[] = {
        {nothing, 0, ""},
        {bad_magic, -EBADMSG, "magic="},
        {version_zero, -EAGAIN, "version=0"},
        {next_major, -EPROTONOSUPPORT, "version=3.0"},
        {previous_major, -EPROTONOSUPPORT, "version=1.0"}, /* 1.x one-to-one consumers zeroed the data */
        {newer_minor, -EPROTONOSUPPORT, "version=2.1"},
        {flipped_bit, -EBADMSG, "checksum="},
        {capacity_beyond_file, -EBADMSG, "rings[0] ends at"},
        {capacity_not_power_of_two, -EBADMSG, "rings[0].capacity=3000"},
        {wrong_length, -EBADMSG, "length=1048576"},
        {ring_count_nine, -EBADMSG, "ring_count=9"},
        {ring_offset_overlaps_header, -EBADMSG, "rings[0].offset=128"},
        {unknown_kind, -EBADMSG, "rings[0].kind=3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hm_error err = {{0}};
        int rc = open_after(cases[i].mutate, &err);
        if (rc != cases[i].expected || !strstr(err.message, cases[i].field))
            fprintf(stderr, "case %zu: rc=%d message=\"%s\"\n", i, rc, err.message);
        HM_CHECK_INT_EQ(rc, cases[i].expected);
        HM_CHECK(strstr(err.message, cases[i].field) != NULL);
    }
}

static void the_size_is_sealed_so_nobody_can_truncate_it(void)
{
    hm_region *region = fresh();
    int fd = hm_region_fd(region);
    HM_CHECK(ftruncate(fd, 4096) != 0 && errno == EPERM);
    HM_CHECK(ftruncate(fd, (off_t)hm_region_length(region) * 2) != 0 && errno == EPERM);
    HM_CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) != 0); /* F_SEAL_SEAL: the seals are final */
    hm_region_close(region);
}

static void unsealed_and_short_files_are_refused(void)
{
    hm_error err = {{0}};
    hm_region *region = NULL;
    int plain = memfd_create("unsealed", MFD_CLOEXEC);
    HM_CHECK(ftruncate(plain, 8192) == 0);
    HM_CHECK_INT_EQ(hm_region_open(plain, &err, &region), -EPERM);
    HM_CHECK(strstr(err.message, "not sealed") != NULL);
    close(plain);

    int short_fd = memfd_create("short", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    HM_CHECK(ftruncate(short_fd, 100) == 0);
    HM_CHECK(fcntl(short_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == 0);
    HM_CHECK_INT_EQ(hm_region_open(short_fd, &err, &region), -EBADMSG);
    HM_CHECK(strstr(err.message, "file size=100") != NULL);
    close(short_fd);

    HM_CHECK_INT_EQ(hm_region_open(-1, &err, &region), -EINVAL);
    HM_CHECK_INT_EQ(hm_region_open_path("/nonexistent/harmonia-region", &err, &region), -ENOENT);
    HM_CHECK(region == NULL);
}

static void a_region_opens_through_proc_fd_paths(void)
{
    hm_region *region = fresh();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", hm_region_fd(region));
    hm_region *reopened = NULL;
    HM_CHECK_INT_EQ(hm_region_open_path(path, NULL, &reopened), 0);
    if (reopened) {
        HM_CHECK_INT_EQ(hm_region_length(reopened), hm_region_length(region));
        HM_CHECK(hm_region_fd(reopened) != hm_region_fd(region));
        hm_region_close(reopened);
    }
    hm_region_close(region);
}

int main(void)
{
    HM_RUN(each_corruption_is_refused_and_named);
    HM_RUN(the_size_is_sealed_so_nobody_can_truncate_it);
    HM_RUN(unsealed_and_short_files_are_refused);
    HM_RUN(a_region_opens_through_proc_fd_paths);
    return HM_TEST_SUMMARY();
}
