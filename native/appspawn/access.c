/*
 * Why an app's uid could not open a path, for the daemon's log. A spawn that fails with EACCES reports only the
 * errno, and the cause is usually a directory on the way (a checkout in a mode-700 home folder), not the file.
 * The daemon runs as root, so it can look at every directory the app could not, and name the first one whose mode
 * refuses the app's uid, gid and groups. Only mode bits are judged: ACLs and SELinux may refuse where the bits
 * allow, and then nothing is named.
 */
#include "appspawn.h"

#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the mode bits of st give the request's uid/gid/groups `want` (R_OK, W_OK or X_OK). */
static int mode_allows(const struct stat *st, const hm_spawn_request *request, int want)
{
    unsigned bits = (unsigned)want; /* R_OK 4, W_OK 2, X_OK 1: the same values as the "other" mode bits */
    if (st->st_uid == (uid_t)request->uid)
        return ((st->st_mode >> 6) & bits) == bits;
    int in_group = st->st_gid == (gid_t)request->gid;
    for (uint32_t i = 0; !in_group && i < request->gid_count; i++)
        in_group = st->st_gid == (gid_t)request->gids[i];
    if (in_group)
        return ((st->st_mode >> 3) & bits) == bits;
    return (st->st_mode & bits) == bits;
}

static int refused(const char *path, const struct stat *st, const hm_spawn_request *request, const char *what,
                   char *buf, size_t size)
{
    char escaped[APPSPAWN_LOGGED_PATH_SIZE];
    snprintf(buf, size, "%s is mode %04o, owner uid %u gid %u: uid %d may not %s it",
             appspawn_escape(path, escaped, sizeof escaped), (unsigned)(st->st_mode & 07777), (unsigned)st->st_uid,
             (unsigned)st->st_gid, (int)request->uid, what);
    return 1;
}

int appspawn_explain_access(const hm_spawn_request *request, const char *path, int want, char *buf, size_t size)
{
    char prefix[HM_SPAWN_NAME_SIZE];
    struct stat st;
    buf[0] = '\0';
    /* Capabilities that bypass the mode bits make them no explanation. */
    uint64_t bypass = (UINT64_C(1) << CAP_DAC_OVERRIDE) | (UINT64_C(1) << CAP_DAC_READ_SEARCH);
    if ((request->capabilities & bypass) != 0 || path == NULL || path[0] != '/' ||
        strlen(path) >= sizeof prefix)
        return 0;
    /* Every directory on the way needs search (x) permission: "/", then each prefix that ends before a '/'. */
    for (size_t at = 0; path[at] != '\0'; at++) {
        if (path[at] != '/' || (at > 0 && path[at - 1] == '/'))
            continue;
        size_t length = at == 0 ? 1 : at;
        memcpy(prefix, path, length);
        prefix[length] = '\0';
        if (stat(prefix, &st) < 0)
            return 0;
        if (!mode_allows(&st, request, X_OK))
            return refused(prefix, &st, request, "search", buf, size);
    }
    if (stat(path, &st) < 0)
        return 0;
    if (!mode_allows(&st, request, want))
        return refused(path, &st, request, want == R_OK ? "read" : want == X_OK ? "search" : "use", buf, size);
    return 0;
}
