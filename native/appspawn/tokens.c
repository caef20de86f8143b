/*
 * The access-token table (docs/protocols.md, section 9): one file per ready app, DIR/<pid>, holding
 * "<accessTokenId> <starttime>\n", where starttime is field 22 of /proc/<pid>/stat (clock ticks since boot). A
 * peer learns an app's token from here, keyed by the pid the kernel gives it (SO_PEERCRED), never from the app's
 * own bytes; the start time protects against a reused pid.
 *
 * Trust comes from who may write: the directory and its files belong to the daemon's uid and are not group- or
 * world-writable (0755 and 0644), so only the daemon can add, change or remove an entry. A file appears
 * atomically (written as a dot-file, then renamed) once the child has reported ready, and goes when the child is
 * reaped, before its pid can be reused. Entries whose process is gone (a daemon that was killed) are removed at
 * start; entries of live processes are left alone, so two daemons that share a directory do not erase each other.
 */
#include "appspawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Field 22 of /proc/<pid>/stat, the process's start time in clock ticks since boot. */
int appspawn_process_start_time(pid_t pid, unsigned long long *ret_start_time)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = read(fd, text, sizeof text - 1);
    int err = errno;
    close(fd);
    if (n <= 0)
        return n < 0 ? -err : -EIO;
    text[n] = '\0';
    /* The name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'. Field 3
     * follows, so the start time is the 20th field after the name. */
    const char *p = strrchr(text, ')');
    unsigned long long start_time;
    if (p == NULL ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
               &start_time) != 1)
        return -EIO;
    *ret_start_time = start_time;
    return 0;
}

/* The pid an entry name stands for: "<pid>" or ".<pid>.tmp"; 0 for a name that is neither. */
static pid_t entry_pid(const char *name)
{
    const char *digits = name[0] == '.' ? name + 1 : name;
    char *end;
    if (digits[0] < '1' || digits[0] > '9')
        return 0;
    errno = 0;
    long pid = strtol(digits, &end, 10);
    if (errno != 0 || pid <= 0 || pid > 0x3FFFFFFF)
        return 0;
    if (name[0] == '.' ? strcmp(end, ".tmp") == 0 : *end == '\0')
        return (pid_t)pid;
    return 0;
}

/* Whether the entry describes a live process: its start time is the one recorded (a temporary file counts as
 * live while its process lives). */
static int entry_live(int dir_fd, const char *name, pid_t pid)
{
    unsigned long long now, recorded;
    unsigned token;
    char text[64];
    if (appspawn_process_start_time(pid, &now) < 0)
        return 0;
    if (name[0] == '.')
        return 1;
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    return sscanf(text, "%u %llu", &token, &recorded) == 2 && recorded == now;
}

/* Removes the entries of processes that are gone, or that are our own children when `all_of` is given. */
static void remove_entries(appspawn_token_table *table, const appspawn_children *all_of)
{
    int fd = dup(table->dir_fd);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (dir == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        pid_t pid = entry_pid(entry->d_name);
        if (pid == 0)
            continue;
        int ours = all_of != NULL && appspawn_children_find((appspawn_children *)all_of, pid) != NULL;
        if (ours || (all_of == NULL && !entry_live(table->dir_fd, entry->d_name, pid)))
            unlinkat(table->dir_fd, entry->d_name, 0);
    }
    closedir(dir);
}

int appspawn_tokens_open(appspawn_token_table *table, const char *path)
{
    struct stat st;
    char parent[PATH_MAX];
    table->dir_fd = -1;
    table->path = path;
    /* The default lives in /run/harmonia; create that one level if it is missing, as for the socket. */
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash != NULL && slash != parent) {
        *slash = '\0';
        if (mkdir(parent, 0755) < 0 && errno != EEXIST)
            return -errno;
    }
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return -errno;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ELOOP ? -ENOTDIR : -errno;
    /* Ours, and ours alone to write (mkdir's mode went through the umask; an old directory may be wider). */
    int r = fstat(fd, &st) < 0 ? -errno : st.st_uid != geteuid() ? -EPERM : fchmod(fd, 0755) < 0 ? -errno : 0;
    if (r < 0) {
        close(fd);
        return r;
    }
    table->dir_fd = fd;
    remove_entries(table, NULL);
    return 0;
}

int appspawn_tokens_add(appspawn_token_table *table, pid_t pid, uint32_t token_id)
{
    char name[32], temporary[40], text[64];
    unsigned long long start_time;
    if (table->dir_fd < 0)
        return -EBADF;
    int r = appspawn_process_start_time(pid, &start_time);
    if (r < 0)
        return r;
    snprintf(name, sizeof name, "%d", (int)pid);
    snprintf(temporary, sizeof temporary, ".%d.tmp", (int)pid);
    int length = snprintf(text, sizeof text, "%u %llu\n", (unsigned)token_id, start_time);
    unlinkat(table->dir_fd, temporary, 0); /* a leftover of a daemon that died mid-write */
    int fd = openat(table->dir_fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    errno = 0;
    r = fchmod(fd, 0644) < 0 || write(fd, text, (size_t)length) != length ? -(errno ? errno : EIO) : 0;
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r == 0 && renameat(table->dir_fd, temporary, table->dir_fd, name) < 0)
        r = -errno;
    if (r < 0)
        unlinkat(table->dir_fd, temporary, 0);
    return r;
}

void appspawn_tokens_remove(appspawn_token_table *table, pid_t pid)
{
    char name[32];
    if (table->dir_fd < 0)
        return;
    snprintf(name, sizeof name, "%d", (int)pid);
    unlinkat(table->dir_fd, name, 0);
}

void appspawn_tokens_close(appspawn_token_table *table, const appspawn_children *children)
{
    if (table->dir_fd < 0)
        return;
    /* Children that did not die in time were not reaped: their entries go with the daemon all the same. */
    if (children != NULL && children->count > 0)
        remove_entries(table, children);
    close(table->dir_fd);
    table->dir_fd = -1;
}
