#include <harmonia/harmonia.h>

#include <stdio.h>
#include <sys/utsname.h>

#include "hm_test.h"

static void version_string_matches_header(void)
{
    HM_CHECK_STR_EQ(hm_version(), HM_VERSION_STRING);
}

static void version_number_matches_string(void)
{
    unsigned major = 0, minor = 0, patch = 0;
    HM_CHECK_INT_EQ(sscanf(hm_version(), "%u.%u.%u", &major, &minor, &patch), 3);
    HM_CHECK_INT_EQ(hm_version_number(), (major << 16) | (minor << 8) | patch);
    HM_CHECK_INT_EQ(hm_version_number(), HM_VERSION_NUMBER);
}

/* Under qemu-user, uname() reports the emulated machine: this proves the test really ran as ARM code. */
static void arch_matches_running_machine(void)
{
    struct utsname host;
    HM_CHECK_INT_EQ(uname(&host), 0);
    const char *arch = hm_arch();
    HM_CHECK_STR_EQ(arch, HM_EXPECTED_ARCH);
    if (strcmp(arch, "armhf") == 0)
        HM_CHECK(strncmp(host.machine, "armv", 4) == 0);
    else
        HM_CHECK_STR_EQ(host.machine, arch);
    printf("library %s built for %s, running on %s\n", hm_version(), arch, host.machine);
}

int main(void)
{
    HM_RUN(version_string_matches_header);
    HM_RUN(version_number_matches_string);
    HM_RUN(arch_matches_running_machine);
    return HM_TEST_SUMMARY();
}
