/*
 * libharmonia: the library's own C API (hm_ prefix). This header holds what every area shares:
 * the version of the loaded library and the query for what it can do on this host.
 */
#ifndef HARMONIA_HARMONIA_H
#define HARMONIA_HARMONIA_H

#include <stdint.h>

#include <harmonia/export.h>
#include <harmonia/version.h>

HM_EXTERN_C_BEGIN

/* The version of the loaded library as "major.minor.patch". The string is static. */
HM_API const char *hm_version(void);

/* The version of the loaded library as major << 16 | minor << 8 | patch (see HM_VERSION_NUMBER). */
HM_API uint32_t hm_version_number(void);

/* The architecture the library was built for: "x86_64", "aarch64" or "armhf". The string is static. */
HM_API const char *hm_arch(void);

/*
 * Feature bits reported by hm_features(). Bits 0-15 describe the host (probed once, at the first call);
 * bits 16 and up describe how the library was built. Numbers are stable: a bit keeps its meaning forever.
 */
typedef enum hm_feature {
    /* memfd_create works and accepts seals (F_SEAL_*): needed for shared-memory regions and large payloads. */
    HM_FEATURE_MEMFD = 1u << 0,
    /* The futex system call works: blocking waits on shared memory park in the kernel instead of spinning. */
    HM_FEATURE_FUTEX = 1u << 1,
    /* SELinux is enabled in this kernel (selinuxfs is mounted), so process labels can be applied. */
    HM_FEATURE_SELINUX = 1u << 2,
    /* The library was built with sanitizers (HARMONIA_SANITIZE). */
    HM_FEATURE_SANITIZED = 1u << 16
} hm_feature;

/* All feature bits that hold for this library on this host. */
HM_API uint64_t hm_features(void);

/* The stable lower-case name of one feature bit ("memfd", "futex", ...), or NULL if the value is not exactly
 * one known bit. The string is static. */
HM_API const char *hm_feature_name(uint64_t feature);

HM_EXTERN_C_END

#endif /* HARMONIA_HARMONIA_H */
