#include <harmonia/harmonia.h>

#ifndef HM_BUILD_ARCH
#error "HM_BUILD_ARCH must be defined by the build (CMAKE_SYSTEM_PROCESSOR)"
#endif

const char *hm_version(void)
{
    return HM_VERSION_STRING;
}

uint32_t hm_version_number(void)
{
    return HM_VERSION_NUMBER;
}

const char *hm_arch(void)
{
    return HM_BUILD_ARCH;
}
