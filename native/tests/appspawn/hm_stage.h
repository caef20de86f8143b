/*
 * Staging for the appspawn tests: what a child loads after it has dropped to an app's uid (the test app libraries
 * and the libharmonia they link) is copied into a fresh directory under /tmp that every uid can enter (mode
 * 0755, files 0755, owned by root). The build tree may live anywhere, a mode-700 home folder included, where a
 * dropped uid cannot open it. The test apps find libharmonia next to themselves (their RUNPATH is $ORIGIN).
 */
#ifndef HARMONIA_HM_STAGE_H
#define HARMONIA_HM_STAGE_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct hm_stage {
    char dir[64];
} hm_stage;

static int hm_stage_create(hm_stage *stage)
{
    strcpy(stage->dir, "/tmp/hm-appspawn-stage-XXXXXX");
    return mkdtemp(stage->dir) != NULL && chmod(stage->dir, 0755) == 0 ? 0 : -1;
}

/* Copies `source` into the stage as `name` (mode 0755) and writes its path to out; returns out, or NULL. */
static const char *hm_stage_copy(const hm_stage *stage, const char *source, const char *name, char *out,
                                 size_t size)
{
    char buffer[65536];
    int ok = 1;
    if ((size_t)snprintf(out, size, "%s/%s", stage->dir, name) >= size)
        return NULL;
    int in = open(source, O_RDONLY | O_CLOEXEC);
    int copy = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    for (ssize_t n; ok && in >= 0 && copy >= 0 && (n = read(in, buffer, sizeof buffer)) != 0;)
        ok = n > 0 && write(copy, buffer, (size_t)n) == n;
    ok = ok && in >= 0 && copy >= 0 && fchmod(copy, 0755) == 0;
    if (in >= 0)
        close(in);
    if (copy >= 0 && close(copy) < 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "cannot stage %s as %s\n", source, out);
    return ok ? out : NULL;
}

/* The staged copy of `source`, under its own file name. */
static const char *hm_stage_file(const hm_stage *stage, const char *source, char *out, size_t size)
{
    const char *slash = strrchr(source, '/');
    return hm_stage_copy(stage, source, slash ? slash + 1 : source, out, size);
}

static void hm_stage_remove(const hm_stage *stage)
{
    DIR *handle = opendir(stage->dir);
    struct dirent *entry;
    while (handle && (entry = readdir(handle)) != NULL) {
        char path[512];
        if (entry->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", stage->dir, entry->d_name);
        unlink(path);
    }
    if (handle)
        closedir(handle);
    rmdir(stage->dir);
}

#endif /* HARMONIA_HM_STAGE_H */
