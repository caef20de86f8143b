/*
 * harmonia-bench's run (bench_run.h): recording rounds, reading the machine, computing the figures, and writing
 * the JSON document and the text summary. Every number in the JSON is written with 17 significant digits, so a
 * summary's min and max read back equal to the smallest and largest of its rounds (the Java reader checks that).
 */
#include "bench_run.h"

#include "bench_figures.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

const double bench_percentiles[BENCH_PERCENTILE_COUNT] = {10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
#define P50_INDEX 2

/* Other processes using more than this much of one core on average make the run busy. */
#define BUSY_PERCENT 25.0

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

bench_measurement *bench_measurement_for(bench_run *run, const char *group, const char *benchmark, const char *unit,
                                         const char *param1, const char *value1, const char *param2,
                                         const char *value2)
{
    for (int i = 0; i < run->measurement_count; i++) {
        bench_measurement *m = &run->measurements[i];
        if (strcmp(m->benchmark, benchmark) == 0 && strcmp(m->param_values[0], value1) == 0 &&
            (param2 == NULL || strcmp(m->param_values[1], value2) == 0))
            return m;
    }
    if (run->measurement_count == BENCH_MAX_MEASUREMENTS)
        return NULL;
    bench_measurement *m = &run->measurements[run->measurement_count++];
    memset(m, 0, sizeof *m);
    m->group = group;
    m->benchmark = benchmark;
    m->unit = unit;
    m->param_names[0] = param1;
    snprintf(m->param_values[0], sizeof m->param_values[0], "%s", value1);
    m->param_names[1] = param2;
    if (param2 != NULL)
        snprintf(m->param_values[1], sizeof m->param_values[1], "%s", value2);
    return m;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_record_round(bench_measurement *m, double score, double *samples, size_t count)
{
    if (m == NULL || m->rounds == BENCH_MAX_ROUNDS)
        return;
    int round = m->rounds++;
    m->score[round] = score;
    if (samples != NULL && count > 0) {
        qsort(samples, count, sizeof *samples, compare_doubles);
        m->has_percentiles = 1;
        for (int p = 0; p < BENCH_PERCENTILE_COUNT; p++) {
            size_t index = (size_t)ceil(bench_percentiles[p] / 100.0 * (double)count);
            m->percentile_ns[round][p] = samples[index == 0 ? 0 : index - 1];
        }
    }
}

void bench_note_add(bench_note *notes, int *count, const char *what, const char *reason)
{
    if (*count == BENCH_MAX_NOTES)
        return;
    snprintf(notes[*count].what, sizeof notes[*count].what, "%s", what);
    snprintf(notes[*count].reason, sizeof notes[*count].reason, "%s", reason);
    (*count)++;
}

/* ---- the machine ---- */

static size_t read_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        buf[0] = '\0';
        return 0;
    }
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

static void read_load(double load[3])
{
    char text[128];
    load[0] = load[1] = load[2] = 0;
    if (read_text("/proc/loadavg", text, sizeof text) > 0)
        sscanf(text, "%lf %lf %lf", &load[0], &load[1], &load[2]);
}

/* Ticks the whole machine spent busy (all but idle and iowait). */
static uint64_t machine_busy_ticks(void)
{
    char text[512];
    unsigned long long f[8] = {0};
    if (read_text("/proc/stat", text, sizeof text) == 0 ||
        sscanf(text, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6],
               &f[7]) < 4)
        return 0;
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
}

/* This process's ticks with those of its reaped children (the peers of every round). */
static uint64_t own_ticks(void)
{
    char text[1024];
    if (read_text("/proc/self/stat", text, sizeof text) == 0)
        return 0;
    const char *close = strrchr(text, ')');
    if (close == NULL)
        return 0;
    unsigned long long utime = 0, stime = 0, cutime = 0, cstime = 0;
    /* Fields 3..13 are skipped, 14..17 are utime, stime, cutime, cstime (proc(5)). */
    if (sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &utime, &stime, &cutime,
               &cstime) != 4)
        return 0;
    return utime + stime + cutime + cstime;
}

static void cpu_model(char *out, size_t size)
{
    static const char *const keys[] = {"model name", "Model", "Hardware", "Processor", "cpu model"};
    char text[16384];
    snprintf(out, size, "unknown");
    read_text("/proc/cpuinfo", text, sizeof text);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t key_length = strlen(keys[k]);
        for (char *line = text; line != NULL && *line != '\0';) {
            char *next = strchr(line, '\n');
            if (next != NULL)
                *next = '\0';
            char *colon = strchr(line, ':');
            if (strncmp(line, keys[k], key_length) == 0 && colon != NULL &&
                (line[key_length] == ':' || isspace((unsigned char)line[key_length]))) {
                const char *value = colon + 1;
                while (isspace((unsigned char)*value))
                    value++;
                if (*value != '\0') {
                    snprintf(out, size, "%s", value);
                    if (next != NULL)
                        *next = '\n';
                    return;
                }
            }
            if (next != NULL)
                *next = '\n';
            line = next == NULL ? NULL : next + 1;
        }
    }
}

void bench_machine_start(bench_run *run)
{
    struct utsname name;
    cpu_model(run->cpu_model, sizeof run->cpu_model);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    run->cores = cores > 0 ? (int)cores : 1;
    if (uname(&name) == 0) {
        snprintf(run->arch, sizeof run->arch, "%s", name.machine);
        snprintf(run->kernel, sizeof run->kernel, "%s", name.release);
    }
    read_load(run->load_start);
    run->machine_ticks_start = machine_busy_ticks();
    run->own_ticks_start = own_ticks();
    run->clock_start = bench_now_ns();
    time_t now = time(NULL);
    strftime(run->started, sizeof run->started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

void bench_machine_finish(bench_run *run)
{
    read_load(run->load_end);
    run->seconds = (bench_now_ns() - run->clock_start) / 1e9;
    uint64_t machine = machine_busy_ticks() - run->machine_ticks_start;
    uint64_t own = own_ticks() - run->own_ticks_start;
    double ticks_per_second = (double)sysconf(_SC_CLK_TCK);
    double others = machine > own ? (double)(machine - own) : 0;
    run->other_cpu_percent = run->seconds > 0 ? round(others * 1000.0 / ticks_per_second / run->seconds) / 10 : 0;
}

/* ---- figures ---- */

typedef struct stat_summary {
    double median, min, max;
    int count;
    double values[BENCH_MAX_ROUNDS];
} stat_summary;

static stat_summary summarise(const double *values, int count)
{
    stat_summary s = {0};
    double sorted[BENCH_MAX_ROUNDS];
    s.count = count;
    memcpy(s.values, values, (size_t)count * sizeof *values);
    memcpy(sorted, values, (size_t)count * sizeof *values);
    qsort(sorted, (size_t)count, sizeof *sorted, compare_doubles);
    s.min = sorted[0];
    s.max = sorted[count - 1];
    s.median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    return s;
}

static const bench_measurement *find(const bench_run *run, const bench_side *side)
{
    for (int i = 0; i < run->measurement_count; i++) {
        const bench_measurement *m = &run->measurements[i];
        if (m->rounds > 0 && strcmp(m->benchmark, side->benchmark) == 0 &&
            (side->value1 == NULL || strcmp(m->param_values[0], side->value1) == 0) &&
            (side->value2 == NULL || strcmp(m->param_values[1], side->value2) == 0))
            return m;
    }
    return NULL;
}

/* One side's values per round; 0 when the metric was not recorded. */
static int side_values(const bench_measurement *m, int p50, double *values)
{
    if (p50 && !m->has_percentiles)
        return 0;
    for (int r = 0; r < m->rounds; r++)
        values[r] = p50 ? m->percentile_ns[r][P50_INDEX] : m->score[r];
    return m->rounds;
}

typedef struct figure {
    const bench_figure_spec *spec;
    const char *unit;
    stat_summary value, baseline;
    double ratio, ratio_min, ratio_max;
} figure;

static int read_figure(const bench_run *run, const bench_figure_spec *spec, figure *out)
{
    const bench_measurement *v = find(run, &spec->value);
    const bench_measurement *b = find(run, &spec->baseline);
    double values[BENCH_MAX_ROUNDS], baselines[BENCH_MAX_ROUNDS];
    if (v == NULL || b == NULL)
        return 0;
    int nv = side_values(v, spec->p50, values), nb = side_values(b, spec->p50, baselines);
    if (nv == 0 || nb == 0)
        return 0;
    out->spec = spec;
    out->unit = spec->p50 ? "ns" : v->unit;
    out->value = summarise(values, nv);
    out->baseline = summarise(baselines, nb);
    if (out->baseline.median <= 0 || out->baseline.min <= 0 || !isfinite(out->value.median))
        return 0;
    out->ratio = out->value.median / out->baseline.median;
    out->ratio_min = out->value.min / out->baseline.max;
    out->ratio_max = out->value.max / out->baseline.min;
    return 1;
}

/* Three significant digits from 1 up, two below, as the Java tool writes them. */
static void digits(double value, char *buf, size_t size)
{
    double magnitude = fabs(value);
    if (magnitude == 0)
        snprintf(buf, size, "0");
    else if (magnitude >= 100)
        snprintf(buf, size, "%.0f", value);
    else if (magnitude >= 10)
        snprintf(buf, size, "%.1f", value);
    else if (magnitude >= 1)
        snprintf(buf, size, "%.2f", value);
    else
        snprintf(buf, size, "%.2g", value);
}

static void reading(const figure *f, char *buf, size_t size)
{
    char ratio[32], gain_text[32];
    int lower = strcmp(f->spec->better, "lower") == 0;
    double gain = lower ? 1 / f->ratio : f->ratio;
    digits(f->ratio, ratio, sizeof ratio);
    digits(gain >= 1 ? gain : 1 / gain, gain_text, sizeof gain_text);
    if (fabs(gain - 1) < 0.005)
        snprintf(buf, size, "%sx the baseline; %s is better: parity", ratio, f->spec->better);
    else
        snprintf(buf, size, "%sx the baseline; %s is better: %sx %s", ratio, f->spec->better, gain_text,
                 gain > 1 ? "better" : "worse");
}

/* ---- JSON ---- */

static void json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void json_stat(FILE *out, const stat_summary *s)
{
    fprintf(out, "{\"median\": %.17g, \"min\": %.17g, \"max\": %.17g, \"forks\": [", s->median, s->min, s->max);
    for (int i = 0; i < s->count; i++)
        fprintf(out, "%s%.17g", i > 0 ? ", " : "", s->values[i]);
    fputs("]}", out);
}

static void json_measurement(FILE *out, const bench_measurement *m)
{
    fputs("    {\"group\": ", out);
    json_string(out, m->group);
    fputs(", \"benchmark\": ", out);
    json_string(out, m->benchmark);
    fputs(", \"params\": {", out);
    for (int p = 0; p < 2 && m->param_names[p] != NULL; p++) {
        fputs(p > 0 ? ", " : "", out);
        json_string(out, m->param_names[p]);
        fputs(": ", out);
        json_string(out, m->param_values[p]);
    }
    fputs("}, \"unit\": ", out);
    json_string(out, m->unit);
    fputs(", \"score\": ", out);
    stat_summary score = summarise(m->score, m->rounds);
    json_stat(out, &score);
    fputs(",\n     \"percentiles\": [", out);
    for (int p = 0; m->has_percentiles && p < BENCH_PERCENTILE_COUNT; p++) {
        double values[BENCH_MAX_ROUNDS];
        for (int r = 0; r < m->rounds; r++)
            values[r] = m->percentile_ns[r][p];
        stat_summary s = summarise(values, m->rounds);
        fprintf(out, "%s{\"percentile\": %.17g, \"ns\": ", p > 0 ? ",\n       " : "", bench_percentiles[p]);
        json_stat(out, &s);
        fputc('}', out);
    }
    fputs("], \"extras\": {}}", out);
}

static void json_side(FILE *out, const char *label, const stat_summary *s)
{
    fputs("{\"label\": ", out);
    json_string(out, label);
    fputs(", \"stat\": ", out);
    json_stat(out, s);
    fputc('}', out);
}

static void json_notes(FILE *out, const char *name, const char *what_key, const char *reason_key,
                       const bench_note *notes, int count)
{
    fprintf(out, "  \"%s\": [", name);
    for (int i = 0; i < count; i++) {
        fprintf(out, "%s{\"%s\": ", i > 0 ? ", " : "", what_key);
        json_string(out, notes[i].what);
        fprintf(out, ", \"%s\": ", reason_key);
        json_string(out, notes[i].reason);
        fputc('}', out);
    }
    fputs("]", out);
}

static void warnings(const bench_run *run, char list[3][160], int *count)
{
    *count = 0;
    if (run->load_start[0] > run->cores || run->load_end[0] > run->cores)
        snprintf(list[(*count)++], 160,
                 "busy machine: load average %.2f at the start and %.2f at the end, above the %d cores",
                 run->load_start[0], run->load_end[0], run->cores);
    if (run->other_cpu_percent > BUSY_PERCENT)
        snprintf(list[(*count)++], 160, "busy machine: other processes used %.0f %% of a core on average during the run",
                 run->other_cpu_percent);
}

void bench_write_json(const bench_run *run, FILE *out)
{
    char warning[3][160];
    int warning_count;
    warnings(run, warning, &warning_count);
    fprintf(out, "{\n  \"schema\": 1,\n  \"tool\": {\"name\": \"harmonia-bench\", \"implementation\": \"c\", "
                 "\"version\": \"%s\"},\n", HM_BENCH_VERSION);
    fprintf(out, "  \"mode\": \"%s\",\n  \"started\": \"%s\",\n  \"seconds\": %.1f,\n", run->mode, run->started,
            run->seconds);
    fputs("  \"machine\": {\"cpuModel\": ", out);
    json_string(out, run->cpu_model);
    fprintf(out, ", \"cores\": %d, \"arch\": ", run->cores);
    json_string(out, run->arch);
    fputs(", \"kernel\": ", out);
    json_string(out, run->kernel);
    fputs(", \"runtime\": ", out);
    json_string(out, "C, compiled by " HM_BENCH_COMPILER);
    fprintf(out, ",\n    \"loadStart\": [%.2f, %.2f, %.2f], \"loadEnd\": [%.2f, %.2f, %.2f], \"otherCpuPercent\": %.1f, "
                 "\"busyProcesses\": [], \"warnings\": [",
            run->load_start[0], run->load_start[1], run->load_start[2], run->load_end[0], run->load_end[1],
            run->load_end[2], run->other_cpu_percent);
    for (int i = 0; i < warning_count; i++) {
        fputs(i > 0 ? ", " : "", out);
        json_string(out, warning[i]);
    }
    fputs("]},\n  \"groups\": [", out);
    char groups[sizeof run->groups];
    snprintf(groups, sizeof groups, "%s", run->groups);
    int first = 1;
    for (char *save = NULL, *g = strtok_r(groups, ",", &save); g != NULL; g = strtok_r(NULL, ",", &save)) {
        fputs(first ? "" : ", ", out);
        json_string(out, g);
        first = 0;
    }
    fputs("],\n  \"figures\": [", out);
    first = 1;
    for (int i = 0; i < bench_figure_spec_count; i++) {
        figure f;
        char text[160];
        if (!read_figure(run, &bench_figure_specs[i], &f))
            continue;
        fputs(first ? "\n    {\"id\": " : ",\n    {\"id\": ", out);
        first = 0;
        json_string(out, f.spec->id);
        fputs(", \"group\": ", out);
        json_string(out, f.spec->group);
        fputs(", \"title\": ", out);
        json_string(out, f.spec->title);
        fputs(", \"unit\": ", out);
        json_string(out, f.unit);
        fprintf(out, ", \"better\": \"%s\",\n     \"value\": ", f.spec->better);
        json_side(out, f.spec->value.label, &f.value);
        fputs(",\n     \"baseline\": ", out);
        json_side(out, f.spec->baseline.label, &f.baseline);
        fprintf(out, ",\n     \"ratio\": {\"median\": %.17g, \"min\": %.17g, \"max\": %.17g}, \"reading\": ", f.ratio,
                f.ratio_min, f.ratio_max);
        reading(&f, text, sizeof text);
        json_string(out, text);
        fputc('}', out);
    }
    fputs("],\n  \"measurements\": [", out);
    first = 1;
    for (int i = 0; i < run->measurement_count; i++) {
        if (run->measurements[i].rounds == 0)
            continue;
        fputs(first ? "\n" : ",\n", out);
        first = 0;
        json_measurement(out, &run->measurements[i]);
    }
    fputs("],\n", out);
    json_notes(out, "skipped", "group", "reason", run->skipped, run->skipped_count);
    fputs(",\n", out);
    json_notes(out, "failures", "step", "message", run->failures, run->failure_count);
    fputs("\n}\n", out);
}

/* ---- text ---- */

static void format_value(double value, const char *unit, char *buf, size_t size)
{
    char number[24];
    if (strcmp(unit, "ops/us") == 0) {
        digits(value, number, sizeof number);
        snprintf(buf, size, "%s M/s", number);
        return;
    }
    double ns = strcmp(unit, "us/op") == 0 ? value * 1e3 : value;
    if (ns < 1e3) {
        digits(ns, number, sizeof number);
        snprintf(buf, size, "%s ns", number);
    } else if (ns < 1e6) {
        digits(ns / 1e3, number, sizeof number);
        snprintf(buf, size, "%s us", number);
    } else {
        digits(ns / 1e6, number, sizeof number);
        snprintf(buf, size, "%s ms", number);
    }
}

static void print_side(FILE *out, const char *label, const stat_summary *s, const char *unit)
{
    char median[48], low[48], high[48];
    format_value(s->median, unit, median, sizeof median);
    format_value(s->min, unit, low, sizeof low);
    format_value(s->max, unit, high, sizeof high);
    fprintf(out, "    %s: %s (%s - %s, %d round%s)\n", label, median, low, high, s->count, s->count == 1 ? "" : "s");
}

void bench_write_summary(const bench_run *run, FILE *out)
{
    char warning[3][160];
    int warning_count;
    warnings(run, warning, &warning_count);
    fprintf(out, "== harmonia-bench %s (c, %s run of %s, %.0f s)\n", HM_BENCH_VERSION, run->mode, run->groups,
            run->seconds);
    fprintf(out, "machine: %s, %d cores, %s, kernel %s, load %.2f -> %.2f, other processes %.0f %% of a core\n",
            run->cpu_model, run->cores, run->arch, run->kernel, run->load_start[0], run->load_end[0],
            run->other_cpu_percent);
    for (int i = 0; i < warning_count; i++)
        fprintf(out, "warning: %s\n", warning[i]);
    if (strcmp(run->mode, "quick") == 0)
        fputs("note: a quick run proves the benchmarks work; its figures are not measurements\n", out);
    for (int i = 0; i < bench_figure_spec_count; i++) {
        figure f;
        char text[160];
        if (!read_figure(run, &bench_figure_specs[i], &f))
            continue;
        fprintf(out, "\n%s: %s\n", f.spec->id, f.spec->title);
        print_side(out, f.spec->value.label, &f.value, f.unit);
        print_side(out, f.spec->baseline.label, &f.baseline, f.unit);
        reading(&f, text, sizeof text);
        fprintf(out, "    ratio %s\n", text);
    }
    for (int i = 0; i < run->skipped_count; i++)
        fprintf(out, "\nskipped: %s: %s\n", run->skipped[i].what, run->skipped[i].reason);
    for (int i = 0; i < run->failure_count; i++)
        fprintf(out, "\nfailed: %s: %s\n", run->failures[i].what, run->failures[i].reason);
}
