/*
 * harmonia-bench: the C variant of `harmonia bench`, for boards without a JVM. It runs the C side of the same-run
 * comparisons (rings and channels against a Unix socket, a pipe and the cache-line floor; IpcIo against a memcpy
 * encoder; appspawn against posix_spawn, as root) and writes the JSON document of `harmonia bench --json`
 * (bench_run.h), which `harmonia bench report` and `harmonia bench compare` read on a host.
 *
 * A line per trial and round with the time left goes to stderr; the summary (or with --json the document) to
 * stdout; --out FILE writes the document to FILE as well. Exit 0 when every trial gave its figures (a group
 * skipped for a reason, such as spawn without root, is listed and does not fail the run), 1 when a trial failed,
 * 2 for bad usage.
 */
#include "bench_groups.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SAMPLES (8u * 1024u * 1024u)

static const char usage_text[] =
    "Usage: harmonia-bench [--quick] [--only GROUP[,GROUP...]] [--json] [--out FILE] [--rounds N] [--seconds S]\n"
    "                      [--appspawn PATH] [--launcher PATH] [--app PATH]\n"
    "Benchmark Harmonia's IPC in C against same-run baselines (the C variant of `harmonia bench`, for boards\n"
    "without a JVM). Groups: transport (rings and channels against a Unix socket, a pipe and the cache-line\n"
    "floor), ipcio (IpcIo against a memcpy encoder), spawn (appspawn against posix_spawn; needs root).\n"
    "  --quick          one short round per trial (seconds): proves it works; the figures mean little\n"
    "  --only GROUPS    run only these groups (comma-separated)\n"
    "  --json           print the run as JSON (the schema of `harmonia bench --json`) instead of text\n"
    "  --out FILE       also write the JSON to FILE (read it with `harmonia bench report FILE` on a host)\n"
    "  --rounds N       rounds per trial, each with fresh processes (default 5; quick 1)\n"
    "  --seconds S      measured seconds per trial and round (default 1; quick 0.1)\n"
    "  --appspawn PATH, --launcher PATH, --app PATH\n"
    "                   the daemon, its launcher and libharmonia-oneshot-app.so (default: where\n"
    "                   `cmake --install` puts them beside this program)\n"
    "Exit codes: 0 success, 1 a trial failed, 2 bad usage.\n"
    "Run a full run on an otherwise idle machine; the run records the load and warns when it was busy.\n";

int bench_samples_add(bench_samples *samples, double value)
{
    if (samples->count == samples->capacity) {
        size_t capacity = samples->capacity == 0 ? 4096 : samples->capacity * 2;
        if (capacity > MAX_SAMPLES)
            return -1;
        double *grown = realloc(samples->values, capacity * sizeof *grown);
        if (grown == NULL)
            return -1;
        samples->values = grown;
        samples->capacity = capacity;
    }
    samples->values[samples->count++] = value;
    return 0;
}

void bench_samples_free(bench_samples *samples)
{
    free(samples->values);
    *samples = (bench_samples){0};
}

void bench_progress_trial(bench_progress *progress, const char *group, const char *trial, int round, int rounds)
{
    double elapsed_ms = (bench_now_ns() - progress->start_ns) / 1e6;
    double pace = progress->done > 0 ? elapsed_ms / progress->done : progress->planned_ms_each;
    long left = (long)((progress->total - progress->done) * pace / 1000 + 0.5);
    long elapsed = (long)(elapsed_ms / 1000 + 0.5);
    progress->done++;
    fprintf(stderr, "[%d/%d] %-9s %s, round %d/%d  (%ld:%02ld elapsed, about %ld:%02ld left)\n", progress->done,
            progress->total, group, trial, round + 1, rounds, elapsed / 60, elapsed % 60, left / 60, left % 60);
}

/* dir/../<relative> of this program, or the relative path itself when /proc/self/exe is unreadable. */
static const char *beside_program(const char *relative, char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return relative;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL)
        *slash = '\0';
    snprintf(buf, size, "%s/%s", exe, relative);
    return buf;
}

static int usage_error(const char *message, const char *value)
{
    fprintf(stderr, "harmonia-bench: error: %s%s\nTry 'harmonia-bench --help' for more information.\n", message,
            value);
    return 2;
}

static int selected(const char *only, const char *group)
{
    if (only == NULL)
        return 1;
    size_t length = strlen(group);
    for (const char *at = only; (at = strstr(at, group)) != NULL; at += length)
        if ((at == only || at[-1] == ',') && (at[length] == '\0' || at[length] == ','))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    static char appspawn[PATH_MAX + 64], launcher[PATH_MAX + 64], app[PATH_MAX + 64];
    static bench_run run;
    bench_options options = {0};
    const char *only = NULL, *out = NULL;
    int json = 0, rounds = 0;
    double seconds = 0;
    options.appspawn = beside_program(HM_BENCH_APPSPAWN, appspawn, sizeof appspawn);
    options.launcher = beside_program(HM_BENCH_LAUNCHER, launcher, sizeof launcher);
    options.app = beside_program(HM_BENCH_APP, app, sizeof app);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(arg, "--quick") == 0) {
            options.quick = 1;
        } else if (strcmp(arg, "--json") == 0) {
            json = 1;
        } else if (strcmp(arg, "--only") == 0 && has_value) {
            only = argv[++i];
        } else if (strcmp(arg, "--out") == 0 && has_value) {
            out = argv[++i];
        } else if (strcmp(arg, "--rounds") == 0 && has_value) {
            char *end;
            long value = strtol(argv[++i], &end, 10);
            if (*end != '\0' || value < 1 || value > BENCH_MAX_ROUNDS)
                return usage_error("--rounds must be 1 to 16: ", argv[i]);
            rounds = (int)value;
        } else if (strcmp(arg, "--seconds") == 0 && has_value) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end != '\0' || !(seconds >= 0.01 && seconds <= 60))
                return usage_error("--seconds must be 0.01 to 60: ", argv[i]);
        } else if (strcmp(arg, "--appspawn") == 0 && has_value) {
            options.appspawn = argv[++i];
        } else if (strcmp(arg, "--launcher") == 0 && has_value) {
            options.launcher = argv[++i];
        } else if (strcmp(arg, "--app") == 0 && has_value) {
            options.app = argv[++i];
        } else {
            return usage_error(has_value || arg[0] != '-' ? "unknown argument: " : "missing the value of ", arg);
        }
    }
    static const char *const groups[] = {"transport", "ipcio", "spawn"};
    for (const char *at = only; at != NULL && *at != '\0';) {
        size_t length = strcspn(at, ",");
        int known = 0;
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
            known |= strlen(groups[g]) == length && strncmp(at, groups[g], length) == 0;
        if (!known)
            return usage_error("--only: unknown group (one of transport, ipcio, spawn): ", at);
        at += length + (at[length] == ',');
    }
    options.rounds = rounds > 0 ? rounds : options.quick ? 1 : 5;
    options.measure_seconds = seconds > 0 ? seconds : options.quick ? 0.1 : 1.0;
    options.warmup_seconds = options.measure_seconds / 5;
    run.mode = options.quick ? "quick" : "full";
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        if (selected(only, groups[g]))
            snprintf(run.groups + strlen(run.groups), sizeof run.groups - strlen(run.groups), "%s%s",
                     run.groups[0] != '\0' ? "," : "", groups[g]);

    bench_progress progress = {0};
    progress.total = options.rounds * ((selected(only, "transport") ? bench_transport_trials() : 0) +
                                       (selected(only, "ipcio") ? bench_ipcio_trials() : 0) +
                                       (selected(only, "spawn") ? bench_spawn_trials() : 0));
    progress.planned_ms_each = (options.warmup_seconds + options.measure_seconds) * 1000 + 50;
    bench_machine_start(&run);
    progress.start_ns = bench_now_ns();
    if (selected(only, "transport"))
        bench_transport(&run, &options, &progress);
    if (selected(only, "ipcio"))
        bench_ipcio(&run, &options, &progress);
    if (selected(only, "spawn"))
        bench_spawn(&run, &options, &progress);
    bench_machine_finish(&run);

    if (out != NULL) {
        FILE *file = fopen(out, "w");
        if (file == NULL) {
            fprintf(stderr, "harmonia-bench: error: cannot write %s: %s\n", out, strerror(errno));
            return 1;
        }
        bench_write_json(&run, file);
        if (fclose(file) != 0) {
            fprintf(stderr, "harmonia-bench: error: cannot write %s: %s\n", out, strerror(errno));
            return 1;
        }
    }
    if (json)
        bench_write_json(&run, stdout);
    else
        bench_write_summary(&run, stdout);
    if (run.failure_count > 0) {
        fprintf(stderr, "harmonia-bench: error: %d trial(s) failed, the first: %s: %s\n", run.failure_count,
                run.failures[0].what, run.failures[0].reason);
        return 1;
    }
    return 0;
}
