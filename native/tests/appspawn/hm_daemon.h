/*
 * The appspawn daemon tests' shared part: starting harmonia-appspawn as root on a private socket (in a state a
 * careless parent could leave it in: a private working directory, umask 0, extra environment variables, a raised
 * soft RLIMIT_NOFILE, a blocked and an ignored signal, so the tests see every child reset what it must), the
 * staged test apps, and helpers that read what the kernel says about a process in /proc.
 */
#ifndef HARMONIA_HM_DAEMON_H
#define HARMONIA_HM_DAEMON_H

#include <harmonia/spawn.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hm_stage.h"
#include "hm_test.h"

#define NOBODY 65534
#define PREFORK 2 /* idle pre-forked children of every test daemon unless --prefork says otherwise */

/* What every test daemon is started with, and what no child of it may show. */
#define DAEMON_ONLY_VARIABLE "HM_TEST_DAEMON_ONLY=inherited-from-the-daemon"
#define DAEMON_NOFILE 8192 /* the daemon's soft and hard RLIMIT_NOFILE */

/* The test apps, staged where a dropped uid can load them (hm_stage.h). */
typedef struct staged_apps {
    hm_stage stage;
    char app[256];      /* test_app.c */
    char no_entry[256]; /* no HmAppMain */
    char hang[256];     /* a constructor that never returns */
} staged_apps;

static staged_apps staged;
#define APP (staged.app)

static inline int stage_apps(void)
{
    char library[256];
    return hm_stage_create(&staged.stage) == 0 &&
                   hm_stage_copy(&staged.stage, HM_LIBHARMONIA, HM_LIBHARMONIA_SONAME, library, sizeof library) &&
                   hm_stage_file(&staged.stage, HM_TEST_APP, staged.app, sizeof staged.app) &&
                   hm_stage_file(&staged.stage, HM_TEST_APP_NO_ENTRY, staged.no_entry, sizeof staged.no_entry) &&
                   hm_stage_file(&staged.stage, HM_TEST_APP_HANG, staged.hang, sizeof staged.hang)
               ? 0
               : -1;
}

typedef struct test_daemon {
    pid_t pid;
    int prefork;
    char dir[64];
    char socket[128];
    char out[128];
    char err[128];
    char private_dir[128]; /* the daemon's working directory, mode 0700 */
    char tokens[128];      /* its access-token table (--token-dir) */
} test_daemon;

/* ---- Helpers ------------------------------------------------------------------------------------------------ */

static inline uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static inline char *read_file(const char *path, char *buf, size_t size)
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
static inline const char *status_field(pid_t pid, const char *key, char *out, size_t size)
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

static inline void check_status(pid_t pid, const char *key, const char *expected)
{
    char value[256];
    const char *actual = status_field(pid, key, value, sizeof value);
    if (actual == NULL || strcmp(actual, expected) != 0)
        fprintf(stderr, "  pid %d %s: '%s', expected '%s'\n", (int)pid, key, actual ? actual : "(none)", expected);
    HM_CHECK(actual != NULL && strcmp(actual, expected) == 0);
}

static inline int process_exists(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)pid);
    return access(path, F_OK) == 0;
}

static inline int count_fds(pid_t pid)
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
static inline int count_children(pid_t parent, int *zombies)
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

static inline int file_contains(const char *path, const char *needle)
{
    static char text[1 << 20];
    return read_file(path, text, sizeof text) != NULL && strstr(text, needle) != NULL;
}

/* Waits up to timeout_ms for `needle` in a file; returns the line that holds it (static buffer) or NULL. */
static inline const char *wait_for_line(const char *path, const char *needle, long timeout_ms)
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
 * set lacks CAP_SYS_RESOURCE, whatever this machine grants root, so the capability failure test is exact; its
 * other state is what a careless parent could leave (see the top of this file). */
static inline int daemon_start(test_daemon *d, ...)
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
    snprintf(d->private_dir, sizeof d->private_dir, "%s/private", d->dir);
    snprintf(d->tokens, sizeof d->tokens, "%s/tokens", d->dir);
    if (mkdir(d->private_dir, 0700) < 0)
        return -1;
    argv[argc++] = HM_APPSPAWN_BIN;
    argv[argc++] = "--socket";
    argv[argc++] = d->socket;
    argv[argc++] = "--launcher";
    argv[argc++] = HM_LAUNCHER_BIN;
    argv[argc++] = "--lite-so";
    argv[argc++] = APP;
    argv[argc++] = "--prefork";
    argv[argc++] = "2";
    argv[argc++] = "--token-dir";
    argv[argc++] = d->tokens;
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
        struct rlimit files = {DAEMON_NOFILE, DAEMON_NOFILE};
        sigset_t usr1;
        sigemptyset(&usr1);
        sigaddset(&usr1, SIGUSR1);
        if (chdir(d->private_dir) < 0 || putenv((char *)DAEMON_ONLY_VARIABLE) != 0 ||
            setrlimit(RLIMIT_NOFILE, &files) < 0 || sigprocmask(SIG_BLOCK, &usr1, NULL) < 0 ||
            signal(SIGUSR2, SIG_IGN) == SIG_ERR)
            _exit(125);
        umask(0);
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

/* Removes a directory with its files and subdirectories. */
static inline void remove_dir(const char *dir)
{
    DIR *handle = opendir(dir);
    struct dirent *entry;
    while (handle && (entry = readdir(handle)) != NULL) {
        char path[1024];
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, entry->d_name) >= sizeof path)
            continue;
        if (unlink(path) < 0 && errno == EISDIR)
            remove_dir(path);
    }
    if (handle)
        closedir(handle);
    rmdir(dir);
}

/* SIGTERM, then the exit status (0 expected); the directory goes unless the test failed (kept for its logs). */
static inline int daemon_stop(test_daemon *d)
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

static inline ClientSocket *client_for(const test_daemon *d)
{
    ClientSocket *client = NULL;
    HM_CHECK_INT_EQ(CreateClient(d->socket, &client), 0);
    HM_CHECK_INT_EQ(ConnectSocket(client), 0);
    return client;
}

static inline hm_spawn_request request_for(const char *bundle, const char *so_path, int cold)
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

static inline int32_t spawn(ClientSocket *client, const hm_spawn_request *request)
{
    int32_t reply = 0;
    HM_CHECK_INT_EQ(hm_spawn_app(client, request, &reply, NULL), 0);
    return reply;
}

static inline size_t children_count(ClientSocket *client)
{
    size_t count = 0;
    HM_CHECK_INT_EQ(hm_spawn_dump(client, NULL, 0, &count), 0);
    return count;
}

/* Waits until the daemon has reaped everything down to `count` apps, no zombie of it is left, and its pool of
 * pre-forked children is full again: /proc then shows exactly count + prefork children. */
static inline int wait_for_children(const test_daemon *d, ClientSocket *client, size_t count)
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

static inline void terminate(ClientSocket *client, pid_t pid)
{
    int32_t reply = 1;
    HM_CHECK_INT_EQ(hm_spawn_terminate(client, pid, &reply), 0);
    HM_CHECK_INT_EQ(reply, 0);
}

static inline int32_t error_of(int step, int detail)
{
    return HM_SPAWN_REPLY_ERROR(step, detail);
}

#endif /* HARMONIA_HM_DAEMON_H */
