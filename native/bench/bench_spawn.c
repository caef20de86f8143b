/*
 * harmonia-bench's spawn group (root only): the time from a request until the app reports ready, through a private
 * harmonia-appspawn daemon (a warm start: a pre-forked or forked child drops to uid 65534 with one capability and
 * loads libharmonia-oneshot-app.so; a cold start: the child executes the launcher, which loads it), against the C
 * way to start a process, posix_spawn of /bin/true until it returned. Spawns are spaced by an untimed 3 ms pause,
 * as app starts are; every spawn is a sample and the score is the mean in us/op.
 *
 * The daemon is started on a socket in a private folder (mode 0755, where the app library is copied so uid 65534
 * can load it) and stopped with SIGTERM, which makes it kill and reap every child. Its log stays in that folder
 * when a step fails.
 */
#include "bench_groups.h"

#include <harmonia/spawn.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPAWN_BENCHMARK "c.spawn.Spawn.spawn"
#define NOBODY 65534
#define CAP_NET_BIND_SERVICE_BIT 10
#define PAUSE_US 3000

extern char **environ;

enum kind { WARM, COLD, POSIX_SPAWN, KIND_COUNT };
static const char *const kind_names[KIND_COUNT] = {"warm", "cold", "posix-spawn"};

int bench_spawn_trials(void)
{
    return KIND_COUNT;
}

typedef struct daemon_state {
    char dir[64];
    char socket[128];
    char app[128];
    pid_t pid;
    ClientSocket *client;
} daemon_state;

static int copy_file(const char *from, const char *to)
{
    char buffer[65536];
    int in = open(from, O_RDONLY | O_CLOEXEC), out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    ssize_t n = 0;
    while (in >= 0 && out >= 0 && (n = read(in, buffer, sizeof buffer)) > 0)
        if (write(out, buffer, (size_t)n) != n)
            n = -1;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return in >= 0 && out >= 0 && n == 0 ? 0 : -1;
}

static int start_daemon(daemon_state *d, const bench_options *options, char *why, size_t why_size)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/harmonia-bench-XXXXXX");
    if (mkdtemp(d->dir) == NULL || chmod(d->dir, 0755) != 0) {
        snprintf(why, why_size, "cannot create a private folder: %s", strerror(errno));
        return -1;
    }
    char tokens[128], log[128];
    snprintf(d->socket, sizeof d->socket, "%s/appspawn.sock", d->dir);
    snprintf(d->app, sizeof d->app, "%s/libharmonia-oneshot-app.so", d->dir);
    snprintf(tokens, sizeof tokens, "%s/tokens", d->dir);
    snprintf(log, sizeof log, "%s/daemon.log", d->dir);
    if (copy_file(options->app, d->app) != 0) {
        snprintf(why, why_size, "cannot copy %.150s", options->app);
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    char *argv[] = {(char *)options->appspawn, "--socket", d->socket, "--token-dir", tokens, "--launcher",
                    (char *)options->launcher, NULL};
    int rc = posix_spawn(&d->pid, options->appspawn, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        snprintf(why, why_size, "cannot start %.120s: %s", options->appspawn, strerror(rc));
        return -1;
    }
    for (int attempt = 0; attempt < 1000; attempt++) { /* up to 10 s */
        if (CreateClient(d->socket, &d->client) == 0) {
            if (ConnectSocket(d->client) == 0)
                return 0;
            CloseClient(d->client);
            d->client = NULL;
        }
        if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
            d->pid = 0;
            break;
        }
        usleep(10000);
    }
    snprintf(why, why_size, "harmonia-appspawn did not listen (its log: %s)", log);
    return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *walk)
{
    (void)st, (void)flag, (void)walk;
    return remove(path);
}

static void stop_daemon(daemon_state *d, int keep_folder)
{
    CloseClient(d->client);
    if (d->pid > 0) {
        kill(d->pid, SIGTERM);
        waitpid(d->pid, NULL, 0);
    }
    if (!keep_folder && d->dir[0] != '\0')
        nftw(d->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* One spawn until ready (posix_spawn: until it returned); the child is reaped untimed. */
static int spawn_once(enum kind kind, daemon_state *d, const hm_spawn_request *warm, const hm_spawn_request *cold,
                      double *elapsed_ns)
{
    double start = bench_now_ns();
    if (kind == POSIX_SPAWN) {
        pid_t pid;
        char *argv[] = {"/bin/true", NULL};
        int rc = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
        *elapsed_ns = bench_now_ns() - start;
        if (rc == 0)
            waitpid(pid, NULL, 0);
        return rc == 0 ? 0 : -1;
    }
    int32_t reply = 0;
    uint32_t field = 0;
    int rc = hm_spawn_app(d->client, kind == WARM ? warm : cold, &reply, &field);
    *elapsed_ns = bench_now_ns() - start;
    return rc == 0 && reply > 0 ? 0 : -1;
}

static hm_spawn_request request(const daemon_state *d, int cold)
{
    hm_spawn_request r;
    memset(&r, 0, sizeof r);
    r.uid = NOBODY;
    r.gid = NOBODY;
    r.gid_count = 1;
    r.gids[0] = NOBODY;
    r.capabilities = 1ull << CAP_NET_BIND_SERVICE_BIT;
    r.flags = cold ? HM_SPAWN_FLAG_COLD_START : 0;
    snprintf(r.process_name, sizeof r.process_name, "bench.oneshot");
    snprintf(r.so_path, sizeof r.so_path, "%s", d->app);
    return r;
}

void bench_spawn(bench_run *run, const bench_options *options, bench_progress *progress)
{
    char why[200];
    if (geteuid() != 0) {
        bench_note_add(run->skipped, &run->skipped_count, "spawn", "needs root (appspawn changes uids); run as root");
        progress->total -= KIND_COUNT * options->rounds;
        return;
    }
    const char *paths[] = {options->appspawn, options->launcher, options->app};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (access(paths[i], R_OK) != 0) {
            snprintf(why, sizeof why, "%s not found (give --appspawn, --launcher and --app)", paths[i]);
            bench_note_add(run->skipped, &run->skipped_count, "spawn", why);
            progress->total -= KIND_COUNT * options->rounds;
            return;
        }
    }
    /* The daemon wants absolute paths. */
    static char absolute[3][PATH_MAX];
    bench_options resolved = *options;
    if (realpath(options->appspawn, absolute[0]) != NULL)
        resolved.appspawn = absolute[0];
    if (realpath(options->launcher, absolute[1]) != NULL)
        resolved.launcher = absolute[1];
    if (realpath(options->app, absolute[2]) != NULL)
        resolved.app = absolute[2];
    daemon_state d = {0};
    if (start_daemon(&d, &resolved, why, sizeof why) != 0) {
        bench_note_add(run->failures, &run->failure_count, "spawn", why);
        stop_daemon(&d, 1);
        return;
    }
    const hm_spawn_request warm = request(&d, 0), cold = request(&d, 1);
    int failed = 0;
    for (int round = 0; round < options->rounds && !failed; round++) {
        for (int k = 0; k < KIND_COUNT && !failed; k++) {
            char trial[64];
            snprintf(trial, sizeof trial, "%s start", kind_names[k]);
            bench_progress_trial(progress, "spawn", trial, round, options->rounds);
            bench_samples samples = {0};
            double elapsed = 0, end_warmup = bench_now_ns() + options->warmup_seconds * 1e9;
            while (!failed && bench_now_ns() < end_warmup) {
                usleep(PAUSE_US);
                failed = spawn_once((enum kind)k, &d, &warm, &cold, &elapsed) != 0;
            }
            double end = bench_now_ns() + options->measure_seconds * 1e9;
            while (!failed && (bench_now_ns() < end || samples.count < 3)) {
                usleep(PAUSE_US);
                failed = spawn_once((enum kind)k, &d, &warm, &cold, &elapsed) != 0;
                if (!failed && bench_samples_add(&samples, elapsed) != 0)
                    break;
            }
            if (failed) {
                snprintf(why, sizeof why, "a spawn failed (the daemon's log: %s/daemon.log)", d.dir);
                bench_note_add(run->failures, &run->failure_count, trial, why);
            } else {
                double sum = 0;
                for (size_t i = 0; i < samples.count; i++)
                    sum += samples.values[i];
                bench_measurement *m = bench_measurement_for(run, "spawn", SPAWN_BENCHMARK, "us/op", "kind",
                                                             kind_names[k], "pauseMs", "3");
                bench_record_round(m, sum / (double)samples.count / 1e3, samples.values, samples.count);
            }
            bench_samples_free(&samples);
        }
    }
    stop_daemon(&d, failed);
}
