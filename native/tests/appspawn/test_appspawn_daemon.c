/*
 * harmonia-appspawn, for real: the test starts the daemon binary as root on a private socket, spawns processes
 * through the client API and checks what the kernel says about them in /proc. Needs root (CI runs as root);
 * otherwise it prints SKIP with the reason and exits with 77, which ctest reports as skipped.
 */
#include <harmonia/spawn.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hm_test.h"

#define APP HM_TEST_APP
#define NOBODY 65534
#define PREFORK 2 /* idle pre-forked children of every test daemon except direct_daemon */

typedef struct test_daemon {
    pid_t pid;
    int prefork;
    char dir[64];
    char socket[128];
    char out[128];
    char err[128];
} test_daemon;

static test_daemon main_daemon;
static test_daemon direct_daemon; /* --prefork 0: every spawn forks */
static char scratch_dir[64];

/* ---- Helpers ------------------------------------------------------------------------------------------------ */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static char *read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return buf;
}

/* The value of "Key:\t..." in /proc/PID/status, without the newline; NULL when absent. */
static const char *status_field(pid_t pid, const char *key, char *out, size_t size)
{
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (read_file(path, text, sizeof text) == NULL)
        return NULL;
    size_t key_length = strlen(key);
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, key_length) == 0 && line[key_length] == ':') {
            const char *value = line + key_length + 1;
            while (*value == '\t' || *value == ' ')
                value++;
            size_t length = strcspn(value, "\n");
            while (length > 0 && value[length - 1] == ' ')
                length--; /* Groups ends with a space */
            snprintf(out, size, "%.*s", (int)length, value);
            return out;
        }
    }
    return NULL;
}

static void check_status(pid_t pid, const char *key, const char *expected)
{
    char value[256];
    const char *actual = status_field(pid, key, value, sizeof value);
    if (actual == NULL || strcmp(actual, expected) != 0)
        fprintf(stderr, "  pid %d %s: '%s', expected '%s'\n", (int)pid, key, actual ? actual : "(none)", expected);
    HM_CHECK(actual != NULL && strcmp(actual, expected) == 0);
}

static int process_exists(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)pid);
    return access(path, F_OK) == 0;
}

static int count_fds(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (entry->d_name[0] != '.')
            count++;
    closedir(dir);
    return count;
}

/* Children of `parent` according to /proc (state in *zombies: how many are zombies). */
static int count_children(pid_t parent, int *zombies)
{
    DIR *proc = opendir("/proc");
    int count = 0;
    *zombies = 0;
    struct dirent *entry;
    while (proc && (entry = readdir(proc)) != NULL) {
        char path[288], text[1024];
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
        if (read_file(path, text, sizeof text) == NULL)
            continue;
        char *end = strrchr(text, ')'); /* the name may hold spaces and parentheses */
        char state;
        int ppid;
        if (end == NULL || sscanf(end + 1, " %c %d", &state, &ppid) != 2 || ppid != parent)
            continue;
        count++;
        if (state == 'Z')
            (*zombies)++;
    }
    if (proc)
        closedir(proc);
    return count;
}

static int file_contains(const char *path, const char *needle)
{
    static char text[1 << 20];
    return read_file(path, text, sizeof text) != NULL && strstr(text, needle) != NULL;
}

/* Waits up to timeout_ms for `needle` in a file; returns the line that holds it (static buffer) or NULL. */
static const char *wait_for_line(const char *path, const char *needle, long timeout_ms)
{
    static char text[1 << 20];
    uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
    do {
        if (read_file(path, text, sizeof text) != NULL) {
            char *hit = strstr(text, needle);
            if (hit) {
                char *line_end = strchr(hit, '\n');
                if (line_end)
                    *line_end = '\0';
                return hit;
            }
        }
        sleep_ms(10);
    } while (now_ms() < deadline);
    return NULL;
}

/* ---- The daemon ---------------------------------------------------------------------------------------------- */

/* Starts harmonia-appspawn in d->dir with the given extra options (NULL-terminated list). The daemon's bounding
 * set lacks CAP_SYS_RESOURCE, whatever this machine grants root, so the capability failure test is exact. */
static int daemon_start(test_daemon *d, ...)
{
    const char *argv[32];
    int argc = 0;
    va_list extra;
    strcpy(d->dir, "/tmp/hm-appspawn-test-XXXXXX");
    if (mkdtemp(d->dir) == NULL || chmod(d->dir, 0755) < 0)
        return -1;
    snprintf(d->socket, sizeof d->socket, "%s/sock", d->dir);
    snprintf(d->out, sizeof d->out, "%s/stdout", d->dir);
    snprintf(d->err, sizeof d->err, "%s/stderr", d->dir);
    argv[argc++] = HM_APPSPAWN_BIN;
    argv[argc++] = "--socket";
    argv[argc++] = d->socket;
    argv[argc++] = "--launcher";
    argv[argc++] = HM_LAUNCHER_BIN;
    argv[argc++] = "--lite-so";
    argv[argc++] = APP;
    argv[argc++] = "--prefork";
    argv[argc++] = "2";
    d->prefork = PREFORK;
    va_start(extra, d);
    for (const char *arg; (arg = va_arg(extra, const char *)) != NULL && argc < 31;) {
        if (strcmp(arg, "--prefork") == 0)
            d->prefork = -1; /* set by the next argument */
        else if (d->prefork < 0)
            d->prefork = atoi(arg);
        argv[argc++] = arg;
    }
    va_end(extra);
    argv[argc] = NULL;

    fflush(NULL);
    d->pid = fork();
    if (d->pid < 0)
        return -1;
    if (d->pid == 0) {
        int out = open(d->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        int err = open(d->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (out < 0 || err < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(126);
        prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0);
        execv(argv[0], (char **)argv);
        _exit(127);
    }
    uint64_t deadline = now_ms() + 5000;
    while (now_ms() < deadline) {
        ClientSocket *probe;
        if (CreateClient(d->socket, &probe) == 0) {
            int r = ConnectSocket(probe);
            CloseClient(probe);
            if (r == 0)
                return 0;
        }
        if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
            d->pid = 0;
            return -1;
        }
        sleep_ms(5);
    }
    return -1;
}

static void remove_dir(const char *dir)
{
    DIR *handle = opendir(dir);
    struct dirent *entry;
    while (handle && (entry = readdir(handle)) != NULL) {
        char path[512];
        if (entry->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    if (handle)
        closedir(handle);
    rmdir(dir);
}

/* SIGTERM, then the exit status (0 expected); the directory goes unless the test failed (kept for its logs). */
static int daemon_stop(test_daemon *d)
{
    int status = -1;
    if (d->pid > 0) {
        kill(d->pid, SIGTERM);
        if (waitpid(d->pid, &status, 0) != d->pid)
            status = -1;
        d->pid = 0;
    }
    if (hm_test_case_failed) {
        static char text[1 << 20];
        const char *log = read_file(d->err, text, sizeof text) ? text : "";
        size_t length = strlen(log);
        fprintf(stderr, "  daemon log (%s), last lines:\n%s\n", d->err, length > 4000 ? log + length - 4000 : log);
    } else {
        remove_dir(d->dir);
    }
    return status;
}

static ClientSocket *client_for(const test_daemon *d)
{
    ClientSocket *client = NULL;
    HM_CHECK_INT_EQ(CreateClient(d->socket, &client), 0);
    HM_CHECK_INT_EQ(ConnectSocket(client), 0);
    return client;
}

static hm_spawn_request request_for(const char *bundle, const char *so_path, int cold)
{
    hm_spawn_request r;
    memset(&r, 0, sizeof r);
    r.uid = NOBODY;
    r.gid = NOBODY;
    r.gid_count = 1;
    r.gids[0] = NOBODY;
    r.capabilities = UINT64_C(1) << CAP_NET_BIND_SERVICE;
    r.access_token_id = 42;
    r.flags = cold ? HM_SPAWN_FLAG_COLD_START : 0;
    snprintf(r.process_name, sizeof r.process_name, "hm.%s", bundle);
    snprintf(r.bundle_name, sizeof r.bundle_name, "%s", bundle);
    snprintf(r.so_path, sizeof r.so_path, "%s", so_path);
    return r;
}

static int32_t spawn(ClientSocket *client, const hm_spawn_request *request)
{
    int32_t reply = 0;
    HM_CHECK_INT_EQ(hm_spawn_app(client, request, &reply, NULL), 0);
    return reply;
}

static size_t children_count(ClientSocket *client)
{
    size_t count = 0;
    HM_CHECK_INT_EQ(hm_spawn_dump(client, NULL, 0, &count), 0);
    return count;
}

/* Waits until the daemon has reaped everything down to `count` apps, no zombie of it is left, and its pool of
 * pre-forked children is full again: /proc then shows exactly count + prefork children. */
static int wait_for_children(const test_daemon *d, ClientSocket *client, size_t count)
{
    uint64_t deadline = now_ms() + 10000;
    int zombies = 0, processes = 0;
    while (now_ms() < deadline) {
        processes = count_children(d->pid, &zombies);
        if (children_count(client) == count && processes == (int)count + d->prefork && zombies == 0)
            return 1;
        sleep_ms(5);
    }
    fprintf(stderr, "  daemon has %zu apps, %d child processes (%d zombies); expected %zu apps, %zu processes\n",
            children_count(client), processes, zombies, count, count + (size_t)d->prefork);
    return 0;
}

static void terminate(ClientSocket *client, pid_t pid)
{
    int32_t reply = 1;
    HM_CHECK_INT_EQ(hm_spawn_terminate(client, pid, &reply), 0);
    HM_CHECK_INT_EQ(reply, 0);
}

static int32_t error_of(int step, int detail)
{
    return HM_SPAWN_REPLY_ERROR(step, detail);
}

/* ---- Cases ----------------------------------------------------------------------------------------------------- */

static void every_field_reaches_proc_status_on(const test_daemon *d)
{
    ClientSocket *client = client_for(d);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", APP, cold);
        snprintf(r.process_name, sizeof r.process_name, "hm.fields.%s.a-process-name-longer-than-15",
                 cold ? "cold" : "warm");
        r.uid = 54321;
        r.gid = 54322;
        r.gid_count = 3;
        r.gids[0] = 54322;
        r.gids[1] = 100;
        r.gids[2] = 4242;
        r.capabilities = (UINT64_C(1) << CAP_NET_BIND_SERVICE) | (UINT64_C(1) << CAP_KILL);
        int32_t pid = spawn(client, &r);
        HM_CHECK(pid > 0);
        if (pid <= 0)
            continue;
        char name[16];
        snprintf(name, sizeof name, "%.15s", r.process_name);
        check_status(pid, "Name", name);
        check_status(pid, "Uid", "54321\t54321\t54321\t54321");
        check_status(pid, "Gid", "54322\t54322\t54322\t54322");
        check_status(pid, "Groups", "100 4242 54322");
        check_status(pid, "CapInh", "0000000000000420");
        check_status(pid, "CapPrm", "0000000000000420");
        check_status(pid, "CapEff", "0000000000000420");
        check_status(pid, "CapBnd", "0000000000000420");
        check_status(pid, "CapAmb", "0000000000000420");
        check_status(pid, "NoNewPrivs", "1");
        check_status(pid, "SigBlk", "0000000000000000");
        check_status(pid, "SigIgn", "0000000000000000");
        /* The full name in argv (a warm child overwrote the daemon's argv; the launcher was given it). */
        char path[64];
        static char text[65536];
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
        HM_CHECK(read_file(path, text, sizeof text) && strcmp(text, r.process_name) == 0);
        /* Only stdio is left open (the report pipe closes right after the ready report: allow it a moment). */
        uint64_t fd_deadline = now_ms() + 2000;
        while (count_fds(pid) != 3 && now_ms() < fd_deadline)
            sleep_ms(2);
        HM_CHECK_INT_EQ(count_fds(pid), 3);
        /* Its own session. */
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        int session = 0;
        char *end = read_file(path, text, sizeof text) ? strrchr(text, ')') : NULL;
        HM_CHECK(end && sscanf(end + 1, " %*c %*d %*d %d", &session) == 1);
        HM_CHECK_INT_EQ(session, pid);
        /* The token is in the environment the app sees (after exec it is the initial environment too). */
        if (cold) {
            snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
            if (fd >= 0)
                close(fd);
            HM_CHECK(n > 0 && memmem(text, (size_t)n, "HM_ACCESS_TOKEN_ID=42", 22) != NULL);
        }
        hm_spawn_child_info info[4];
        size_t count = 0;
        HM_CHECK_INT_EQ(hm_spawn_dump(client, info, 4, &count), 0);
        HM_CHECK_INT_EQ(count, 1);
        HM_CHECK_INT_EQ(info[0].pid, pid);
        HM_CHECK_INT_EQ(info[0].uid, 54321);
        HM_CHECK_STR_EQ(info[0].name, r.process_name);
        HM_CHECK_INT_EQ(info[0].flags, HM_SPAWN_DUMP_READY | (cold ? HM_SPAWN_DUMP_COLD : 0));
        HM_CHECK(info[0].start_time_ms > 1700000000000ull);
        terminate(client, pid);
        HM_CHECK(wait_for_children(d, client, 0));
        HM_CHECK(!process_exists(pid));
    }
    CloseClient(client);
}

static void every_field_reaches_proc_status(void)
{
    every_field_reaches_proc_status_on(&main_daemon);
}

static void every_field_reaches_proc_status_without_prefork(void)
{
    every_field_reaches_proc_status_on(&direct_daemon);
}

static void id_and_name_limits_work_for_real(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    r.uid = INT32_MAX;
    r.gid = INT32_MAX;
    r.gid_count = HM_SPAWN_MAX_GIDS;
    for (unsigned i = 0; i < HM_SPAWN_MAX_GIDS; i++)
        r.gids[i] = 30000 + (int32_t)i;
    memset(r.process_name, 'n', HM_SPAWN_NAME_SIZE - 1);
    r.process_name[HM_SPAWN_NAME_SIZE - 1] = '\0';
    r.capabilities = 0;
    int32_t pid = spawn(client, &r);
    HM_CHECK(pid > 0);
    if (pid > 0) {
        check_status(pid, "Uid", "2147483647\t2147483647\t2147483647\t2147483647");
        check_status(pid, "CapEff", "0000000000000000");
        check_status(pid, "CapPrm", "0000000000000000");
        check_status(pid, "Name", "nnnnnnnnnnnnnnn");
        char groups[1024];
        HM_CHECK(status_field(pid, "Groups", groups, sizeof groups) && strncmp(groups, "30000 30001 ", 12) == 0 &&
                 strstr(groups, "30063") != NULL);
        terminate(client, pid);
    }
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void child_cannot_regain_root(void)
{
    ClientSocket *client = client_for(&main_daemon);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.probe", APP, cold);
        int32_t pid = spawn(client, &r);
        HM_CHECK(pid > 0);
        if (pid <= 0)
            continue;
        char needle[32], expected[160];
        snprintf(needle, sizeof needle, "probe %d ", (int)pid);
        const char *line = wait_for_line(main_daemon.out, needle, 5000);
        snprintf(expected, sizeof expected, "probe %d setuid0=%d setgid0=%d capset=%d ambient=%d token=42 identity=-",
                 (int)pid, EPERM, EPERM, EPERM, EPERM);
        HM_CHECK(line != NULL && strcmp(line, expected) == 0);
        if (line && strcmp(line, expected) != 0)
            fprintf(stderr, "  got '%s'\n  expected '%s'\n", line, expected);
        terminate(client, pid);
        HM_CHECK(wait_for_children(&main_daemon, client, 0));
    }
    CloseClient(client);
}

/* Every AppProperty rule at its boundary, through the daemon: the refusal names the field, nothing is spawned. */
static void invalid_requests_are_refused_before_fork(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request base = request_for("test.exit", APP, 0);
    struct {
        hm_spawn_request request;
        uint32_t field;
    } cases[12];
    size_t n = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cases[i].request = base;
    cases[n].request.uid = 0, cases[n++].field = HM_SPAWN_FIELD_UID;
    cases[n].request.gid = -1, cases[n++].field = HM_SPAWN_FIELD_GID;
    cases[n].request.gid_count = 65, cases[n++].field = HM_SPAWN_FIELD_GID_COUNT;
    cases[n].request.gids[0] = 0, cases[n++].field = HM_SPAWN_FIELD_GID_TABLE;
    cases[n].request.capabilities = UINT64_C(2) << hm_spawn_cap_last(), cases[n++].field = HM_SPAWN_FIELD_CAPABILITIES;
    cases[n].request.flags = 2, cases[n++].field = HM_SPAWN_FIELD_FLAGS;
    cases[n].request.process_name[0] = '\0', cases[n++].field = HM_SPAWN_FIELD_PROCESS_NAME;
    memset(cases[n].request.bundle_name, 'b', HM_SPAWN_NAME_SIZE), cases[n++].field = HM_SPAWN_FIELD_BUNDLE_NAME;
    strcpy(cases[n].request.so_path, "relative.so"), cases[n++].field = HM_SPAWN_FIELD_SO_PATH;
    memset(cases[n].request.apl, 'a', HM_SPAWN_APL_SIZE), cases[n++].field = HM_SPAWN_FIELD_APL;

    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&base, message, sizeof message, &length, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        /* Raw bytes, so the client's own validation does not stop the request before the daemon sees it:
         * patch the valid message where the field lives. */
        unsigned char bad[HM_SPAWN_APP_PROPERTY_SIZE];
        memcpy(bad, message, sizeof bad);
        const hm_spawn_request *r = &cases[i].request;
        switch (cases[i].field) {
        case HM_SPAWN_FIELD_UID:
            memcpy(bad + HM_SPAWN_OFF_UID, &r->uid, 4);
            break;
        case HM_SPAWN_FIELD_GID:
            memcpy(bad + HM_SPAWN_OFF_GID, &r->gid, 4);
            break;
        case HM_SPAWN_FIELD_GID_COUNT:
            memcpy(bad + HM_SPAWN_OFF_GID_COUNT, &r->gid_count, 4);
            break;
        case HM_SPAWN_FIELD_GID_TABLE:
            memcpy(bad + HM_SPAWN_OFF_GID_TABLE, &r->gids[0], 4);
            break;
        case HM_SPAWN_FIELD_CAPABILITIES:
            memcpy(bad + HM_SPAWN_OFF_CAPABILITIES, &r->capabilities, 8);
            break;
        case HM_SPAWN_FIELD_FLAGS:
            memcpy(bad + HM_SPAWN_OFF_FLAGS, &r->flags, 4);
            break;
        case HM_SPAWN_FIELD_PROCESS_NAME:
            memcpy(bad + HM_SPAWN_OFF_PROCESS_NAME, r->process_name, HM_SPAWN_NAME_SIZE);
            break;
        case HM_SPAWN_FIELD_BUNDLE_NAME:
            memcpy(bad + HM_SPAWN_OFF_BUNDLE_NAME, r->bundle_name, HM_SPAWN_NAME_SIZE);
            break;
        case HM_SPAWN_FIELD_SO_PATH:
            memcpy(bad + HM_SPAWN_OFF_SO_PATH, r->so_path, HM_SPAWN_NAME_SIZE);
            break;
        default:
            memcpy(bad + HM_SPAWN_OFF_APL, r->apl, HM_SPAWN_APL_SIZE);
            break;
        }
        int32_t reply = 0;
        HM_CHECK_INT_EQ(WriteSocketMessage(client, bad, sizeof bad), (int)sizeof bad);
        HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), 4);
        if (reply != error_of(HM_SPAWN_STEP_REQUEST, (int)cases[i].field))
            fprintf(stderr, "  case %zu (field %s): reply %d\n", i, hm_spawn_field_name((int)cases[i].field),
                    (int)reply);
        HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, (int)cases[i].field));
    }
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK(file_contains(main_daemon.err, "invalid request: gidCount must be 0..64"));
    /* The connection still works after refusals. */
    int32_t pid = spawn(client, &base);
    HM_CHECK(pid > 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void bad_header_is_answered_then_closed(void)
{
    ClientSocket *client = client_for(&main_daemon);
    unsigned char header[HM_SPAWN_HEADER_SIZE] = {'H', 'M', 'S', 'P', 2, 0, 1, 0};
    int32_t reply = 0;
    HM_CHECK_INT_EQ(WriteSocketMessage(client, header, sizeof header), (int)sizeof header);
    HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), 4);
    HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_VERSION));
    HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), -ECONNRESET);
    CloseClient(client);
}

static void pipelined_requests_are_answered_in_order(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.exit", APP, 0);
    unsigned char two[2 * HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&r, two, HM_SPAWN_APP_PROPERTY_SIZE, &length, NULL), 0);
    r.uid = 0; /* the second is invalid: its reply must come second */
    memcpy(two + HM_SPAWN_APP_PROPERTY_SIZE, two, HM_SPAWN_APP_PROPERTY_SIZE);
    memset(two + HM_SPAWN_APP_PROPERTY_SIZE + HM_SPAWN_OFF_UID, 0, 4);
    int32_t replies[2] = {0, 0};
    HM_CHECK_INT_EQ(WriteSocketMessage(client, two, sizeof two), (int)sizeof two);
    HM_CHECK_INT_EQ(ReadSocketMessage(client, replies, sizeof replies), (int)sizeof replies);
    HM_CHECK(replies[0] > 0);
    HM_CHECK_INT_EQ(replies[1], error_of(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_UID));
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void failures_name_their_step_and_are_reaped(void)
{
    ClientSocket *client = client_for(&main_daemon);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", "/nonexistent/libapp.so", cold);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ENOENT));
        r = request_for("test.sleep", HM_TEST_APP_NO_ENTRY, cold);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_ENTRY, ENOENT));
        r = request_for("test.sleep", "/proc/self/status", cold); /* readable, not a library */
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ELIBBAD));
        /* A capability the daemon does not hold (its bounding set lacks CAP_SYS_RESOURCE). */
        r = request_for("test.sleep", APP, cold);
        r.capabilities |= UINT64_C(1) << CAP_SYS_RESOURCE;
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_CAPS, EPERM));
        HM_CHECK(wait_for_children(&main_daemon, client, 0));
    }
    HM_CHECK(file_contains(main_daemon.err, "step entry failed: ENOENT"));
    CloseClient(client);
}

/* The failure reply and the reaping of the dead child race; a dump right after the reply must already leave the
 * failed spawn out, whichever comes first (it once listed it until SIGCHLD was handled). */
static void failed_spawn_is_never_listed(void)
{
    ClientSocket *client = client_for(&main_daemon);
    int listed = 0;
    for (int i = 0; i < 100; i++) {
        hm_spawn_request r = request_for("test.fail", "/nonexistent/libapp.so", 0);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ENOENT));
        if (children_count(client) != 0)
            listed++;
    }
    HM_CHECK_INT_EQ(listed, 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void exec_failure_is_reported_with_its_step(void)
{
    test_daemon d;
    char launcher[128];
    /* A launcher file that exists but cannot be executed, then one that is executable but not a program. */
    static const struct {
        const char *content;
        mode_t mode;
        int err;
    } launchers[] = {{"not a program\n", 0644, EACCES}, {"not a program\n", 0755, ENOEXEC}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(launcher, sizeof launcher, "%s/launcher-%zu", scratch_dir, i);
        int fd = open(launcher, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, launchers[i].mode);
        HM_CHECK(fd >= 0 && write(fd, launchers[i].content, strlen(launchers[i].content)) > 0);
        if (fd >= 0)
            close(fd);
        HM_CHECK_INT_EQ(daemon_start(&d, "--launcher", launcher, NULL), 0);
        ClientSocket *client = client_for(&d);
        hm_spawn_request r = request_for("test.sleep", APP, 1);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_EXEC, launchers[i].err));
        r = request_for("test.exit", APP, 0); /* warm starts do not need the launcher */
        HM_CHECK(spawn(client, &r) > 0);
        HM_CHECK(wait_for_children(&d, client, 0));
        CloseClient(client);
        HM_CHECK_INT_EQ(daemon_stop(&d), 0);
    }
    /* No launcher at all: the daemon still serves warm starts and refuses cold ones without forking. */
    HM_CHECK_INT_EQ(daemon_start(&d, "--launcher", "/nonexistent/harmonia-app-launcher", NULL), 0);
    ClientSocket *client = client_for(&d);
    hm_spawn_request r = request_for("test.sleep", APP, 1);
    HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_EXEC, ENOENT));
    HM_CHECK(file_contains(d.err, "cold start is unavailable"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void silent_child_times_out_and_is_killed(void)
{
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--spawn-timeout-ms", "300", NULL), 0);
    ClientSocket *client = client_for(&d);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", HM_TEST_APP_HANG, cold);
        uint64_t start = now_ms();
        HM_CHECK_INT_EQ(spawn(client, &r), -ETIMEDOUT);
        uint64_t took = now_ms() - start;
        HM_CHECK(took >= 290 && took < 3000);
        HM_CHECK(wait_for_children(&d, client, 0));
    }
    HM_CHECK(file_contains(d.err, "did not report within 300 ms: killing it"));
    HM_CHECK(file_contains(d.err, "was killed by signal 9"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static long cpu_ticks(pid_t pid)
{
    char path[64], text[1024];
    unsigned long user = 0, system = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *end = read_file(path, text, sizeof text) ? strrchr(text, ')') : NULL;
    if (end == NULL || sscanf(end + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user, &system) != 2)
        return -1;
    return (long)(user + system);
}

/* A client that hangs up while its spawn is in progress: the daemon neither spins on the hang-up nor loses the
 * child; the spawn runs to its end (here its timeout) unanswered. */
static void client_gone_during_a_spawn_costs_nothing(void)
{
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--spawn-timeout-ms", "1500", NULL), 0);
    ClientSocket *client = client_for(&d);
    hm_spawn_request r = request_for("test.sleep", HM_TEST_APP_HANG, 0);
    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&r, message, sizeof message, &length, NULL), 0);
    HM_CHECK_INT_EQ(WriteSocketMessage(client, message, (int)length), (int)length);
    sleep_ms(100);
    CloseClient(client);
    long before = cpu_ticks(d.pid);
    sleep_ms(800);
    long used = cpu_ticks(d.pid) - before;
    HM_CHECK(before >= 0 && used <= 10); /* 800 ms of a spinning loop would be about 80 ticks */
    HM_CHECK(wait_for_line(d.err, "did not report within 1500 ms: killing it", 3000) != NULL);
    client = client_for(&d);
    HM_CHECK(wait_for_children(&d, client, 0));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

/* A client that is not root and not --foundation-uid: refused before its request is read, nothing spawned. */
/* Client mode of this program (run by setpriv as another user): sends a spawn request to the socket and writes
 * {result of hm_spawn_app, reply} to fd 3. */
static int client_mode(const char *socket_path)
{
    int32_t result[2] = {0, 0};
    ClientSocket *client;
    if (CreateClient(socket_path, &client) < 0 || ConnectSocket(client) < 0)
        _exit(4);
    hm_spawn_request r = request_for("test.exit", APP, 0);
    /* A refused peer is closed at accept: the request may still fit the socket buffer, the reply never comes. */
    result[0] = hm_spawn_app(client, &r, &result[1], NULL);
    ssize_t written = write(3, result, sizeof result);
    _exit(written == (ssize_t)sizeof result ? 0 : 5);
}

/* Runs a client as `uid` (setpriv --reuid --regid --clear-groups, as an admin would; or, without setpriv, a forked
 * child that changes its ids) and returns what its hm_spawn_app returned, with the reply in *ret_reply. */
static int connect_as(const test_daemon *d, uid_t uid, int32_t *ret_reply)
{
    int pipe_fds[2];
    char self[256], reuid[32], regid[32];
    ssize_t self_length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (pipe2(pipe_fds, O_CLOEXEC) < 0 || self_length <= 0)
        return -1;
    self[self_length] = '\0';
    snprintf(reuid, sizeof reuid, "--reuid=%u", (unsigned)uid);
    snprintf(regid, sizeof regid, "--regid=%u", (unsigned)uid);
    int have_setpriv = access("/usr/bin/setpriv", X_OK) == 0;
    if (!have_setpriv)
        printf("  note: no /usr/bin/setpriv; the client changes its ids itself\n");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (dup2(pipe_fds[1], 3) < 0)
            _exit(3);
        if (have_setpriv) {
            execl("/usr/bin/setpriv", "setpriv", reuid, regid, "--clear-groups", self, "--client", d->socket,
                  (char *)NULL);
            _exit(6);
        }
        if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
            _exit(3);
        client_mode(d->socket);
    }
    close(pipe_fds[1]);
    int32_t result[2] = {1, 0};
    ssize_t n = read(pipe_fds[0], result, sizeof result);
    close(pipe_fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (n != (ssize_t)sizeof result || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *ret_reply = result[1];
    return result[0];
}

static void peer_outside_the_allow_list_is_refused(void)
{
    int32_t reply = 0;
    int r = connect_as(&main_daemon, NOBODY, &reply);
    HM_CHECK(r == -ECONNRESET || r == -EPIPE);
    char needle[64];
    snprintf(needle, sizeof needle, "uid %d gid %d: uid not allow-listed", NOBODY, NOBODY);
    HM_CHECK(wait_for_line(main_daemon.err, needle, 2000) != NULL);
    ClientSocket *client = client_for(&main_daemon);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK(!file_contains(main_daemon.err, "for peer uid 65534"));
    CloseClient(client);

    /* The same peer, allow-listed as the foundation uid, is served: the refusal above was the allow-list. */
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--foundation-uid", "65534", NULL), 0);
    HM_CHECK_INT_EQ(connect_as(&d, NOBODY, &reply), 0);
    HM_CHECK(reply > 0);
    HM_CHECK(wait_for_line(d.err, "for peer uid 65534", 2000) != NULL);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void lite_request_spawns_and_reports_exact_codes(void)
{
    ClientSocket *client = client_for(&main_daemon);
    int32_t result = 1;
    int64_t pid = 0;
    HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE,
                                  "{\"bundleName\":\"test.probe\",\"identityID\":\"ability-7\",\"uID\":54323,"
                                  "\"gID\":54324,\"capability\":[10,5]}",
                                  &result, &pid),
                    0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_SUCCESS);
    HM_CHECK(pid > 0);
    if (pid > 0) {
        check_status((pid_t)pid, "Uid", "54323\t54323\t54323\t54323");
        check_status((pid_t)pid, "Gid", "54324\t54324\t54324\t54324");
        check_status((pid_t)pid, "Groups", "54324");
        check_status((pid_t)pid, "CapEff", "0000000000000420");
        check_status((pid_t)pid, "CapAmb", "0000000000000420");
        check_status((pid_t)pid, "Name", "test.probe");
        char needle[32];
        snprintf(needle, sizeof needle, "probe %d ", (int)pid);
        const char *line = wait_for_line(main_daemon.out, needle, 5000);
        HM_CHECK(line != NULL && strstr(line, "setuid0=1 ") && strstr(line, "token=0 identity=ability-7"));
        terminate(client, (pid_t)pid);
    }
    static const struct {
        const char *json;
        int32_t result;
    } refused[] = {
        {"{\"bundleName\":\"short\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":0}",
         HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":0,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":[41]}",
         HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\"", HM_SPAWN_EC_PROTOCOL},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE, refused[i].json, &result, &pid), 0);
        HM_CHECK_INT_EQ(result, refused[i].result);
        HM_CHECK_INT_EQ(pid, -1);
    }
    HM_CHECK_INT_EQ(hm_spawn_lite(client, 1, "{}", &result, &pid), 0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_BADPTR);
    HM_CHECK_INT_EQ(pid, -1);
    /* A spawn that fails in the child is EC_FAILURE with pid -1 (the log names the step). */
    HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE,
                                  "{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,"
                                  "\"capability\":[24]}",
                                  &result, &pid),
                    0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_FAILURE);
    HM_CHECK_INT_EQ(pid, -1);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void killed_child_is_reaped(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    int32_t pid = spawn(client, &r);
    HM_CHECK(pid > 0);
    HM_CHECK_INT_EQ(children_count(client), 1);
    HM_CHECK_INT_EQ(kill(pid, SIGKILL), 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK(!process_exists(pid));
    int32_t reply = 0;
    HM_CHECK_INT_EQ(hm_spawn_terminate(client, pid, &reply), 0);
    HM_CHECK_INT_EQ(reply, -ESRCH); /* no longer its child */
    HM_CHECK_INT_EQ(hm_spawn_terminate(client, 0, &reply), 0);
    HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_PID));
    CloseClient(client);
}

/* An idle pre-forked child that dies is reaped and replaced; spawns go on. */
static void killed_idle_pool_child_is_replaced(void)
{
    ClientSocket *client = client_for(&main_daemon);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    char path[64], text[256];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)main_daemon.pid, (int)main_daemon.pid);
    int idle = 0;
    HM_CHECK(read_file(path, text, sizeof text) && sscanf(text, "%d", &idle) == 1);
    HM_CHECK(idle > 0 && kill(idle, SIGKILL) == 0);
    uint64_t deadline = now_ms() + 5000; /* gone only once the daemon has reaped it */
    while (idle > 0 && process_exists(idle) && now_ms() < deadline)
        sleep_ms(2);
    HM_CHECK(!process_exists(idle));
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    hm_spawn_request r = request_for("test.exit", APP, 0);
    for (int i = 0; i < 5; i++)
        HM_CHECK(spawn(client, &r) > 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void thousand_spawns_leave_no_zombie_and_no_fd(void)
{
    ClientSocket *client = client_for(&main_daemon);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    int fds_before = count_fds(main_daemon.pid);
    hm_spawn_request r = request_for("test.exit", APP, 0);
    int failures = 0;
    uint64_t start = now_ms();
    for (int i = 0; i < 1000; i++)
        failures += spawn(client, &r) <= 0;
    printf("  1000 warm spawns in %llu ms\n", (unsigned long long)(now_ms() - start));
    HM_CHECK_INT_EQ(failures, 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK_INT_EQ(count_fds(main_daemon.pid), fds_before);
    CloseClient(client);
}

static void incomplete_message_is_dropped_after_the_read_timeout(void)
{
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--read-timeout-ms", "200", NULL), 0);
    ClientSocket *client = client_for(&d);
    unsigned char half[8] = {'H', 'M', 'S', 'P', 1, 0, 1, 0};
    int32_t reply;
    uint64_t start = now_ms();
    HM_CHECK_INT_EQ(WriteSocketMessage(client, half, sizeof half), (int)sizeof half);
    HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), -ECONNRESET);
    HM_CHECK(now_ms() - start >= 190);
    HM_CHECK(file_contains(d.err, "message incomplete after 200 ms"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void required_selinux_when_off_refuses_to_spawn(void)
{
    if (access("/sys/fs/selinux/enforce", F_OK) == 0) {
        printf("  SKIP: SELinux is enabled on this kernel; this case covers a kernel without it\n");
        return;
    }
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--require-selinux", NULL), 0);
    ClientSocket *client = client_for(&d);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_SELINUX, EOPNOTSUPP));
    HM_CHECK(wait_for_children(&d, client, 0));
    HM_CHECK(file_contains(d.err, "--require-selinux is set"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void second_daemon_keeps_off_a_live_socket(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        dup2(null, 2);
        execl(HM_APPSPAWN_BIN, HM_APPSPAWN_BIN, "--socket", main_daemon.socket, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    HM_CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
    HM_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    ClientSocket *client = client_for(&main_daemon); /* the first one still serves */
    HM_CHECK_INT_EQ(children_count(client), 0);
    CloseClient(client);
}

static void sigterm_stops_every_child(void)
{
    test_daemon d;
    pid_t pids[6];
    HM_CHECK_INT_EQ(daemon_start(&d, NULL), 0);
    ClientSocket *client = client_for(&d);
    for (int i = 0; i < 6; i++) {
        hm_spawn_request r = request_for("test.sleep", APP, i % 2);
        pids[i] = spawn(client, &r);
        HM_CHECK(pids[i] > 0);
    }
    HM_CHECK_INT_EQ(children_count(client), 6);
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
    for (int i = 0; i < 6; i++)
        HM_CHECK(pids[i] > 0 && !process_exists(pids[i]));
    HM_CHECK(access(d.socket, F_OK) < 0);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--client") == 0)
        return client_mode(argv[2]);
    if (geteuid() != 0) {
        printf("SKIP: the appspawn daemon tests need root (uid %u): they change uids and capabilities\n",
               (unsigned)geteuid());
        return 77;
    }
    strcpy(scratch_dir, "/tmp/hm-appspawn-scratch-XXXXXX");
    if (mkdtemp(scratch_dir) == NULL || daemon_start(&main_daemon, NULL) < 0 ||
        daemon_start(&direct_daemon, "--prefork", "0", NULL) < 0) {
        fprintf(stderr, "cannot start %s\n", HM_APPSPAWN_BIN);
        return 1;
    }
    HM_RUN(every_field_reaches_proc_status);
    HM_RUN(every_field_reaches_proc_status_without_prefork);
    HM_RUN(id_and_name_limits_work_for_real);
    HM_RUN(child_cannot_regain_root);
    HM_RUN(invalid_requests_are_refused_before_fork);
    HM_RUN(bad_header_is_answered_then_closed);
    HM_RUN(pipelined_requests_are_answered_in_order);
    HM_RUN(failures_name_their_step_and_are_reaped);
    HM_RUN(failed_spawn_is_never_listed);
    HM_RUN(exec_failure_is_reported_with_its_step);
    HM_RUN(silent_child_times_out_and_is_killed);
    HM_RUN(client_gone_during_a_spawn_costs_nothing);
    HM_RUN(peer_outside_the_allow_list_is_refused);
    HM_RUN(lite_request_spawns_and_reports_exact_codes);
    HM_RUN(killed_child_is_reaped);
    HM_RUN(killed_idle_pool_child_is_replaced);
    HM_RUN(thousand_spawns_leave_no_zombie_and_no_fd);
    HM_RUN(incomplete_message_is_dropped_after_the_read_timeout);
    HM_RUN(required_selinux_when_off_refuses_to_spawn);
    HM_RUN(second_daemon_keeps_off_a_live_socket);
    HM_RUN(sigterm_stops_every_child);
    hm_test_case_failed = hm_test_cases_failed;
    HM_CHECK_INT_EQ(daemon_stop(&main_daemon), 0);
    HM_CHECK_INT_EQ(daemon_stop(&direct_daemon), 0);
    remove_dir(scratch_dir);
    return HM_TEST_SUMMARY();
}
