/*
 * The child side of a spawn: the steps between fork and the app's entry, in a fixed order.
 *
 *   signals -> fds -> setsid -> umask and limits -> name -> setgroups -> setresgid -> setresuid (caps kept)
 *   -> capset/bounding/ambient -> SELinux label -> working directory -> environment (with the access token)
 *   -> PR_SET_NO_NEW_PRIVS -> warm: dlopen(soPath) + entry | cold: exec launcher
 *
 * Why this order: groups, then gid, then uid, because each later call removes the privilege the earlier ones need
 * (Android's zygote and systemd use the same order; appspawn_lite's setuid-first order only worked thanks to a
 * securebit). Capabilities come after the uid change, which PR_SET_KEEPCAPS survives, and the bounding set is
 * reduced while CAP_SETPCAP is still effective. The SELinux label follows capset, as OpenHarmony fixed in
 * 88dd3b7a (earlier, later privileged steps were denied). NO_NEW_PRIVS is last before the start, so nothing
 * after it can gain privileges, not even through exec. The working directory is entered as the app (after the uid,
 * capabilities and label), so a dataDir the app may not enter fails the spawn instead of handing it a directory
 * it could not have opened. Everything the daemon's state could leak into (signals, fds, session, umask, limits,
 * working directory, environment, /proc/PID/cmdline and /proc/PID/environ) is set explicitly before app code runs:
 * docs/protocols.md lists what a child inherits and what it does not.
 *
 * Each failure writes {step, errno} to the report pipe and exits with 127, so the daemon names the failed step.
 * The daemon is single-threaded, so the child may call malloc-using functions (dlopen, setenv) safely.
 */
#include "appspawn.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void appspawn_report(int fd, int step, int err)
{
    hm_spawn_report report = {step, err};
    ssize_t written;
    do {
        written = write(fd, &report, sizeof report);
    } while (written < 0 && errno == EINTR);
}

__attribute__((noreturn)) static void fail(int fd, int step, int err)
{
    appspawn_report(fd, step, err != 0 ? err : EIO);
    _exit(127);
}

static void reset_signals(int report)
{
    struct sigaction action;
    sigset_t empty;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (sigaction(sig, &action, NULL) == 0)
            continue;
        if (errno != EINVAL)
            fail(report, HM_SPAWN_STEP_SIGNALS, errno);
        /* glibc refuses the two signals it reserves for itself (32, 33), yet an ignored disposition of them
         * survives exec (a JVM up the process tree leaves them ignored). The kernel takes the reset directly:
         * an all-zero kernel sigaction is SIG_DFL, no flags, empty mask, whatever the architecture's layout. */
        uint64_t kernel_action[4] = {0, 0, 0, 0};
        if (syscall(SYS_rt_sigaction, sig, kernel_action, NULL, sizeof(uint64_t)) < 0 && errno != EINVAL)
            fail(report, HM_SPAWN_STEP_SIGNALS, errno);
    }
    sigemptyset(&empty);
    if (sigprocmask(SIG_SETMASK, &empty, NULL) < 0)
        fail(report, HM_SPAWN_STEP_SIGNALS, errno);
}

static int close_from(unsigned first)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, first, ~0u, 0) == 0)
        return 0;
    if (errno != ENOSYS)
        return -errno;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = first; fd < (max > 0 ? max : 65536); fd++)
        close((int)fd);
    return 0;
}

/* An fd to keep in the child: moved to `target`, close-on-exec or not. */
typedef struct kept_fd {
    int fd;
    int target;
    int cloexec;
} kept_fd;

/*
 * Keeps exactly 0, 1, 2 (the daemon's stdio) and the given fds at their targets (consecutive from 3), and closes
 * everything else. Every kept fd is first copied above the target range, so no dup3 overwrites a source that is
 * still needed.
 */
static void arrange_fds(int report, kept_fd *kept, int count)
{
    for (int i = 0; i < count; i++) {
        kept[i].fd = fcntl(kept[i].fd, F_DUPFD_CLOEXEC, 10);
        if (kept[i].fd < 0)
            fail(report, HM_SPAWN_STEP_FDS, errno);
    }
    for (int i = 0; i < count; i++) {
        if (dup3(kept[i].fd, kept[i].target, kept[i].cloexec ? O_CLOEXEC : 0) < 0)
            fail(report, HM_SPAWN_STEP_FDS, errno);
        if (kept[i].target == HM_SPAWN_LAUNCHER_REPORT_FD)
            report = HM_SPAWN_LAUNCHER_REPORT_FD;
    }
    int r = close_from((unsigned)(HM_SPAWN_LAUNCHER_REPORT_FD + count));
    if (r < 0)
        fail(report, HM_SPAWN_STEP_FDS, -r);
}

/* The file-creation mask and the soft limit on open files are the apps', whatever the daemon was started with (a
 * JVM, for one, raises its own soft RLIMIT_NOFILE to the hard limit, and a daemon it starts inherits that). */
static void reset_limits(int report)
{
    struct rlimit files;
    umask(HM_SPAWN_APP_UMASK);
    if (getrlimit(RLIMIT_NOFILE, &files) < 0)
        fail(report, HM_SPAWN_STEP_LIMITS, errno);
    if (files.rlim_cur > HM_SPAWN_APP_NOFILE) {
        files.rlim_cur = HM_SPAWN_APP_NOFILE; /* below the old soft limit, so below the hard one */
        if (setrlimit(RLIMIT_NOFILE, &files) < 0)
            fail(report, HM_SPAWN_STEP_LIMITS, errno);
    }
}

/* The request-independent steps: signals, fds, session, umask and limits. Returns the report fd (3). */
static int prepare(int report, kept_fd *kept, int count)
{
    reset_signals(report);
    arrange_fds(report, kept, count);
    report = HM_SPAWN_LAUNCHER_REPORT_FD;
    if (setsid() < 0)
        fail(report, HM_SPAWN_STEP_SETSID, errno);
    reset_limits(report);
    return report;
}

static void set_name(int report, const appspawn_child_args *args)
{
    const char *name = args->request->process_name;
    const appspawn_area *argv = &args->strings.argv;
    /* The kernel keeps the first 15 bytes as the thread name (/proc/PID/status Name, /proc/PID/comm). */
    if (prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0) < 0)
        fail(report, HM_SPAWN_STEP_NAME, errno);
    /* The full name goes over the daemon's argv strings (/proc/PID/cmdline), cut to the space they had. */
    if (argv->start != NULL && argv->size > 1) {
        size_t length = strnlen(name, argv->size - 1);
        memcpy(argv->start, name, length);
        memset(argv->start + length, 0, argv->size - length);
    }
}

static void change_ids(int report, const hm_spawn_request *request)
{
    gid_t groups[HM_SPAWN_MAX_GIDS];
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    for (uint32_t i = 0; i < request->gid_count; i++)
        groups[i] = (gid_t)request->gids[i];
    if (setgroups(request->gid_count, groups) < 0)
        fail(report, HM_SPAWN_STEP_SETGROUPS, errno);
    if (setresgid((gid_t)request->gid, (gid_t)request->gid, (gid_t)request->gid) < 0)
        fail(report, HM_SPAWN_STEP_SETRESGID, errno);
    /* Read back: a partial change must never pass as success. */
    if (getresgid(&rgid, &egid, &sgid) < 0 || rgid != (gid_t)request->gid || egid != rgid || sgid != rgid)
        fail(report, HM_SPAWN_STEP_SETRESGID, EPROTO);
    /* Without KEEPCAPS the uid change would clear the permitted set before capset could choose from it. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        fail(report, HM_SPAWN_STEP_SETRESUID, errno);
    if (setresuid((uid_t)request->uid, (uid_t)request->uid, (uid_t)request->uid) < 0)
        fail(report, HM_SPAWN_STEP_SETRESUID, errno);
    if (getresuid(&ruid, &euid, &suid) < 0 || ruid != (uid_t)request->uid || euid != ruid || suid != ruid)
        fail(report, HM_SPAWN_STEP_SETRESUID, EPROTO);
}

static int cap_get(struct __user_cap_data_struct data[2])
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    return (int)syscall(SYS_capget, &header, data);
}

static int cap_set(struct __user_cap_data_struct data[2])
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    return (int)syscall(SYS_capset, &header, data);
}

/* Permitted, effective and inheritable become exactly the requested set; the bounding set is cut to it and the
 * ambient set holds it, so the capabilities also survive an exec (cold start, or an app that execs). */
static void set_capabilities(int report, uint64_t wanted)
{
    struct __user_cap_data_struct data[2];
    if (cap_get(data) < 0)
        fail(report, HM_SPAWN_STEP_CAPS, errno);
    /* The uid change cleared the effective set; raise it from the kept permitted set to use CAP_SETPCAP. */
    data[0].effective = data[0].permitted;
    data[1].effective = data[1].permitted;
    if (cap_set(data) < 0)
        fail(report, HM_SPAWN_STEP_CAPS, errno);
    for (int cap = 0; cap < 64; cap++) {
        if (wanted & (UINT64_C(1) << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL)
                break; /* past the kernel's last capability */
            fail(report, HM_SPAWN_STEP_CAPS, errno);
        }
    }
    data[0].permitted = data[0].effective = data[0].inheritable = (uint32_t)wanted;
    data[1].permitted = data[1].effective = data[1].inheritable = (uint32_t)(wanted >> 32);
    if (cap_set(data) < 0)
        fail(report, HM_SPAWN_STEP_CAPS, errno);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        fail(report, HM_SPAWN_STEP_CAPS, errno);
    for (int cap = 0; cap < 64; cap++)
        if ((wanted & (UINT64_C(1) << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            fail(report, HM_SPAWN_STEP_CAPS, errno);
    struct __user_cap_data_struct check[2];
    if (cap_get(check) < 0)
        fail(report, HM_SPAWN_STEP_CAPS, errno);
    for (int i = 0; i < 2; i++)
        if (check[i].permitted != data[i].permitted || check[i].effective != data[i].effective ||
            check[i].inheritable != data[i].inheritable)
            fail(report, HM_SPAWN_STEP_CAPS, EPROTO);
    /* The uid change that needed it is done: a later one by the app drops capabilities as usual. */
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        fail(report, HM_SPAWN_STEP_CAPS, errno);
}

static void enter_working_directory(int report, const hm_spawn_request *request)
{
    if (chdir(request->data_dir[0] != '\0' ? request->data_dir : "/") < 0)
        fail(report, HM_SPAWN_STEP_WORKDIR, errno);
}

static void set_environment(int report, const appspawn_child_args *args)
{
    int r = appspawn_environment_write(args->strings.env, args->request->access_token_id);
    if (r < 0)
        fail(report, HM_SPAWN_STEP_ENVIRONMENT, -r);
}

__attribute__((noreturn)) static void start_warm(int report, const hm_spawn_request *request)
{
    void *library = dlopen(request->so_path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        /* dlopen reports no errno; opening the file names the real cause (ENOENT, EACCES) as the app's uid sees
         * it. A file that opens but does not load is not a usable library. */
        int fd = open(request->so_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            fail(report, HM_SPAWN_STEP_LOAD, errno);
        close(fd);
        char name[APPSPAWN_LOGGED_PATH_SIZE], message[1024];
        appspawn_log("child '%s': %s", appspawn_escape(request->process_name, name, sizeof name),
                     appspawn_escape(dlerror(), message, sizeof message));
        fail(report, HM_SPAWN_STEP_LOAD, ELIBBAD);
    }
    hm_spawn_entry_fn entry = (hm_spawn_entry_fn)dlsym(library, HM_SPAWN_ENTRY_SYMBOL);
    if (entry == NULL)
        fail(report, HM_SPAWN_STEP_ENTRY, ENOENT);
    appspawn_report(report, HM_SPAWN_STEP_READY, 0);
    close(report);
    int status = entry(request);
    /* The app's stdio is flushed; the daemon's exit handlers (inherited through fork) must not run. */
    fflush(NULL);
    _exit(status & 0xff);
}

__attribute__((noreturn)) static void start_cold(int report, const hm_spawn_request *request)
{
    char *argv[] = {(char *)request->process_name, (char *)HM_SPAWN_LAUNCHER_ARG, NULL};
    extern char **environ;
    fexecve(HM_SPAWN_LAUNCHER_REQUEST_FD + 1, argv, environ);
    fail(report, HM_SPAWN_STEP_EXEC, errno);
}

/* The steps that depend on the request, from the process name to the start. */
__attribute__((noreturn)) static void specialize(int report, const appspawn_child_args *args)
{
    const hm_spawn_request *request = args->request;
    set_name(report, args);
    change_ids(report, request);
    set_capabilities(report, request->capabilities);
    if (args->selinux_context != NULL && args->selinux->setcon(args->selinux_context) < 0)
        fail(report, HM_SPAWN_STEP_SELINUX, errno);
    enter_working_directory(report, request);
    set_environment(report, args);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        fail(report, HM_SPAWN_STEP_NO_NEW_PRIVS, errno);
    if (request->flags & HM_SPAWN_FLAG_COLD_START)
        start_cold(report, request);
    start_warm(report, request);
}

void appspawn_child_main(const appspawn_child_args *args)
{
    int cold = (args->request->flags & HM_SPAWN_FLAG_COLD_START) != 0;
    /* The report pipe at 3; for a cold start also the request memfd at 4 and the launcher at 5. The launcher
     * inherits the report pipe deliberately (a cold start reports its own load and entry steps); a warm child
     * keeps it close-on-exec, so nothing the app executes inherits it. The launcher fd is close-on-exec: only
     * the exec uses it. */
    kept_fd kept[3] = {
        {args->report_fd, HM_SPAWN_LAUNCHER_REPORT_FD, !cold},
        {args->request_memfd, HM_SPAWN_LAUNCHER_REQUEST_FD, 0},
        {args->launcher_fd, HM_SPAWN_LAUNCHER_REQUEST_FD + 1, 1},
    };
    int report = prepare(args->report_fd, kept, cold ? 3 : 1);
    specialize(report, args);
}

/* Writes to the stack below this frame, so the steps after the dispatch find those pages already private. */
__attribute__((noinline)) static void prefault_stack(void)
{
    volatile char area[32 * 1024];
    for (size_t i = 0; i < sizeof area; i += 4096)
        area[i] = 0;
}

/*
 * In an idle pre-forked child: take now the copy-on-write faults the steps after the dispatch would take. Each
 * costs tens of microseconds on a small VM, and naming, the environment and dlopen write to a dozen inherited
 * pages. The small writable private mappings (the program's, libc's and the dynamic loader's data) are made
 * private with MADV_POPULATE_WRITE (Linux 5.14; best effort), and the heap, stack, argv and environment pages
 * those steps use are written once; the large mappings (the children table) are left shared, so a pool child
 * stays small and its preparation competes little with a spawn in progress.
 */
static void prefault_writable_memory(appspawn_process_strings strings)
{
#ifdef MADV_POPULATE_WRITE
    char line[512];
    FILE *maps = fopen("/proc/self/maps", "re");
    while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
        unsigned long start, end;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && perms[0] == 'r' && perms[1] == 'w' &&
            perms[3] == 'p' && end - start <= 64 * 1024)
            (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
    }
    if (maps != NULL)
        fclose(maps);
#endif
    /* The heap top that the environment and dlopen allocate from, the argv strings that naming rewrites. */
    char *block = malloc(16 * 1024);
    if (block != NULL) {
        memset(block, 0, 16 * 1024);
        free(block);
    }
    const appspawn_area *areas[] = {&strings.argv, &strings.env};
    for (size_t a = 0; a < sizeof areas / sizeof areas[0]; a++)
        for (size_t i = 0; i < areas[a]->size; i += 4096)
            ((volatile char *)areas[a]->start)[i] = areas[a]->start[i];
    prefault_stack();
}

void appspawn_pool_child_main(int request_fd, int report_fd, const appspawn_selinux_ops *selinux,
                              appspawn_process_strings strings)
{
    static appspawn_dispatch dispatch;
    kept_fd kept[2] = {{report_fd, HM_SPAWN_LAUNCHER_REPORT_FD, 1}, {request_fd, HM_SPAWN_LAUNCHER_REQUEST_FD, 1}};
    int report = prepare(report_fd, kept, 2);
    prefault_writable_memory(strings);
    /* Idle until the daemon hands over a request (one write, below PIPE_BUF, so it arrives whole). EOF means the
     * daemon no longer needs this child. */
    size_t have = 0;
    while (have < sizeof dispatch) {
        ssize_t n = read(HM_SPAWN_LAUNCHER_REQUEST_FD, (char *)&dispatch + have, sizeof dispatch - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(0);
        have += (size_t)n;
    }
    close(HM_SPAWN_LAUNCHER_REQUEST_FD);
    appspawn_child_args args = {
        .request = &dispatch.request,
        .report_fd = report,
        .request_memfd = -1,
        .launcher_fd = -1,
        .selinux_context = dispatch.has_context ? dispatch.context : NULL,
        .selinux = selinux,
        .strings = strings,
    };
    specialize(report, &args);
}
