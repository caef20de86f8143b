#include <harmonia/harmonia.h>

#include <fcntl.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Probed once; bit 63 marks "computed" so a zero feature set is still cached. */
#define HM_FEATURES_COMPUTED (UINT64_C(1) << 63)

static _Atomic uint64_t cached_features;

static int probe_memfd_with_seals(void)
{
    int fd = memfd_create("harmonia-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return 0;
    int sealed = fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0;
    close(fd);
    return sealed;
}

static int probe_futex(void)
{
    uint32_t word = 0;
    /* Waking nobody on a private word is harmless and tells whether the call exists (ENOSYS otherwise). */
    return syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) >= 0;
}

static int probe_selinux(void)
{
    /* libselinux's is_selinux_enabled() checks the same thing: selinuxfs mounted at its standard place. */
    return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

static uint64_t compute_features(void)
{
    uint64_t features = 0;
    if (probe_memfd_with_seals())
        features |= HM_FEATURE_MEMFD;
    if (probe_futex())
        features |= HM_FEATURE_FUTEX;
    if (probe_selinux())
        features |= HM_FEATURE_SELINUX;
#ifdef HM_BUILD_SANITIZED
    features |= HM_FEATURE_SANITIZED;
#endif
    return features;
}

uint64_t hm_features(void)
{
    uint64_t features = atomic_load_explicit(&cached_features, memory_order_acquire);
    if (!(features & HM_FEATURES_COMPUTED)) {
        /* Racing first callers compute the same value; whichever store lands is correct. */
        features = compute_features() | HM_FEATURES_COMPUTED;
        atomic_store_explicit(&cached_features, features, memory_order_release);
    }
    return features & ~HM_FEATURES_COMPUTED;
}

const char *hm_feature_name(uint64_t feature)
{
    switch (feature) {
    case HM_FEATURE_MEMFD:
        return "memfd";
    case HM_FEATURE_FUTEX:
        return "futex";
    case HM_FEATURE_SELINUX:
        return "selinux";
    case HM_FEATURE_SANITIZED:
        return "sanitized";
    default:
        return NULL;
    }
}
