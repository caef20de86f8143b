/*
 * The environment an app starts with: exactly PATH=HM_SPAWN_APP_PATH and HM_SPAWN_TOKEN_ENV=<its access token id>,
 * nothing of the daemon's (docs/protocols.md, section 7).
 *
 * /proc/PID/environ shows the memory the kernel filled with the process's initial environment strings, not the
 * current `environ` array, so a warm child (a fork of the daemon) would show the daemon's environment even after
 * clearenv(). The child therefore writes its variables over that memory, packed from its start, and zeroes the
 * rest; `environ` then points into it, and a cold start hands the same strings to exec. The memory is the
 * daemon's own initial environment, so it must be at least as large as the biggest app environment: the daemon
 * makes sure of that when it starts (appspawn_environment_reserve).
 */
#include "appspawn.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PATH_VARIABLE "PATH=" HM_SPAWN_APP_PATH
#define TOKEN_VARIABLE_MAX HM_SPAWN_TOKEN_ENV "=4294967295"

/* Strings laid out back to back from strings[0] (as the kernel lays out argv and the environment at exec). */
static appspawn_area contiguous_area(char **strings, int count)
{
    appspawn_area area = {NULL, 0};
    if (strings == NULL || count < 1 || strings[0] == NULL)
        return area;
    char *end = strings[0] + strlen(strings[0]) + 1;
    for (int i = 1; i < count && strings[i] == end; i++)
        end = strings[i] + strlen(strings[i]) + 1;
    area.start = strings[0];
    area.size = (size_t)(end - strings[0]);
    return area;
}

appspawn_process_strings appspawn_process_strings_of(int argc, char **argv, char **envp)
{
    appspawn_process_strings strings;
    int count = 0;
    while (envp != NULL && envp[count] != NULL)
        count++;
    strings.argv = contiguous_area(argv, argc);
    strings.env = contiguous_area(envp, count);
    return strings;
}

size_t appspawn_environment_size_max(void)
{
    return sizeof PATH_VARIABLE + sizeof TOKEN_VARIABLE_MAX;
}

char **appspawn_environment_reserve(void)
{
    /* The apps' variables, the token's value as wide as the widest id; the daemon itself holds no token. */
    static char path[] = PATH_VARIABLE;
    static char token[] = HM_SPAWN_TOKEN_ENV "=0000000000";
    static char *reserve[] = {path, token, NULL};
    _Static_assert(sizeof token == sizeof TOKEN_VARIABLE_MAX, "the reserve holds the widest token id");
    return reserve;
}

int appspawn_environment_write(appspawn_area area, uint32_t token_id)
{
    static char *variables[3];
    char token[sizeof TOKEN_VARIABLE_MAX];
    snprintf(token, sizeof token, HM_SPAWN_TOKEN_ENV "=%u", (unsigned)token_id);
    size_t path_size = sizeof PATH_VARIABLE, token_size = strlen(token) + 1;
    if (area.start == NULL || area.size < path_size + token_size)
        return -E2BIG;
    memcpy(area.start, PATH_VARIABLE, path_size);
    memcpy(area.start + path_size, token, token_size);
    memset(area.start + path_size + token_size, 0, area.size - path_size - token_size);
    variables[0] = area.start;
    variables[1] = area.start + path_size;
    variables[2] = NULL;
    extern char **environ;
    environ = variables;
    return 0;
}
