/*
 * Every app starts from a clean slate (docs/protocols.md, section 7, "What a child inherits"): whatever state the
 * daemon was started in (hm_daemon.h gives it a private working directory, umask 0, an extra environment
 * variable, a raised RLIMIT_NOFILE, a blocked and an ignored signal), a warm, a pre-forked and a cold child each
 * show in /proc exactly the documented environment, working directory, umask, signal state, limits and session.
 * Names that could forge a log line are refused before fork, and what the daemon logs of a request is escaped.
 * Needs root (exit 77 otherwise).
 */
#include "hm_daemon.h"

#define TOKEN 42u
#define APP_UID 54321

static test_daemon pool_daemon;   /* --prefork 2: warm requests go to pre-forked children */
static test_daemon direct_daemon; /* --prefork 0: warm requests fork */
static char data_dir[96];         /* owned by APP_UID, mode 0700: only the app may enter it */

typedef struct start_kind {
    const char *name;
    test_daemon *daemon;
    int cold;
    const char *log_word; /* how the daemon's spawn line names the start */
} start_kind;

static const start_kind kinds[] = {
    {"warm", &direct_daemon, 0, "warm start"},
    {"pre-forked", &pool_daemon, 0, "warm (pre-forked) start"},
    {"cold", &pool_daemon, 1, "cold start"},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

/* Spawns a sleeping app of the given kind as APP_UID, in data_dir when `in_data_dir`; returns its pid or <= 0. */
static pid_t spawn_kind(const start_kind *kind, ClientSocket *client, int in_data_dir)
{
    hm_spawn_request r = request_for("test.sleep", APP, kind->cold);
    r.uid = APP_UID;
    r.gid = APP_UID;
    r.gids[0] = APP_UID;
    r.access_token_id = TOKEN;
    snprintf(r.process_name, sizeof r.process_name, "hm.slate.%s", kind->cold ? "cold" : "warm");
    if (in_data_dir)
        snprintf(r.data_dir, sizeof r.data_dir, "%s", data_dir);
    /* A full pool, so a warm request to the pool daemon is handed to a pre-forked child. */
    HM_CHECK(wait_for_children(kind->daemon, client, 0));
    pid_t pid = spawn(client, &r);
    char line[160];
    snprintf(line, sizeof line, "as pid %d: ", (int)pid);
    const char *logged = pid > 0 ? wait_for_line(kind->daemon->err, line, 2000) : NULL;
    HM_CHECK(logged != NULL && strstr(logged, kind->log_word) != NULL);
    return pid;
}

/* Spawns a sleeping app of each kind (in data_dir when `in_data_dir`), runs `check` on it, then terminates it and
 * waits until its daemon is back to its idle state. */
static void for_each_kind(int in_data_dir, void (*check)(const start_kind *kind, pid_t pid))
{
    for (size_t k = 0; k < KIND_COUNT; k++) {
        ClientSocket *client = client_for(kinds[k].daemon);
        pid_t pid = spawn_kind(&kinds[k], client, in_data_dir);
        HM_CHECK(pid > 0);
        if (pid > 0) {
            check(&kinds[k], pid);
            terminate(client, pid);
        }
        HM_CHECK(wait_for_children(kinds[k].daemon, client, 0));
        CloseClient(client);
    }
}

/* /proc/PID/environ as its non-empty NUL-separated strings, joined with '\n' (a warm child's view ends with the
 * zero padding of the daemon's environment memory, which holds no variable). */
static void environ_of(pid_t pid, char *out, size_t size)
{
    static char raw[65536];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, raw, sizeof raw) : -1;
    if (fd >= 0)
        close(fd);
    size_t at = 0;
    out[0] = '\0';
    for (ssize_t i = 0; i < n;) {
        size_t length = strnlen(raw + i, (size_t)(n - i));
        if (length > 0 && at + length + 2 < size)
            at += (size_t)snprintf(out + at, size - at, "%s%.*s", at ? "\n" : "", (int)length, raw + i);
        i += (ssize_t)length + 1;
    }
}

/* ---- What a child holds ------------------------------------------------------------------------------------- */

static void check_environment(const start_kind *kind, pid_t pid)
{
    char expected[256], environment[4096];
    snprintf(expected, sizeof expected, "PATH=%s\n%s=%u", HM_SPAWN_APP_PATH, HM_SPAWN_TOKEN_ENV, TOKEN);
    environ_of(pid, environment, sizeof environment);
    if (strcmp(environment, expected) != 0)
        fprintf(stderr, "  %s child's environment:\n%s\n  expected:\n%s\n", kind->name, environment, expected);
    HM_CHECK_STR_EQ(environment, expected);
}

static void environment_is_exactly_path_and_token(void)
{
    for_each_kind(0, check_environment);
}

static void check_working_directory(const start_kind *kind, pid_t pid, const char *expected)
{
    char path[64], cwd[256];
    snprintf(path, sizeof path, "/proc/%d/cwd", (int)pid);
    ssize_t n = readlink(path, cwd, sizeof cwd - 1);
    cwd[n > 0 ? n : 0] = '\0';
    if (strcmp(cwd, expected) != 0)
        fprintf(stderr, "  %s child's cwd: '%s' (daemon's: %s)\n", kind->name, cwd, kind->daemon->private_dir);
    HM_CHECK_STR_EQ(cwd, expected);
}

static void check_working_directory_is_root(const start_kind *kind, pid_t pid)
{
    check_working_directory(kind, pid, "/");
}

static void check_working_directory_is_the_data_dir(const start_kind *kind, pid_t pid)
{
    check_working_directory(kind, pid, data_dir);
}

static void working_directory_is_the_data_dir_or_root(void)
{
    for_each_kind(0, check_working_directory_is_root);
    for_each_kind(1, check_working_directory_is_the_data_dir);
}

static void check_umask_and_signals(const start_kind *kind, pid_t pid)
{
    check_status(pid, "Umask", "0077");
    check_status(pid, "SigBlk", "0000000000000000"); /* the daemon blocks CHLD, TERM, INT, HUP and USR1 */
    check_status(pid, "SigIgn", "0000000000000000"); /* the daemon ignores PIPE and USR2 */
#ifdef HM_TEST_SANITIZED
    /* A sanitized launcher's runtime catches SIGSEGV, SIGBUS and SIGFPE itself, after exec: nothing inherited. */
    if (kind->cold) {
        char caught[32];
        unsigned long long mask = status_field(pid, "SigCgt", caught, sizeof caught) ? strtoull(caught, NULL, 16)
                                                                                      : ~0ull;
        unsigned long long sanitizer = (1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)) | (1ull << (SIGFPE - 1));
        HM_CHECK((mask & ~sanitizer) == 0);
        return;
    }
#endif
    (void)kind;
    check_status(pid, "SigCgt", "0000000000000000");
}

static void umask_and_signals_are_reset(void)
{
    for_each_kind(0, check_umask_and_signals);
}

/* The "Max ..." line of /proc/PID/limits for `name` ("Max open files"), spaces squeezed. */
static const char *limit_line(pid_t pid, const char *name, char *out, size_t size)
{
    char path[64], text[8192];
    snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
    if (read_file(path, text, sizeof text) == NULL)
        return NULL;
    const char *line = strstr(text, name);
    if (line == NULL)
        return NULL;
    size_t at = 0;
    for (const char *p = line; *p && *p != '\n' && at + 1 < size; p++)
        if (*p != ' ' || (at > 0 && out[at - 1] != ' '))
            out[at++] = *p;
    out[at] = '\0';
    return out;
}

static void check_limits(const start_kind *kind, pid_t pid)
{
    static const char *const inherited[] = {"Max cpu time", "Max file size", "Max data size", "Max stack size",
                                            "Max core file size", "Max resident set", "Max processes",
                                            "Max locked memory", "Max address space", "Max file locks",
                                            "Max pending signals", "Max msgqueue size", "Max nice priority",
                                            "Max realtime priority", "Max realtime timeout"};
    char expected[128], line[160], daemons[160];
    snprintf(expected, sizeof expected, "Max open files %d %d files ", HM_SPAWN_APP_NOFILE, DAEMON_NOFILE);
    HM_CHECK(limit_line(pid, "Max open files", line, sizeof line) != NULL);
    if (strcmp(line, expected) != 0)
        fprintf(stderr, "  %s child: '%s', expected '%s'\n", kind->name, line, expected);
    HM_CHECK_STR_EQ(line, expected);
    for (size_t i = 0; i < sizeof inherited / sizeof inherited[0]; i++) {
        HM_CHECK(limit_line(pid, inherited[i], line, sizeof line) != NULL);
        HM_CHECK(limit_line(kind->daemon->pid, inherited[i], daemons, sizeof daemons) != NULL);
        HM_CHECK_STR_EQ(line, daemons);
    }
}

static void limits_are_the_daemons_but_at_most_1024_open_files(void)
{
    for_each_kind(0, check_limits);
}

static void check_session(const start_kind *kind, pid_t pid)
{
    char path[64], text[1024];
    int parent = 0, group = 0, session = 0, tty = -1;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *end = read_file(path, text, sizeof text) ? strrchr(text, ')') : NULL;
    HM_CHECK(end && sscanf(end + 1, " %*c %d %d %d %d", &parent, &group, &session, &tty) == 4);
    HM_CHECK_INT_EQ(parent, kind->daemon->pid);
    HM_CHECK_INT_EQ(group, pid);
    HM_CHECK_INT_EQ(session, pid);
    HM_CHECK_INT_EQ(tty, 0);
}

static void each_child_leads_its_own_session_without_a_terminal(void)
{
    for_each_kind(0, check_session);
}

/* The working directory is entered as the app: one it may not enter, or one that is not there, fails the spawn at
 * its own step, and the log says which directory refused which uid. */
static void a_data_dir_the_app_cannot_enter_fails_the_workdir_step(void)
{
    char closed[96];
    snprintf(closed, sizeof closed, "%s/closed", staged.stage.dir);
    HM_CHECK(mkdir(closed, 0700) == 0);
    for (size_t k = 0; k < KIND_COUNT; k++) {
        ClientSocket *client = client_for(kinds[k].daemon);
        hm_spawn_request r = request_for("test.sleep", APP, kinds[k].cold);
        snprintf(r.data_dir, sizeof r.data_dir, "%s", closed);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_WORKDIR, EACCES));
        snprintf(r.data_dir, sizeof r.data_dir, "%s/missing", staged.stage.dir);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_WORKDIR, ENOENT));
        HM_CHECK(wait_for_children(kinds[k].daemon, client, 0));
        char needle[320];
        snprintf(needle, sizeof needle, "uid %d cannot enter %s: %s is mode 0700, owner uid 0 gid 0: uid %d may "
                 "not search it", NOBODY, closed, closed, NOBODY);
        HM_CHECK(wait_for_line(kinds[k].daemon->err, needle, 2000) != NULL);
        CloseClient(client);
    }
    rmdir(closed);
}

/* ---- Names and logs ------------------------------------------------------------------------------------------ */

/* A line break in each text field of an AppProperty record, sent as raw bytes (the client would refuse it first):
 * refused with the field's code before fork, and nothing of the forged line reaches the log. */
static void a_line_break_in_any_name_is_refused_and_never_logged(void)
{
    static const struct {
        unsigned offset, field;
        const char *text;
    } fields[] = {
        {HM_SPAWN_OFF_PROCESS_NAME, HM_SPAWN_FIELD_PROCESS_NAME, "hm.name\nFORGED-1 spawning 'x' as pid 1"},
        {HM_SPAWN_OFF_BUNDLE_NAME, HM_SPAWN_FIELD_BUNDLE_NAME, "test.exit\nFORGED-2"},
        {HM_SPAWN_OFF_SO_PATH, HM_SPAWN_FIELD_SO_PATH, "/lib\nFORGED-3.so"},
        {HM_SPAWN_OFF_APL, HM_SPAWN_FIELD_APL, "normal\nFORGED-4"},
        {HM_SPAWN_OFF_DATA_DIR, HM_SPAWN_FIELD_DATA_DIR, "/tmp\rFORGED-5"},
    };
    ClientSocket *client = client_for(&pool_daemon);
    hm_spawn_request base = request_for("test.exit", APP, 0);
    unsigned char good[HM_SPAWN_APP_PROPERTY_SIZE], bad[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&base, good, sizeof good, &length, NULL), 0);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        memcpy(bad, good, sizeof bad);
        size_t size = fields[i].field == HM_SPAWN_FIELD_APL ? HM_SPAWN_APL_SIZE : HM_SPAWN_NAME_SIZE;
        memset(bad + fields[i].offset, 0, size);
        memcpy(bad + fields[i].offset, fields[i].text, strlen(fields[i].text));
        int32_t reply = 0;
        HM_CHECK_INT_EQ(WriteSocketMessage(client, bad, sizeof bad), (int)sizeof bad);
        HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), 4);
        HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, (int)fields[i].field));
    }
    /* The lite form: an escaped line break in bundleName is a bad value (EC_PROTOCOL). */
    int32_t result = 0;
    int64_t pid = 0;
    HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE,
                                  "{\"bundleName\":\"test.exit\\nFORGED-6\",\"identityID\":\"i\",\"uID\":1000,"
                                  "\"gID\":1000,\"capability\":[]}",
                                  &result, &pid),
                    0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_PROTOCOL);
    HM_CHECK_INT_EQ(pid, -1);
    HM_CHECK(wait_for_children(&pool_daemon, client, 0));
    /* The connection still works, and the log has a line for each refusal but no forged text. */
    HM_CHECK(spawn(client, &base) > 0);
    HM_CHECK(wait_for_children(&pool_daemon, client, 0));
    HM_CHECK(wait_for_line(pool_daemon.err, "bundleName: must hold", 2000) != NULL);
    HM_CHECK(!file_contains(pool_daemon.err, "FORGED"));
    CloseClient(client);
}

/* A path may hold spaces, quotes and UTF-8: it is accepted, and what the daemon (and the launcher, which logs to
 * the same stream) writes of it is escaped: the daemon's own sentences, and the loader's message about it. */
static void request_paths_are_logged_escaped(void)
{
    char missing[160], not_a_library[160], needle[320];
    snprintf(missing, sizeof missing, "%s/no such 'lib' \xc3\xa9t\xc3\xa9.so", staged.stage.dir);
    snprintf(not_a_library, sizeof not_a_library, "%s/not a 'library' \xc3\xa9.so", staged.stage.dir);
    int fd = open(not_a_library, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    HM_CHECK(fd >= 0 && write(fd, "text\n", 5) == 5);
    if (fd >= 0)
        close(fd);
    ClientSocket *client = client_for(&pool_daemon);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.exit", missing, cold);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ENOENT));
        r = request_for("test.exit", not_a_library, cold);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ELIBBAD));
        HM_CHECK(wait_for_children(&pool_daemon, client, 0));
    }
    snprintf(needle, sizeof needle, "cannot open %s/no such \\'lib\\' \\xc3\\xa9t\\xc3\\xa9.so", staged.stage.dir);
    HM_CHECK(wait_for_line(pool_daemon.err, needle, 2000) != NULL);
    snprintf(needle, sizeof needle, "child 'hm.test.exit': %s/not a \\'library\\' \\xc3\\xa9.so", staged.stage.dir);
    HM_CHECK(wait_for_line(pool_daemon.err, needle, 2000) != NULL);
    snprintf(needle, sizeof needle, "harmonia-app-launcher: %s/not a \\'library\\' \\xc3\\xa9.so", staged.stage.dir);
    HM_CHECK(wait_for_line(pool_daemon.err, needle, 2000) != NULL);
    HM_CHECK(!file_contains(pool_daemon.err, "\xc3\xa9"));
    unlink(not_a_library);
    CloseClient(client);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: the clean-slate tests run the daemon, which changes uids (uid %u)\n", (unsigned)geteuid());
        return 77;
    }
    if (stage_apps() < 0 || daemon_start(&pool_daemon, NULL) < 0 ||
        daemon_start(&direct_daemon, "--prefork", "0", NULL) < 0) {
        fprintf(stderr, "cannot start %s\n", HM_APPSPAWN_BIN);
        return 1;
    }
    snprintf(data_dir, sizeof data_dir, "%s/data", staged.stage.dir);
    if (mkdir(data_dir, 0700) < 0 || chown(data_dir, APP_UID, APP_UID) < 0)
        return 1;
    HM_RUN(environment_is_exactly_path_and_token);
    HM_RUN(working_directory_is_the_data_dir_or_root);
    HM_RUN(umask_and_signals_are_reset);
    HM_RUN(limits_are_the_daemons_but_at_most_1024_open_files);
    HM_RUN(each_child_leads_its_own_session_without_a_terminal);
    HM_RUN(a_data_dir_the_app_cannot_enter_fails_the_workdir_step);
    HM_RUN(a_line_break_in_any_name_is_refused_and_never_logged);
    HM_RUN(request_paths_are_logged_escaped);
    hm_test_case_failed = hm_test_cases_failed;
    HM_CHECK_INT_EQ(daemon_stop(&pool_daemon), 0);
    HM_CHECK_INT_EQ(daemon_stop(&direct_daemon), 0);
    rmdir(data_dir);
    hm_stage_remove(&staged.stage);
    return HM_TEST_SUMMARY();
}
