#include <harmonia/harmonia.h>

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hm_test.h"

static void every_reported_bit_has_a_unique_name(void)
{
    uint64_t features = hm_features();
    const char *seen[64] = {0};
    for (int bit = 0; bit < 64; bit++) {
        uint64_t feature = UINT64_C(1) << bit;
        if (!(features & feature))
            continue;
        const char *name = hm_feature_name(feature);
        HM_CHECK(name != NULL && name[0] != '\0');
        for (int other = 0; other < bit && name; other++)
            HM_CHECK(seen[other] == NULL || strcmp(seen[other], name) != 0);
        seen[bit] = name;
    }
}

static void names_exist_only_for_single_known_bits(void)
{
    HM_CHECK_STR_EQ(hm_feature_name(HM_FEATURE_MEMFD), "memfd");
    HM_CHECK_STR_EQ(hm_feature_name(HM_FEATURE_FUTEX), "futex");
    HM_CHECK_STR_EQ(hm_feature_name(HM_FEATURE_SELINUX), "selinux");
    HM_CHECK_STR_EQ(hm_feature_name(HM_FEATURE_SANITIZED), "sanitized");
    HM_CHECK(hm_feature_name(0) == NULL);
    HM_CHECK(hm_feature_name(HM_FEATURE_MEMFD | HM_FEATURE_FUTEX) == NULL);
    HM_CHECK(hm_feature_name(UINT64_C(1) << 15) == NULL);
    HM_CHECK(hm_feature_name(UINT64_C(1) << 63) == NULL);
}

static void features_are_stable_across_calls(void)
{
    HM_CHECK_INT_EQ(hm_features(), hm_features());
}

/* Oracles independent of the library's own probes. */
static void memfd_bit_matches_the_kernel(void)
{
    int fd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    int works = fd >= 0;
    if (works)
        close(fd);
    HM_CHECK_INT_EQ((hm_features() & HM_FEATURE_MEMFD) != 0, works);
}

static void selinux_bit_matches_the_mount_table(void)
{
    FILE *mounts = fopen("/proc/self/mounts", "r");
    HM_CHECK(mounts != NULL);
    int mounted = 0;
    char line[1024];
    while (mounts && fgets(line, sizeof line, mounts))
        if (strstr(line, " selinuxfs "))
            mounted = 1;
    if (mounts)
        fclose(mounts);
    HM_CHECK_INT_EQ((hm_features() & HM_FEATURE_SELINUX) != 0, mounted);
}

static void sanitized_bit_matches_the_build(void)
{
#ifdef HM_TEST_SANITIZED
    HM_CHECK(hm_features() & HM_FEATURE_SANITIZED);
#else
    HM_CHECK(!(hm_features() & HM_FEATURE_SANITIZED));
#endif
}

int main(void)
{
    HM_RUN(every_reported_bit_has_a_unique_name);
    HM_RUN(names_exist_only_for_single_known_bits);
    HM_RUN(features_are_stable_across_calls);
    HM_RUN(memfd_bit_matches_the_kernel);
    HM_RUN(selinux_bit_matches_the_mount_table);
    HM_RUN(sanitized_bit_matches_the_build);
    return HM_TEST_SUMMARY();
}
