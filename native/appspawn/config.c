/*
 * Command-line configuration of harmonia-appspawn. Every value is checked here, so a daemon that starts has a
 * configuration it can serve with; a bad option is refused with a message naming it and its limit.
 */
#include "appspawn.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#ifndef HARMONIA_DEFAULT_LAUNCHER
#define HARMONIA_DEFAULT_LAUNCHER "/usr/local/libexec/harmonia/harmonia-app-launcher"
#endif

static const char usage[] =
    "usage: harmonia-appspawn [options]\n"
    "Starts app processes for allow-listed peers (see docs/protocols.md).\n"
    "  --socket PATH            listening socket (default " HM_SPAWN_DEFAULT_SOCKET ")\n"
    "  --socket-mode OCTAL      socket file mode (default 0666: the peer allow-list is the access control)\n"
    "  --foundation-uid UID     also allow this peer uid (root is always allowed; up to 15 times)\n"
    "  --launcher PATH          cold-start launcher (default " HARMONIA_DEFAULT_LAUNCHER ")\n"
    "  --lite-so PATH           app library that lite requests start (they carry no soPath)\n"
    "  --spawn-timeout-ms N     kill a child that has not reported ready after N ms (default 5000)\n"
    "  --read-timeout-ms N      close a connection stuck inside a message after N ms (default 5000)\n"
    "  --max-children N         size of the children table (default 1024)\n"
    "  --prefork N              idle pre-forked children kept ready for warm starts (default 2; 0: off)\n"
    "  --require-selinux        refuse to spawn when SELinux is off (default: skip the label, log it)\n"
    "  --selinux-contexts FILE  label rules (apl=... [name=...] domain=...), tried before the defaults\n"
    "  --token-dir DIR          the access-token table: DIR/<pid> per app (default " APPSPAWN_DEFAULT_TOKEN_DIR ")\n"
    "  --help                   this text\n";

/* Parses an unsigned number in [min, max]; base 8 for modes, else 10. */
static int parse_number(const char *option, const char *text, int base, unsigned long min, unsigned long max,
                        unsigned long *ret)
{
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, base);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value < min || value > max) {
        fprintf(stderr, "harmonia-appspawn: %s '%s': must be a number in %lu..%lu%s\n", option, text, min, max,
                base == 8 ? " (octal)" : "");
        return -EINVAL;
    }
    *ret = value;
    return 0;
}

static int check_path(const char *option, const char *path, size_t max)
{
    if (path[0] != '/' || strlen(path) > max) {
        fprintf(stderr, "harmonia-appspawn: %s '%s': must be an absolute path of at most %zu bytes\n", option, path,
                max);
        return -EINVAL;
    }
    return 0;
}

int appspawn_config_parse(appspawn_config *config, int argc, char **argv)
{
    enum { OPT_SOCKET = 1, OPT_MODE, OPT_FOUNDATION, OPT_LAUNCHER, OPT_LITE, OPT_TIMEOUT, OPT_READ_TIMEOUT,
           OPT_MAX, OPT_PREFORK, OPT_REQUIRE, OPT_CONTEXTS, OPT_TOKEN_DIR, OPT_HELP };
    static const struct option options[] = {
        {"socket", required_argument, NULL, OPT_SOCKET},
        {"socket-mode", required_argument, NULL, OPT_MODE},
        {"foundation-uid", required_argument, NULL, OPT_FOUNDATION},
        {"launcher", required_argument, NULL, OPT_LAUNCHER},
        {"lite-so", required_argument, NULL, OPT_LITE},
        {"spawn-timeout-ms", required_argument, NULL, OPT_TIMEOUT},
        {"read-timeout-ms", required_argument, NULL, OPT_READ_TIMEOUT},
        {"max-children", required_argument, NULL, OPT_MAX},
        {"prefork", required_argument, NULL, OPT_PREFORK},
        {"require-selinux", no_argument, NULL, OPT_REQUIRE},
        {"selinux-contexts", required_argument, NULL, OPT_CONTEXTS},
        {"token-dir", required_argument, NULL, OPT_TOKEN_DIR},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct sockaddr_un address;
    unsigned long value;
    int option;

    memset(config, 0, sizeof *config);
    config->socket_path = HM_SPAWN_DEFAULT_SOCKET;
    config->socket_mode = 0666;
    config->allowed_uids[config->allowed_count++] = 0;
    config->launcher_path = HARMONIA_DEFAULT_LAUNCHER;
    config->spawn_timeout_ms = 5000;
    config->read_timeout_ms = 5000;
    config->max_children = 1024;
    config->prefork = 2;
    config->selinux_mode = APPSPAWN_SELINUX_AUTO;
    config->token_dir = APPSPAWN_DEFAULT_TOKEN_DIR;

    optind = 1;
    opterr = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (option) {
        case OPT_SOCKET:
            if (check_path("--socket", optarg, sizeof address.sun_path - 1) < 0)
                return -EINVAL;
            config->socket_path = optarg;
            break;
        case OPT_MODE:
            if (parse_number("--socket-mode", optarg, 8, 0, 0777, &value) < 0)
                return -EINVAL;
            config->socket_mode = (unsigned)value;
            break;
        case OPT_FOUNDATION:
            if (parse_number("--foundation-uid", optarg, 10, 1, (unsigned long)INT_MAX, &value) < 0)
                return -EINVAL;
            if (config->allowed_count == APPSPAWN_MAX_ALLOWED_UIDS) {
                fprintf(stderr, "harmonia-appspawn: --foundation-uid: at most %d uids\n",
                        APPSPAWN_MAX_ALLOWED_UIDS - 1);
                return -EINVAL;
            }
            config->allowed_uids[config->allowed_count++] = (uid_t)value;
            break;
        case OPT_LAUNCHER:
            if (check_path("--launcher", optarg, PATH_MAX - 1) < 0)
                return -EINVAL;
            config->launcher_path = optarg;
            break;
        case OPT_LITE:
            if (check_path("--lite-so", optarg, HM_SPAWN_NAME_SIZE - 1) < 0)
                return -EINVAL;
            config->lite_so_path = optarg;
            break;
        case OPT_TIMEOUT:
            if (parse_number("--spawn-timeout-ms", optarg, 10, 1, 600000, &value) < 0)
                return -EINVAL;
            config->spawn_timeout_ms = (unsigned)value;
            break;
        case OPT_READ_TIMEOUT:
            if (parse_number("--read-timeout-ms", optarg, 10, 1, 600000, &value) < 0)
                return -EINVAL;
            config->read_timeout_ms = (unsigned)value;
            break;
        case OPT_MAX:
            if (parse_number("--max-children", optarg, 10, 1, 65536, &value) < 0)
                return -EINVAL;
            config->max_children = (unsigned)value;
            break;
        case OPT_PREFORK:
            if (parse_number("--prefork", optarg, 10, 0, 16, &value) < 0)
                return -EINVAL;
            config->prefork = (unsigned)value;
            break;
        case OPT_REQUIRE:
            config->selinux_mode = APPSPAWN_SELINUX_REQUIRE;
            break;
        case OPT_CONTEXTS:
            if (check_path("--selinux-contexts", optarg, PATH_MAX - 1) < 0)
                return -EINVAL;
            config->selinux_contexts_path = optarg;
            break;
        case OPT_TOKEN_DIR:
            /* Room for "/<pid>" and ".<pid>.tmp" after it. */
            if (check_path("--token-dir", optarg, PATH_MAX - 32) < 0)
                return -EINVAL;
            config->token_dir = optarg;
            break;
        case OPT_HELP:
            fputs(usage, stdout);
            return 1;
        default:
            fputs(usage, stderr);
            return -EINVAL;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "harmonia-appspawn: unexpected argument '%s'\n%s", argv[optind], usage);
        return -EINVAL;
    }
    return 0;
}
