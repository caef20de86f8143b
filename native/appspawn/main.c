/*
 * harmonia-appspawn: the spawner daemon (root). Parses the configuration, blocks the signals it takes through its
 * signalfd, makes sure fds 0-2 are open (so no socket can land there and be handed to children as stdio), then
 * serves until SIGTERM or SIGINT.
 */
#include "appspawn.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The contiguous memory of the argv strings, which children overwrite with their process name. */
static appspawn_argv_area argv_area(int argc, char **argv)
{
    appspawn_argv_area area = {NULL, 0};
    if (argc < 1 || argv[0] == NULL)
        return area;
    char *end = argv[0] + strlen(argv[0]) + 1;
    for (int i = 1; i < argc && argv[i] == end; i++)
        end = argv[i] + strlen(argv[i]) + 1;
    area.start = argv[0];
    area.size = (size_t)(end - argv[0]);
    return area;
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
    appspawn_config config;
    appspawn_server *server = NULL;
    sigset_t signals;

    if (open_standard_fds() < 0)
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
    r = appspawn_server_create(&config, NULL, argv_area(argc, argv), &server);
    if (r < 0)
        return 1;
    r = appspawn_server_run(server);
    appspawn_server_free(server);
    return r < 0 ? 1 : 0;
}
