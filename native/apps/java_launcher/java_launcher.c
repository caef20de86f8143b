/*
 * libharmonia-java-launcher.so: the app library appspawn loads for a Java bundle. The bundle manager puts a copy
 * of it in each Java bundle's code folder, next to that bundle's launch file (launch_file.h); AMS names the copy as
 * the spawn request's soPath. Its entry runs in the app process after every privilege step (uid, groups,
 * capabilities, label, token, NO_NEW_PRIVS): it reads <folder of soPath>/app.launch, changes to the working
 * directory it names and execv()s the JVM, so the process appspawn reported keeps its pid and becomes the JVM.
 *
 * The launch file must be a regular file that neither group nor others can write, owned by root or by the app's
 * own uid: anything else is refused. Every failure is one line on stderr naming the file or program and the errno,
 * and exit status 127 (AMS sees the process end before it attached).
 */
#include "launch_file.h"

#include <harmonia/spawn.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LAUNCH_FILE_NAME "app.launch"
#define FAILED 127

__attribute__((visibility("default"))) int HmAppMain(const hm_spawn_request *request);

static int fail(const hm_spawn_request *request, const char *what, const char *path, int err)
{
    fprintf(stderr, "harmonia-java-launcher: bundle '%s': %s %s: %s\n", request->bundle_name, what, path,
            strerror(err));
    fflush(stderr);
    return FAILED;
}

/* Reads the launch file beside soPath into buf (HM_LAUNCH_FILE_MAX + 1 bytes); the length, or -errno. */
static long read_launch_file(const char *path, char *buf)
{
    struct stat st;
    long total = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
        (st.st_uid != 0 && st.st_uid != geteuid())) {
        close(fd);
        return -EPERM;
    }
    if (st.st_size > (off_t)HM_LAUNCH_FILE_MAX) {
        close(fd);
        return -EFBIG;
    }
    for (;;) {
        ssize_t n = read(fd, buf + total, HM_LAUNCH_FILE_MAX + 1 - (size_t)total);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            return -err;
        }
        if (n == 0)
            break;
        total += n;
        if ((size_t)total > HM_LAUNCH_FILE_MAX) {
            close(fd);
            return -EFBIG;
        }
    }
    close(fd);
    return total;
}

int HmAppMain(const hm_spawn_request *request)
{
    static char text[HM_LAUNCH_FILE_MAX + 1];
    char path[HM_SPAWN_NAME_SIZE + sizeof LAUNCH_FILE_NAME];
    hm_launch_file file;
    unsigned line = 0;
    const char *slash = strrchr(request->so_path, '/');
    size_t folder = slash == NULL ? 0 : (size_t)(slash - request->so_path) + 1;
    if (folder == 0)
        return fail(request, "soPath has no folder:", request->so_path, EINVAL);
    memcpy(path, request->so_path, folder);
    memcpy(path + folder, LAUNCH_FILE_NAME, sizeof LAUNCH_FILE_NAME);

    long length = read_launch_file(path, text);
    if (length < 0)
        return fail(request, "cannot read", path, (int)-length);
    if (hm_launch_file_parse(text, (size_t)length, &file, &line) < 0) {
        fprintf(stderr, "harmonia-java-launcher: bundle '%s': %s line %u: malformed launch file\n",
                request->bundle_name, path, line);
        fflush(stderr);
        return FAILED;
    }
    if (chdir(file.cwd) < 0)
        return fail(request, "cannot enter", file.cwd, errno);
    execv(file.exec, (char *const *)file.argv);
    return fail(request, "cannot execute", file.exec, errno);
}
