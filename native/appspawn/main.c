/*
 * harmonia-appspawn: the spawner daemon (root). Makes sure its environment memory can hold an app's environment
 * (else it executes itself again with one that can), parses the configuration, blocks the signals it takes
 * through its signalfd, makes sure fds 0-2 are open (so no socket can land there and be handed to children as
 * stdio), then serves until SIGTERM or SIGINT.
 */
#include "appspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * A warm child writes its environment over the memory of the daemon's initial environment (environment.c), so
 * that memory must hold the largest app environment. A daemon started with less (env -i) executes itself once
 * more with an environment of exactly that size; the daemon's own environment is otherwise left as it is.
 */
static int reserve_environment_memory(const appspawn_process_strings *strings, char **argv)
{
    if (strings->env.size >= appspawn_environment_size_max())
        return 0;
    execve("/proc/self/exe", argv, appspawn_environment_reserve());
    appspawn_log("cannot execute /proc/self/exe to reserve environment memory for the apps: %s", strerror(errno));
    return -1;
}

static int open_standard_fds(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0)
            continue;
        int opened = open("/dev/null", O_RDWR);
        if (opened < 0)
            return -1;
        if (opened != fd) {
            close(opened);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    extern char **environ;
    appspawn_process_strings strings = appspawn_process_strings_of(argc, argv, environ);
    appspawn_config config;
    appspawn_server *server = NULL;
    sigset_t signals;

    if (open_standard_fds() < 0)
        return 1;
    if (reserve_environment_memory(&strings, argv) < 0)
        return 1;
    int r = appspawn_config_parse(&config, argc, argv);
    if (r != 0)
        return r > 0 ? 0 : 2;
    if (geteuid() != 0)
        appspawn_log("running as uid %u, not root: spawns that change uid or capabilities will fail",
                     (unsigned)geteuid());
    /* A client that disconnects must not kill the daemon; replies use MSG_NOSIGNAL as well. */
    signal(SIGPIPE, SIG_IGN);
    appspawn_signal_set(&signals);
    if (sigprocmask(SIG_BLOCK, &signals, NULL) < 0)
        return 1;
    r = appspawn_server_create(&config, NULL, strings, &server);
    if (r < 0)
        return 1;
    r = appspawn_server_run(server);
    appspawn_server_free(server);
    return r < 0 ? 1 : 0;
}
