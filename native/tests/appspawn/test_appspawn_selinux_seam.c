/*
 * The SELinux label path, through a seam: SELinux is off on this kernel, so libselinux's setcon cannot run.
 * The tests install appspawn_selinux_ops whose setcon records, in shared memory, the label and the state of the
 * process at that moment, and check that the label derived from apl and processName is applied after the uid and
 * capabilities are set and before NO_NEW_PRIVS, in a forked child, in a pre-forked pool child and through a
 * whole daemon. One test checks the real libselinux on this kernel. Needs root (exit 77 otherwise). The app the
 * children load is staged where their dropped uid can open it (hm_stage.h).
 */
#include "appspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hm_stage.h"
#include "hm_test.h"

/* What the fake setcon saw, in memory shared with every process forked after it was mapped. */
typedef struct observed {
    int calls;
    char context[APPSPAWN_CONTEXT_SIZE];
    uid_t uid;
    uint32_t effective_caps;
    int no_new_privs;
} observed;

static observed *seen;
static int fail_with; /* errno the fake setcon fails with, 0 to succeed */
static appspawn_process_strings strings; /* this program's argv and environment memory, as the daemon's */
static char staged_app[256];

static int fake_enabled(void)
{
    return 1;
}

static int fake_setcon(const char *context)
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    seen->calls++;
    snprintf(seen->context, sizeof seen->context, "%s", context);
    seen->uid = getuid();
    seen->effective_caps = syscall(SYS_capget, &header, data) == 0 ? data[0].effective : 0xFFFFFFFFu;
    seen->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    if (fail_with != 0) {
        errno = fail_with;
        return -1;
    }
    return 0;
}

static const appspawn_selinux_ops seam = {fake_enabled, fake_setcon};

static hm_spawn_request exiting_app(const char *apl, const char *name)
{
    hm_spawn_request r;
    memset(&r, 0, sizeof r);
    r.uid = 65534;
    r.gid = 65534;
    r.capabilities = UINT64_C(1) << CAP_NET_BIND_SERVICE;
    snprintf(r.process_name, sizeof r.process_name, "%s", name);
    snprintf(r.bundle_name, sizeof r.bundle_name, "test.exit");
    snprintf(r.so_path, sizeof r.so_path, "%s", staged_app);
    snprintf(r.apl, sizeof r.apl, "%s", apl);
    return r;
}

/* Reads reports until READY, a failure or EOF; returns the last report. */
static hm_spawn_report read_outcome(int fd)
{
    hm_spawn_report report = {-1, -1};
    while (read(fd, &report, sizeof report) == (ssize_t)sizeof report)
        if (report.err != 0 || report.step == HM_SPAWN_STEP_READY)
            break;
    return report;
}

/* Runs appspawn_child_main in a forked child with the seam; returns the outcome and reaps the child. */
static hm_spawn_report run_child(const hm_spawn_request *request, const char *context)
{
    int fds[2];
    HM_CHECK(pipe2(fds, O_CLOEXEC) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        appspawn_child_args args = {request, fds[1], -1, -1, context, &seam, strings};
        appspawn_child_main(&args);
    }
    close(fds[1]);
    hm_spawn_report report = read_outcome(fds[0]);
    close(fds[0]);
    int status;
    HM_CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
    return report;
}

static void selinux_seam_label_is_set_after_caps_and_before_no_new_privs(void)
{
    memset(seen, 0, sizeof *seen);
    fail_with = 0;
    hm_spawn_request r = exiting_app("system_core", "hm.seam");
    char context[APPSPAWN_CONTEXT_SIZE];
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, r.apl, r.process_name, context, sizeof context), 0);
    hm_spawn_report report = run_child(&r, context);
    HM_CHECK_INT_EQ(report.step, HM_SPAWN_STEP_READY);
    HM_CHECK_INT_EQ(report.err, 0);
    HM_CHECK_INT_EQ(seen->calls, 1);
    HM_CHECK_STR_EQ(seen->context, "u:r:system_core_hap:s0");
    HM_CHECK_INT_EQ(seen->uid, 65534);                               /* after setresuid */
    HM_CHECK_INT_EQ(seen->effective_caps, 1u << CAP_NET_BIND_SERVICE); /* after capset */
    HM_CHECK_INT_EQ(seen->no_new_privs, 0);                          /* before PR_SET_NO_NEW_PRIVS */
}

static void selinux_seam_failure_names_the_selinux_step(void)
{
    memset(seen, 0, sizeof *seen);
    fail_with = EACCES;
    hm_spawn_request r = exiting_app("normal", "hm.seam.denied");
    hm_spawn_report report = run_child(&r, "u:r:normal_hap:s0");
    HM_CHECK_INT_EQ(report.step, HM_SPAWN_STEP_SELINUX);
    HM_CHECK_INT_EQ(report.err, EACCES);
    HM_CHECK_INT_EQ(seen->calls, 1);
    fail_with = 0;
}

static void selinux_seam_no_label_when_selinux_is_off(void)
{
    memset(seen, 0, sizeof *seen);
    hm_spawn_request r = exiting_app("normal", "hm.seam.off");
    hm_spawn_report report = run_child(&r, NULL);
    HM_CHECK_INT_EQ(report.step, HM_SPAWN_STEP_READY);
    HM_CHECK_INT_EQ(seen->calls, 0);
}

static void selinux_seam_label_reaches_a_pre_forked_child(void)
{
    memset(seen, 0, sizeof *seen);
    int request[2], report[2];
    HM_CHECK(pipe2(request, O_CLOEXEC) == 0 && pipe2(report, O_CLOEXEC) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        appspawn_pool_child_main(request[0], report[1], &seam, strings);
    close(request[0]);
    close(report[1]);
    static appspawn_dispatch dispatch;
    dispatch.request = exiting_app("system_basic", "hm.seam.pool");
    dispatch.has_context = 1;
    snprintf(dispatch.context, sizeof dispatch.context, "u:r:system_basic_hap:s0");
    HM_CHECK(write(request[1], &dispatch, sizeof dispatch) == (ssize_t)sizeof dispatch);
    close(request[1]);
    hm_spawn_report outcome = read_outcome(report[0]);
    close(report[0]);
    HM_CHECK_INT_EQ(outcome.step, HM_SPAWN_STEP_READY);
    HM_CHECK_STR_EQ(seen->context, "u:r:system_basic_hap:s0");
    HM_CHECK_INT_EQ(seen->uid, 65534);
    int status;
    HM_CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
}

/* A whole daemon (in a forked process) with the seam: labels derived from apl and processName, rules first. */
static void selinux_seam_daemon_derives_labels_from_apl_and_process_name(void)
{
    char dir[] = "/tmp/hm-selinux-seam-XXXXXX";
    char socket_path[128], rules_path[128], tokens_path[128];
    HM_CHECK(mkdtemp(dir) != NULL);
    snprintf(socket_path, sizeof socket_path, "%s/sock", dir);
    snprintf(tokens_path, sizeof tokens_path, "%s/tokens", dir);
    snprintf(rules_path, sizeof rules_path, "%s/sehap_contexts", dir);
    FILE *rules = fopen(rules_path, "w");
    HM_CHECK(rules != NULL);
    if (rules == NULL)
        return;
    fputs("# test rules\napl=system_core name=hm.launcher domain=launcher_hap type=x\napl=normal domain=app\n", rules);
    fclose(rules);

    appspawn_config config;
    char *argv[] = {"harmonia-appspawn", "--socket", socket_path, "--selinux-contexts", rules_path,
                    "--token-dir", tokens_path, NULL};
    HM_CHECK_INT_EQ(appspawn_config_parse(&config, 7, argv), 0);
    fflush(NULL);
    pid_t server_pid = fork();
    if (server_pid == 0) {
        sigset_t signals;
        appspawn_server *server;
        appspawn_signal_set(&signals);
        sigprocmask(SIG_BLOCK, &signals, NULL);
        if (appspawn_server_create(&config, &seam, strings, &server) < 0)
            _exit(1);
        int r = appspawn_server_run(server);
        appspawn_server_free(server);
        _exit(r < 0 ? 1 : 0);
    }
    ClientSocket *client = NULL;
    for (int i = 0; i < 500; i++) {
        CloseClient(client);
        client = NULL;
        if (CreateClient(socket_path, &client) == 0 && ConnectSocket(client) == 0)
            break;
        usleep(10000);
    }
    static const struct {
        const char *apl, *name, *context;
    } cases[] = {
        {"system_core", "hm.launcher", "u:r:launcher_hap:s0"}, /* the named rule */
        {"system_core", "hm.other", "u:r:system_core_hap:s0"}, /* no rule for the name: the default */
        {"normal", "hm.any", "u:r:app:s0"},                    /* the apl-only rule */
        {"", "hm.empty", "u:r:normal_hap:s0"},                 /* empty apl is normal */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(seen, 0, sizeof *seen);
        hm_spawn_request r = exiting_app(cases[i].apl, cases[i].name);
        int32_t reply = 0;
        HM_CHECK_INT_EQ(hm_spawn_app(client, &r, &reply, NULL), 0);
        HM_CHECK(reply > 0);
        HM_CHECK_STR_EQ(seen->context, cases[i].context);
    }
    /* An apl nothing maps is refused before the fork. */
    memset(seen, 0, sizeof *seen);
    hm_spawn_request r = exiting_app("unknown_apl", "hm.unknown");
    int32_t reply = 0;
    HM_CHECK_INT_EQ(hm_spawn_app(client, &r, &reply, NULL), 0);
    HM_CHECK_INT_EQ(reply, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_SELINUX, EINVAL));
    HM_CHECK_INT_EQ(seen->calls, 0);
    CloseClient(client);
    kill(server_pid, SIGTERM);
    int status;
    HM_CHECK_INT_EQ(waitpid(server_pid, &status, 0), server_pid);
    HM_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unlink(rules_path);
    rmdir(tokens_path);
    rmdir(dir);
}

/* Not a seam: the real libselinux, loaded at run time, agrees with the kernel (selinuxfs mounted or not). */
static void selinux_real_library_matches_this_kernel(void)
{
    int probe = appspawn_selinux_library_probe();
    if (probe == -ENOENT) {
        printf("  SKIP: libselinux.so.1 is not installed\n");
        return;
    }
    HM_CHECK_INT_EQ(probe, access("/sys/fs/selinux/enforce", F_OK) == 0);
    HM_CHECK_INT_EQ(appspawn_selinux_system()->is_enabled(), probe);
}

int main(int argc, char **argv)
{
    extern char **environ;
    strings = appspawn_process_strings_of(argc, argv, environ);
    if (geteuid() != 0) {
        printf("SKIP: the SELinux seam tests run the child's privilege steps and need root (uid %u)\n",
               (unsigned)geteuid());
        return 77;
    }
    seen = mmap(NULL, sizeof *seen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    hm_stage stage;
    char library[256];
    if (seen == MAP_FAILED || hm_stage_create(&stage) < 0 ||
        !hm_stage_copy(&stage, HM_LIBHARMONIA, HM_LIBHARMONIA_SONAME, library, sizeof library) ||
        !hm_stage_file(&stage, HM_TEST_APP, staged_app, sizeof staged_app))
        return 1;
    HM_RUN(selinux_seam_label_is_set_after_caps_and_before_no_new_privs);
    HM_RUN(selinux_seam_failure_names_the_selinux_step);
    HM_RUN(selinux_seam_no_label_when_selinux_is_off);
    HM_RUN(selinux_seam_label_reaches_a_pre_forked_child);
    HM_RUN(selinux_seam_daemon_derives_labels_from_apl_and_process_name);
    HM_RUN(selinux_real_library_matches_this_kernel);
    hm_stage_remove(&stage);
    return HM_TEST_SUMMARY();
}
