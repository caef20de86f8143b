/*
 * The app the daemon tests spawn. What it does depends on the request's bundleName:
 *   test.sleep   wait until killed (to inspect /proc/PID while it runs)
 *   test.exit    return 0 at once
 *   test.probe   try to regain privileges, print the results as one line on stdout (the daemon's stdout, which
 *                the test reads), then wait until killed
 */
#include <harmonia/spawn.h>

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((visibility("default"))) int HmAppMain(const hm_spawn_request *request);

static int errno_of(long result)
{
    return result < 0 ? errno : 0;
}

/* capset that adds CAP_SYS_ADMIN to the permitted and effective sets: must fail once privileges are dropped. */
static int try_capset_sys_admin(void)
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0)
        return errno;
    data[0].permitted |= 1u << CAP_SYS_ADMIN;
    data[0].effective |= 1u << CAP_SYS_ADMIN;
    return errno_of(syscall(SYS_capset, &header, data));
}

int HmAppMain(const hm_spawn_request *request)
{
    if (strcmp(request->bundle_name, "test.exit") == 0)
        return 0;
    if (strcmp(request->bundle_name, "test.probe") == 0) {
        int setuid_errno = errno_of(setuid(0));
        int setgid_errno = errno_of(setgid(0));
        int capset_errno = try_capset_sys_admin();
        int ambient_errno = errno_of(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0));
        printf("probe %d setuid0=%d setgid0=%d capset=%d ambient=%d token=%u identity=%s\n", (int)getpid(),
               setuid_errno, setgid_errno, capset_errno, ambient_errno, hm_spawn_access_token_id(),
               request->identity_id[0] ? request->identity_id : "-");
        fflush(stdout);
    }
    for (;;)
        pause();
}
