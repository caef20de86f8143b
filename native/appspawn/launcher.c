/*
 * harmonia-app-launcher: the program a cold start executes. The daemon's child has already applied every
 * privilege step (uid, groups, capabilities in the ambient set, label, token, NO_NEW_PRIVS) and hands over:
 *   fd 3  the report pipe: this program reports its own steps (load, entry) and READY there;
 *   fd 4  a sealed memfd holding the whole request as an AppProperty message (never a ':'-joined argv).
 * It checks the seals, decodes the request with the same validation as the daemon, loads soPath and calls the
 * documented entry, like a warm start but in a fresh process image.
 */
#include "appspawn.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int report_fd = HM_SPAWN_LAUNCHER_REPORT_FD;

__attribute__((noreturn)) static void fail(int step, int err)
{
    hm_spawn_report report = {step, err != 0 ? err : EIO};
    ssize_t written = write(report_fd, &report, sizeof report);
    (void)written; /* the daemon may be gone; the exit status still says it failed */
    _exit(127);
}

static void read_request(hm_spawn_request *request)
{
    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE + 1];
    struct stat st;
    const int needed = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    int fd = HM_SPAWN_LAUNCHER_REQUEST_FD;
    int seals = fcntl(fd, F_GET_SEALS);
    /* Only a sealed memfd guarantees the request cannot change while it is read. */
    if (seals < 0 || (seals & needed) != needed || fstat(fd, &st) < 0 || st.st_size != HM_SPAWN_APP_PROPERTY_SIZE)
        fail(HM_SPAWN_STEP_EXEC, EBADMSG);
    ssize_t n = pread(fd, message, sizeof message, 0);
    if (n != (ssize_t)HM_SPAWN_APP_PROPERTY_SIZE || hm_spawn_record_decode(message, (size_t)n, request, NULL) < 0)
        fail(HM_SPAWN_STEP_EXEC, EBADMSG);
    close(fd);
}

int main(int argc, char **argv)
{
    hm_spawn_request request;
    if (argc != 2 || strcmp(argv[1], HM_SPAWN_LAUNCHER_ARG) != 0 || fcntl(report_fd, F_GETFD) < 0) {
        fprintf(stderr, "harmonia-app-launcher: started by harmonia-appspawn for cold starts only\n");
        return 2;
    }
    /* Nothing this process executes later may inherit the pipe. */
    if (fcntl(report_fd, F_SETFD, FD_CLOEXEC) < 0)
        fail(HM_SPAWN_STEP_EXEC, errno);
    read_request(&request);
    /* exec named the process after this file; give it the app's name again. */
    if (prctl(PR_SET_NAME, (unsigned long)request.process_name, 0, 0, 0) < 0)
        fail(HM_SPAWN_STEP_NAME, errno);
    /* The access token arrived in the environment (HM_SPAWN_TOKEN_ENV), which exec kept. */

    void *library = dlopen(request.so_path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        /* As in a warm start: the errno of opening the file, else the library does not load. */
        int fd = open(request.so_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            fail(HM_SPAWN_STEP_LOAD, errno);
        close(fd);
        char message[1024];
        fprintf(stderr, "harmonia-app-launcher: %s\n", appspawn_escape(dlerror(), message, sizeof message));
        fail(HM_SPAWN_STEP_LOAD, ELIBBAD);
    }
    hm_spawn_entry_fn entry = (hm_spawn_entry_fn)dlsym(library, HM_SPAWN_ENTRY_SYMBOL);
    if (entry == NULL)
        fail(HM_SPAWN_STEP_ENTRY, ENOENT);
    hm_spawn_report ready = {HM_SPAWN_STEP_READY, 0};
    if (write(report_fd, &ready, sizeof ready) != (ssize_t)sizeof ready)
        _exit(127);
    close(report_fd);
    return entry(&request);
}
