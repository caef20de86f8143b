/*
 * harmonia-appspawn, for real: the test starts the daemon binary as root on a private socket, spawns processes
 * through the client API and checks what the kernel says about them in /proc (hm_daemon.h). Needs root (CI runs
 * as root); otherwise it prints SKIP with the reason and exits with 77, which ctest reports as skipped.
 */
#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "hm_daemon.h"

static test_daemon main_daemon;
static test_daemon direct_daemon; /* --prefork 0: every spawn forks */
static char scratch_dir[64];

/* ---- Cases ----------------------------------------------------------------------------------------------------- */

static void every_field_reaches_proc_status_on(const test_daemon *d)
{
    ClientSocket *client = client_for(d);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", APP, cold);
        snprintf(r.process_name, sizeof r.process_name, "hm.fields.%s.a-process-name-longer-than-15",
                 cold ? "cold" : "warm");
        r.uid = 54321;
        r.gid = 54322;
        r.gid_count = 3;
        r.gids[0] = 54322;
        r.gids[1] = 100;
        r.gids[2] = 4242;
        r.capabilities = (UINT64_C(1) << CAP_NET_BIND_SERVICE) | (UINT64_C(1) << CAP_KILL);
        int32_t pid = spawn(client, &r);
        HM_CHECK(pid > 0);
        if (pid <= 0)
            continue;
        char name[16];
        snprintf(name, sizeof name, "%.15s", r.process_name);
        check_status(pid, "Name", name);
        check_status(pid, "Uid", "54321\t54321\t54321\t54321");
        check_status(pid, "Gid", "54322\t54322\t54322\t54322");
        check_status(pid, "Groups", "100 4242 54322");
        check_status(pid, "CapInh", "0000000000000420");
        check_status(pid, "CapPrm", "0000000000000420");
        check_status(pid, "CapEff", "0000000000000420");
        check_status(pid, "CapBnd", "0000000000000420");
        check_status(pid, "CapAmb", "0000000000000420");
        check_status(pid, "NoNewPrivs", "1");
        check_status(pid, "SigBlk", "0000000000000000");
        check_status(pid, "SigIgn", "0000000000000000");
        /* The full name in argv (a warm child overwrote the daemon's argv; the launcher was given it). */
        char path[64];
        static char text[65536];
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
        HM_CHECK(read_file(path, text, sizeof text) && strcmp(text, r.process_name) == 0);
        /* Only stdio is left open (the report pipe closes right after the ready report: allow it a moment). */
        uint64_t fd_deadline = now_ms() + 2000;
        while (count_fds(pid) != 3 && now_ms() < fd_deadline)
            sleep_ms(2);
        HM_CHECK_INT_EQ(count_fds(pid), 3);
        /* Its own session. */
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        int session = 0;
        char *end = read_file(path, text, sizeof text) ? strrchr(text, ')') : NULL;
        HM_CHECK(end && sscanf(end + 1, " %*c %*d %*d %d", &session) == 1);
        HM_CHECK_INT_EQ(session, pid);
        /* The token is in the environment the app sees (after exec it is the initial environment too). */
        if (cold) {
            snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
            if (fd >= 0)
                close(fd);
            HM_CHECK(n > 0 && memmem(text, (size_t)n, "HM_ACCESS_TOKEN_ID=42", 22) != NULL);
        }
        hm_spawn_child_info info[4];
        size_t count = 0;
        HM_CHECK_INT_EQ(hm_spawn_dump(client, info, 4, &count), 0);
        HM_CHECK_INT_EQ(count, 1);
        HM_CHECK_INT_EQ(info[0].pid, pid);
        HM_CHECK_INT_EQ(info[0].uid, 54321);
        HM_CHECK_STR_EQ(info[0].name, r.process_name);
        HM_CHECK_INT_EQ(info[0].flags, HM_SPAWN_DUMP_READY | (cold ? HM_SPAWN_DUMP_COLD : 0));
        HM_CHECK(info[0].start_time_ms > 1700000000000ull);
        terminate(client, pid);
        HM_CHECK(wait_for_children(d, client, 0));
        HM_CHECK(!process_exists(pid));
    }
    CloseClient(client);
}

static void every_field_reaches_proc_status(void)
{
    every_field_reaches_proc_status_on(&main_daemon);
}

static void every_field_reaches_proc_status_without_prefork(void)
{
    every_field_reaches_proc_status_on(&direct_daemon);
}

static void id_and_name_limits_work_for_real(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    r.uid = INT32_MAX;
    r.gid = INT32_MAX;
    r.gid_count = HM_SPAWN_MAX_GIDS;
    for (unsigned i = 0; i < HM_SPAWN_MAX_GIDS; i++)
        r.gids[i] = 30000 + (int32_t)i;
    memset(r.process_name, 'n', HM_SPAWN_NAME_SIZE - 1);
    r.process_name[HM_SPAWN_NAME_SIZE - 1] = '\0';
    r.capabilities = 0;
    int32_t pid = spawn(client, &r);
    HM_CHECK(pid > 0);
    if (pid > 0) {
        check_status(pid, "Uid", "2147483647\t2147483647\t2147483647\t2147483647");
        check_status(pid, "CapEff", "0000000000000000");
        check_status(pid, "CapPrm", "0000000000000000");
        check_status(pid, "Name", "nnnnnnnnnnnnnnn");
        char groups[1024];
        HM_CHECK(status_field(pid, "Groups", groups, sizeof groups) && strncmp(groups, "30000 30001 ", 12) == 0 &&
                 strstr(groups, "30063") != NULL);
        terminate(client, pid);
    }
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void child_cannot_regain_root(void)
{
    ClientSocket *client = client_for(&main_daemon);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.probe", APP, cold);
        int32_t pid = spawn(client, &r);
        HM_CHECK(pid > 0);
        if (pid <= 0)
            continue;
        char needle[32], expected[160];
        snprintf(needle, sizeof needle, "probe %d ", (int)pid);
        const char *line = wait_for_line(main_daemon.out, needle, 5000);
        snprintf(expected, sizeof expected, "probe %d setuid0=%d setgid0=%d capset=%d ambient=%d token=42 identity=-",
                 (int)pid, EPERM, EPERM, EPERM, EPERM);
        HM_CHECK(line != NULL && strcmp(line, expected) == 0);
        if (line && strcmp(line, expected) != 0)
            fprintf(stderr, "  got '%s'\n  expected '%s'\n", line, expected);
        terminate(client, pid);
        HM_CHECK(wait_for_children(&main_daemon, client, 0));
    }
    CloseClient(client);
}

/* Every AppProperty rule at its boundary, through the daemon: the refusal names the field, nothing is spawned. */
static void invalid_requests_are_refused_before_fork(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request base = request_for("test.exit", APP, 0);
    struct {
        hm_spawn_request request;
        uint32_t field;
    } cases[12];
    size_t n = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cases[i].request = base;
    cases[n].request.uid = 0, cases[n++].field = HM_SPAWN_FIELD_UID;
    cases[n].request.gid = -1, cases[n++].field = HM_SPAWN_FIELD_GID;
    cases[n].request.gid_count = 65, cases[n++].field = HM_SPAWN_FIELD_GID_COUNT;
    cases[n].request.gids[0] = 0, cases[n++].field = HM_SPAWN_FIELD_GID_TABLE;
    cases[n].request.capabilities = UINT64_C(2) << hm_spawn_cap_last(), cases[n++].field = HM_SPAWN_FIELD_CAPABILITIES;
    cases[n].request.flags = 2, cases[n++].field = HM_SPAWN_FIELD_FLAGS;
    cases[n].request.process_name[0] = '\0', cases[n++].field = HM_SPAWN_FIELD_PROCESS_NAME;
    memset(cases[n].request.bundle_name, 'b', HM_SPAWN_NAME_SIZE), cases[n++].field = HM_SPAWN_FIELD_BUNDLE_NAME;
    strcpy(cases[n].request.so_path, "relative.so"), cases[n++].field = HM_SPAWN_FIELD_SO_PATH;
    memset(cases[n].request.apl, 'a', HM_SPAWN_APL_SIZE), cases[n++].field = HM_SPAWN_FIELD_APL;

    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&base, message, sizeof message, &length, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        /* Raw bytes, so the client's own validation does not stop the request before the daemon sees it:
         * patch the valid message where the field lives. */
        unsigned char bad[HM_SPAWN_APP_PROPERTY_SIZE];
        memcpy(bad, message, sizeof bad);
        const hm_spawn_request *r = &cases[i].request;
        switch (cases[i].field) {
        case HM_SPAWN_FIELD_UID:
            memcpy(bad + HM_SPAWN_OFF_UID, &r->uid, 4);
            break;
        case HM_SPAWN_FIELD_GID:
            memcpy(bad + HM_SPAWN_OFF_GID, &r->gid, 4);
            break;
        case HM_SPAWN_FIELD_GID_COUNT:
            memcpy(bad + HM_SPAWN_OFF_GID_COUNT, &r->gid_count, 4);
            break;
        case HM_SPAWN_FIELD_GID_TABLE:
            memcpy(bad + HM_SPAWN_OFF_GID_TABLE, &r->gids[0], 4);
            break;
        case HM_SPAWN_FIELD_CAPABILITIES:
            memcpy(bad + HM_SPAWN_OFF_CAPABILITIES, &r->capabilities, 8);
            break;
        case HM_SPAWN_FIELD_FLAGS:
            memcpy(bad + HM_SPAWN_OFF_FLAGS, &r->flags, 4);
            break;
        case HM_SPAWN_FIELD_PROCESS_NAME:
            memcpy(bad + HM_SPAWN_OFF_PROCESS_NAME, r->process_name, HM_SPAWN_NAME_SIZE);
            break;
        case HM_SPAWN_FIELD_BUNDLE_NAME:
            memcpy(bad + HM_SPAWN_OFF_BUNDLE_NAME, r->bundle_name, HM_SPAWN_NAME_SIZE);
            break;
        case HM_SPAWN_FIELD_SO_PATH:
            memcpy(bad + HM_SPAWN_OFF_SO_PATH, r->so_path, HM_SPAWN_NAME_SIZE);
            break;
        default:
            memcpy(bad + HM_SPAWN_OFF_APL, r->apl, HM_SPAWN_APL_SIZE);
            break;
        }
        int32_t reply = 0;
        HM_CHECK_INT_EQ(WriteSocketMessage(client, bad, sizeof bad), (int)sizeof bad);
        HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), 4);
        if (reply != error_of(HM_SPAWN_STEP_REQUEST, (int)cases[i].field))
            fprintf(stderr, "  case %zu (field %s): reply %d\n", i, hm_spawn_field_name((int)cases[i].field),
                    (int)reply);
        HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, (int)cases[i].field));
    }
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK(file_contains(main_daemon.err, "invalid request: gidCount must be 0..64"));
    /* The connection still works after refusals. */
    int32_t pid = spawn(client, &base);
    HM_CHECK(pid > 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void bad_header_is_answered_then_closed(void)
{
    ClientSocket *client = client_for(&main_daemon);
    unsigned char header[HM_SPAWN_HEADER_SIZE] = {'H', 'M', 'S', 'P', 1, 0, 1, 0}; /* version 1: before dataDir */
    int32_t reply = 0;
    HM_CHECK_INT_EQ(WriteSocketMessage(client, header, sizeof header), (int)sizeof header);
    HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), 4);
    HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_VERSION));
    HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), -ECONNRESET);
    CloseClient(client);
}

static void pipelined_requests_are_answered_in_order(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.exit", APP, 0);
    unsigned char two[2 * HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&r, two, HM_SPAWN_APP_PROPERTY_SIZE, &length, NULL), 0);
    r.uid = 0; /* the second is invalid: its reply must come second */
    memcpy(two + HM_SPAWN_APP_PROPERTY_SIZE, two, HM_SPAWN_APP_PROPERTY_SIZE);
    memset(two + HM_SPAWN_APP_PROPERTY_SIZE + HM_SPAWN_OFF_UID, 0, 4);
    int32_t replies[2] = {0, 0};
    HM_CHECK_INT_EQ(WriteSocketMessage(client, two, sizeof two), (int)sizeof two);
    HM_CHECK_INT_EQ(ReadSocketMessage(client, replies, sizeof replies), (int)sizeof replies);
    HM_CHECK(replies[0] > 0);
    HM_CHECK_INT_EQ(replies[1], error_of(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_UID));
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void failures_name_their_step_and_are_reaped(void)
{
    ClientSocket *client = client_for(&main_daemon);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", "/nonexistent/libapp.so", cold);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ENOENT));
        r = request_for("test.sleep", staged.no_entry, cold);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_ENTRY, ENOENT));
        r = request_for("test.sleep", "/proc/self/status", cold); /* readable, not a library */
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ELIBBAD));
        /* A capability the daemon does not hold (its bounding set lacks CAP_SYS_RESOURCE). */
        r = request_for("test.sleep", APP, cold);
        r.capabilities |= UINT64_C(1) << CAP_SYS_RESOURCE;
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_CAPS, EPERM));
        HM_CHECK(wait_for_children(&main_daemon, client, 0));
    }
    HM_CHECK(file_contains(main_daemon.err, "step entry failed: ENOENT"));
    CloseClient(client);
}

/* The failure reply and the reaping of the dead child race; a dump right after the reply must already leave the
 * failed spawn out, whichever comes first (it once listed it until SIGCHLD was handled). */
static void failed_spawn_is_never_listed(void)
{
    ClientSocket *client = client_for(&main_daemon);
    int listed = 0;
    for (int i = 0; i < 100; i++) {
        hm_spawn_request r = request_for("test.fail", "/nonexistent/libapp.so", 0);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ENOENT));
        if (children_count(client) != 0)
            listed++;
    }
    HM_CHECK_INT_EQ(listed, 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void exec_failure_is_reported_with_its_step(void)
{
    test_daemon d;
    char launcher[128];
    /* A launcher file that exists but cannot be executed, then one that is executable but not a program. */
    static const struct {
        const char *content;
        mode_t mode;
        int err;
    } launchers[] = {{"not a program\n", 0644, EACCES}, {"not a program\n", 0755, ENOEXEC}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(launcher, sizeof launcher, "%s/launcher-%zu", scratch_dir, i);
        int fd = open(launcher, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, launchers[i].mode);
        HM_CHECK(fd >= 0 && write(fd, launchers[i].content, strlen(launchers[i].content)) > 0);
        if (fd >= 0)
            close(fd);
        HM_CHECK_INT_EQ(daemon_start(&d, "--launcher", launcher, NULL), 0);
        ClientSocket *client = client_for(&d);
        hm_spawn_request r = request_for("test.sleep", APP, 1);
        HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_EXEC, launchers[i].err));
        r = request_for("test.exit", APP, 0); /* warm starts do not need the launcher */
        HM_CHECK(spawn(client, &r) > 0);
        HM_CHECK(wait_for_children(&d, client, 0));
        CloseClient(client);
        HM_CHECK_INT_EQ(daemon_stop(&d), 0);
    }
    /* No launcher at all: the daemon still serves warm starts and refuses cold ones without forking. */
    HM_CHECK_INT_EQ(daemon_start(&d, "--launcher", "/nonexistent/harmonia-app-launcher", NULL), 0);
    ClientSocket *client = client_for(&d);
    hm_spawn_request r = request_for("test.sleep", APP, 1);
    HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_EXEC, ENOENT));
    HM_CHECK(file_contains(d.err, "cold start is unavailable"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void silent_child_times_out_and_is_killed(void)
{
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--spawn-timeout-ms", "300", NULL), 0);
    ClientSocket *client = client_for(&d);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", staged.hang, cold);
        uint64_t start = now_ms();
        HM_CHECK_INT_EQ(spawn(client, &r), -ETIMEDOUT);
        uint64_t took = now_ms() - start;
        HM_CHECK(took >= 290 && took < 3000);
        HM_CHECK(wait_for_children(&d, client, 0));
    }
    HM_CHECK(file_contains(d.err, "did not report within 300 ms: killing it"));
    HM_CHECK(file_contains(d.err, "was killed by signal 9"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static long cpu_ticks(pid_t pid)
{
    char path[64], text[1024];
    unsigned long user = 0, system = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *end = read_file(path, text, sizeof text) ? strrchr(text, ')') : NULL;
    if (end == NULL || sscanf(end + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user, &system) != 2)
        return -1;
    return (long)(user + system);
}

/* A client that hangs up while its spawn is in progress: the daemon neither spins on the hang-up nor loses the
 * child; the spawn runs to its end (here its timeout) unanswered. */
static void client_gone_during_a_spawn_costs_nothing(void)
{
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--spawn-timeout-ms", "1500", NULL), 0);
    ClientSocket *client = client_for(&d);
    hm_spawn_request r = request_for("test.sleep", staged.hang, 0);
    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&r, message, sizeof message, &length, NULL), 0);
    HM_CHECK_INT_EQ(WriteSocketMessage(client, message, (int)length), (int)length);
    sleep_ms(100);
    CloseClient(client);
    long before = cpu_ticks(d.pid);
    sleep_ms(800);
    long used = cpu_ticks(d.pid) - before;
    HM_CHECK(before >= 0 && used <= 10); /* 800 ms of a spinning loop would be about 80 ticks */
    HM_CHECK(wait_for_line(d.err, "did not report within 1500 ms: killing it", 3000) != NULL);
    client = client_for(&d);
    HM_CHECK(wait_for_children(&d, client, 0));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

/* Runs a client as `uid` (a forked child that drops to it, as setpriv --reuid --regid --clear-groups would: the
 * daemon sees only the kernel's SO_PEERCRED) and returns what its hm_spawn_app returned, with the reply in
 * *ret_reply. A refused peer is closed at accept: its request may still fit the socket buffer, the reply never
 * comes. */
static int connect_as(const test_daemon *d, uid_t uid, int32_t *ret_reply)
{
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int32_t result[2] = {0, 0};
        ClientSocket *client;
        if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0 ||
            CreateClient(d->socket, &client) < 0 || ConnectSocket(client) < 0)
            _exit(3);
        hm_spawn_request r = request_for("test.exit", APP, 0);
        result[0] = hm_spawn_app(client, &r, &result[1], NULL);
        _exit(write(pipe_fds[1], result, sizeof result) == (ssize_t)sizeof result ? 0 : 4);
    }
    close(pipe_fds[1]);
    int32_t result[2] = {1, 0};
    ssize_t n = read(pipe_fds[0], result, sizeof result);
    close(pipe_fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (n != (ssize_t)sizeof result || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *ret_reply = result[1];
    return result[0];
}

static void peer_outside_the_allow_list_is_refused(void)
{
    int32_t reply = 0;
    int r = connect_as(&main_daemon, NOBODY, &reply);
    HM_CHECK(r == -ECONNRESET || r == -EPIPE);
    char needle[64];
    snprintf(needle, sizeof needle, "uid %d gid %d: uid not allow-listed", NOBODY, NOBODY);
    HM_CHECK(wait_for_line(main_daemon.err, needle, 2000) != NULL);
    ClientSocket *client = client_for(&main_daemon);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK(!file_contains(main_daemon.err, "for peer uid 65534"));
    CloseClient(client);

    /* The same peer, allow-listed as the foundation uid, is served: the refusal above was the allow-list. */
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--foundation-uid", "65534", NULL), 0);
    HM_CHECK_INT_EQ(connect_as(&d, NOBODY, &reply), 0);
    HM_CHECK(reply > 0);
    HM_CHECK(wait_for_line(d.err, "for peer uid 65534", 2000) != NULL);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void lite_request_spawns_and_reports_exact_codes(void)
{
    ClientSocket *client = client_for(&main_daemon);
    int32_t result = 1;
    int64_t pid = 0;
    HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE,
                                  "{\"bundleName\":\"test.probe\",\"identityID\":\"ability-7\",\"uID\":54323,"
                                  "\"gID\":54324,\"capability\":[10,5]}",
                                  &result, &pid),
                    0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_SUCCESS);
    HM_CHECK(pid > 0);
    if (pid > 0) {
        check_status((pid_t)pid, "Uid", "54323\t54323\t54323\t54323");
        check_status((pid_t)pid, "Gid", "54324\t54324\t54324\t54324");
        check_status((pid_t)pid, "Groups", "54324");
        check_status((pid_t)pid, "CapEff", "0000000000000420");
        check_status((pid_t)pid, "CapAmb", "0000000000000420");
        check_status((pid_t)pid, "Name", "test.probe");
        char needle[32];
        snprintf(needle, sizeof needle, "probe %d ", (int)pid);
        const char *line = wait_for_line(main_daemon.out, needle, 5000);
        HM_CHECK(line != NULL && strstr(line, "setuid0=1 ") && strstr(line, "token=0 identity=ability-7"));
        terminate(client, (pid_t)pid);
    }
    static const struct {
        const char *json;
        int32_t result;
    } refused[] = {
        {"{\"bundleName\":\"short\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":0}",
         HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":0,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":[41]}",
         HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\"", HM_SPAWN_EC_PROTOCOL},
        /* One per rule of protocols.md section 4, as appspawn_lite's code path answers the same bytes. */
        {"", HM_SPAWN_EC_FAILURE},
        {"{\"bundleName\":7,\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":[]}", HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test-sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":[],\"uID\":1000,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"\",\"uID\":1000,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"a b\",\"uID\":1000,\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,"
         "\"capability\":[0,1,2,3,4,5,6,7,8,9,10]}",
         HM_SPAWN_EC_INVALID},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":\"1000\",\"gID\":1000,\"capability\":[]}",
         HM_SPAWN_EC_PROTOCOL},
        {"{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"capability\":[]}", HM_SPAWN_EC_PROTOCOL},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE, refused[i].json, &result, &pid), 0);
        HM_CHECK_INT_EQ(result, refused[i].result);
        HM_CHECK_INT_EQ(pid, -1);
    }
    /* A leading UTF-8 byte order mark is skipped, as cJSON skips it. */
    HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE,
                                  "\xef\xbb\xbf{\"bundleName\":\"test.exit\",\"identityID\":\"i\",\"uID\":1000,"
                                  "\"gID\":1000,\"capability\":[]}",
                                  &result, &pid),
                    0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_SUCCESS);
    HM_CHECK(pid > 0);
    HM_CHECK_INT_EQ(hm_spawn_lite(client, 1, "{}", &result, &pid), 0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_BADPTR);
    HM_CHECK_INT_EQ(pid, -1);
    /* A spawn that fails in the child is EC_FAILURE with pid -1 (the log names the step). */
    HM_CHECK_INT_EQ(hm_spawn_lite(client, HM_SPAWN_LITE_FUNC_CREATE,
                                  "{\"bundleName\":\"test.sleep\",\"identityID\":\"i\",\"uID\":1000,\"gID\":1000,"
                                  "\"capability\":[24]}",
                                  &result, &pid),
                    0);
    HM_CHECK_INT_EQ(result, HM_SPAWN_EC_FAILURE);
    HM_CHECK_INT_EQ(pid, -1);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void killed_child_is_reaped(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    int32_t pid = spawn(client, &r);
    HM_CHECK(pid > 0);
    HM_CHECK_INT_EQ(children_count(client), 1);
    HM_CHECK_INT_EQ(kill(pid, SIGKILL), 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK(!process_exists(pid));
    int32_t reply = 0;
    HM_CHECK_INT_EQ(hm_spawn_terminate(client, pid, &reply), 0);
    HM_CHECK_INT_EQ(reply, -ESRCH); /* no longer its child */
    HM_CHECK_INT_EQ(hm_spawn_terminate(client, 0, &reply), 0);
    HM_CHECK_INT_EQ(reply, error_of(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_PID));
    CloseClient(client);
}

/* An idle pre-forked child that dies is reaped and replaced; spawns go on. */
static void killed_idle_pool_child_is_replaced(void)
{
    ClientSocket *client = client_for(&main_daemon);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    char path[64], text[256];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)main_daemon.pid, (int)main_daemon.pid);
    int idle = 0;
    HM_CHECK(read_file(path, text, sizeof text) && sscanf(text, "%d", &idle) == 1);
    HM_CHECK(idle > 0 && kill(idle, SIGKILL) == 0);
    uint64_t deadline = now_ms() + 5000; /* gone only once the daemon has reaped it */
    while (idle > 0 && process_exists(idle) && now_ms() < deadline)
        sleep_ms(2);
    HM_CHECK(!process_exists(idle));
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    hm_spawn_request r = request_for("test.exit", APP, 0);
    for (int i = 0; i < 5; i++)
        HM_CHECK(spawn(client, &r) > 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void thousand_spawns_leave_no_zombie_and_no_fd(void)
{
    ClientSocket *client = client_for(&main_daemon);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    int fds_before = count_fds(main_daemon.pid);
    hm_spawn_request r = request_for("test.exit", APP, 0);
    int failures = 0;
    uint64_t start = now_ms();
    for (int i = 0; i < 1000; i++)
        failures += spawn(client, &r) <= 0;
    printf("  1000 warm spawns in %llu ms\n", (unsigned long long)(now_ms() - start));
    HM_CHECK_INT_EQ(failures, 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK_INT_EQ(count_fds(main_daemon.pid), fds_before);
    CloseClient(client);
}

static void incomplete_message_is_dropped_after_the_read_timeout(void)
{
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--read-timeout-ms", "200", NULL), 0);
    ClientSocket *client = client_for(&d);
    unsigned char half[8] = {'H', 'M', 'S', 'P', 1, 0, 1, 0};
    int32_t reply;
    uint64_t start = now_ms();
    HM_CHECK_INT_EQ(WriteSocketMessage(client, half, sizeof half), (int)sizeof half);
    HM_CHECK_INT_EQ(ReadSocketMessage(client, &reply, 4), -ECONNRESET);
    HM_CHECK(now_ms() - start >= 190);
    HM_CHECK(file_contains(d.err, "message incomplete after 200 ms"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

static void required_selinux_when_off_refuses_to_spawn(void)
{
    if (access("/sys/fs/selinux/enforce", F_OK) == 0) {
        printf("  SKIP: SELinux is enabled on this kernel; this case covers a kernel without it\n");
        return;
    }
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--require-selinux", NULL), 0);
    ClientSocket *client = client_for(&d);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_SELINUX, EOPNOTSUPP));
    HM_CHECK(wait_for_children(&d, client, 0));
    HM_CHECK(file_contains(d.err, "--require-selinux is set"));
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
}

/* Field 22 of /proc/PID/stat, counted independently of the daemon's parser: split after the last ')'. */
static unsigned long long start_time_of(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *p = read_file(path, text, sizeof text) ? strrchr(text, ')') : NULL;
    int field = 2;
    for (char *token = p ? strtok(p + 1, " ") : NULL; token != NULL; token = strtok(NULL, " "))
        if (++field == 22)
            return strtoull(token, NULL, 10);
    return 0;
}

static int entry_count(const char *dir)
{
    DIR *handle = opendir(dir);
    int count = 0;
    struct dirent *entry;
    while (handle && (entry = readdir(handle)) != NULL)
        count += entry->d_name[0] != '.';
    if (handle)
        closedir(handle);
    return handle ? count : -1;
}

/* The access-token table: an entry per ready child, "<token> <starttime>\n", mode 0644, in a directory of mode
 * 0755 owned by the daemon (which was started with umask 0); none for a failed spawn; gone once the child is
 * reaped. */
static void token_table_has_an_entry_per_ready_child(void)
{
    ClientSocket *client = client_for(&main_daemon);
    struct stat st;
    HM_CHECK(stat(main_daemon.tokens, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0755 &&
             st.st_uid == 0);
    for (int cold = 0; cold <= 1; cold++) {
        hm_spawn_request r = request_for("test.sleep", APP, cold);
        r.access_token_id = 0xCAFE0000u + (uint32_t)cold;
        pid_t pid = spawn(client, &r);
        HM_CHECK(pid > 0);
        char path[192], text[128], expected[64];
        snprintf(path, sizeof path, "%s/%d", main_daemon.tokens, (int)pid);
        snprintf(expected, sizeof expected, "%u %llu\n", r.access_token_id, start_time_of(pid));
        HM_CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644 && st.st_uid == 0);
        HM_CHECK(read_file(path, text, sizeof text) != NULL);
        HM_CHECK_STR_EQ(text, expected);
        HM_CHECK_INT_EQ(entry_count(main_daemon.tokens), 1);
        terminate(client, pid);
        HM_CHECK(wait_for_children(&main_daemon, client, 0));
        HM_CHECK(access(path, F_OK) < 0 && errno == ENOENT);
    }
    hm_spawn_request r = request_for("test.sleep", "/nonexistent/libapp.so", 0);
    HM_CHECK_INT_EQ(spawn(client, &r), error_of(HM_SPAWN_STEP_LOAD, ENOENT));
    r = request_for("test.exit", APP, 0); /* ready, then gone at once */
    HM_CHECK(spawn(client, &r) > 0);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    HM_CHECK_INT_EQ(entry_count(main_daemon.tokens), 0);
    CloseClient(client);
}

/* A daemon taking over a table a killed daemon left: the entries of processes that are gone (or whose start time
 * differs: a reused pid) are removed, a live process's entry stays, the mode is set back to 0755. A table that
 * belongs to another uid, or a symbolic link, is refused: the daemon does not start. */
static void token_table_left_by_a_killed_daemon_is_cleaned(void)
{
    char dir[128], path[192], text[64];
    snprintf(dir, sizeof dir, "%s/tokens-left", scratch_dir);
    HM_CHECK(mkdir(dir, 0777) == 0 && chmod(dir, 0777) == 0);
    static const struct {
        const char *name;
        int live, start_time_offset, kept;
    } entries[] = {{"live", 1, 0, 1}, {"reused", 1, 1, 0}, {"gone", 0, 0, 0}};
    pid_t self = getpid();
    pid_t parent = getppid();
    for (size_t i = 0; i < 3; i++) {
        pid_t pid = i == 0 ? self : i == 1 ? parent : 0x3FFFFFF0;
        snprintf(path, sizeof path, "%s/%d", dir, (int)pid);
        FILE *file = fopen(path, "w");
        HM_CHECK(file != NULL);
        if (file == NULL)
            return;
        fprintf(file, "7 %llu\n", start_time_of(pid) + (unsigned)entries[i].start_time_offset);
        fclose(file);
    }
    snprintf(path, sizeof path, "%s/not-a-pid", dir);
    FILE *other = fopen(path, "w");
    if (other)
        fclose(other);
    test_daemon d;
    HM_CHECK_INT_EQ(daemon_start(&d, "--token-dir", dir, NULL), 0);
    /* The socket answers before the table is cleaned; the daemon says "listening" after. */
    HM_CHECK(wait_for_line(d.err, "listening on", 5000) != NULL);
    struct stat st;
    HM_CHECK(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0755);
    snprintf(path, sizeof path, "%s/%d", dir, (int)self);
    HM_CHECK(read_file(path, text, sizeof text) != NULL);
    snprintf(path, sizeof path, "%s/%d", dir, (int)parent);
    HM_CHECK(access(path, F_OK) < 0);
    snprintf(path, sizeof path, "%s/%d", dir, 0x3FFFFFF0);
    HM_CHECK(access(path, F_OK) < 0);
    snprintf(path, sizeof path, "%s/not-a-pid", dir);
    HM_CHECK(access(path, F_OK) == 0); /* not the daemon's to remove */
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
    snprintf(path, sizeof path, "%s/%d", dir, (int)self);
    HM_CHECK(access(path, F_OK) == 0); /* a stop removes the daemon's own children's entries only */

    /* Another uid's directory, and a symbolic link, keep the daemon from starting. */
    HM_CHECK(chown(dir, NOBODY, NOBODY) == 0);
    HM_CHECK(daemon_start(&d, "--token-dir", dir, NULL) < 0);
    HM_CHECK(wait_for_line(d.err, "belongs to another uid", 1000) != NULL);
    remove_dir(d.dir);
    char link[160];
    snprintf(link, sizeof link, "%s/tokens-link", scratch_dir);
    HM_CHECK(symlink(dir, link) == 0);
    HM_CHECK(daemon_start(&d, "--token-dir", link, NULL) < 0);
    HM_CHECK(wait_for_line(d.err, "is not a directory (or is a symbolic link)", 1000) != NULL);
    remove_dir(d.dir);
    unlink(link);
    remove_dir(dir);
}

static void second_daemon_keeps_off_a_live_socket(void)
{
    ClientSocket *client = client_for(&main_daemon);
    hm_spawn_request r = request_for("test.sleep", APP, 0);
    pid_t pid = spawn(client, &r);
    HM_CHECK(pid > 0);
    fflush(NULL);
    pid_t second = fork();
    if (second == 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        dup2(null, 2);
        execl(HM_APPSPAWN_BIN, HM_APPSPAWN_BIN, "--socket", main_daemon.socket, "--token-dir", main_daemon.tokens,
              (char *)NULL);
        _exit(127);
    }
    int status = 0;
    HM_CHECK_INT_EQ(waitpid(second, &status, 0), second);
    HM_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    /* The first one still serves, and its token table is untouched. */
    HM_CHECK_INT_EQ(children_count(client), 1);
    HM_CHECK_INT_EQ(entry_count(main_daemon.tokens), 1);
    terminate(client, pid);
    HM_CHECK(wait_for_children(&main_daemon, client, 0));
    CloseClient(client);
}

static void sigterm_stops_every_child(void)
{
    test_daemon d;
    pid_t pids[6];
    HM_CHECK_INT_EQ(daemon_start(&d, NULL), 0);
    ClientSocket *client = client_for(&d);
    for (int i = 0; i < 6; i++) {
        hm_spawn_request r = request_for("test.sleep", APP, i % 2);
        pids[i] = spawn(client, &r);
        HM_CHECK(pids[i] > 0);
    }
    HM_CHECK_INT_EQ(children_count(client), 6);
    CloseClient(client);
    HM_CHECK_INT_EQ(daemon_stop(&d), 0);
    for (int i = 0; i < 6; i++)
        HM_CHECK(pids[i] > 0 && !process_exists(pids[i]));
    HM_CHECK(access(d.socket, F_OK) < 0);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: the appspawn daemon tests need root (uid %u): they change uids and capabilities\n",
               (unsigned)geteuid());
        return 77;
    }
    strcpy(scratch_dir, "/tmp/hm-appspawn-scratch-XXXXXX");
    if (stage_apps() < 0 || mkdtemp(scratch_dir) == NULL || daemon_start(&main_daemon, NULL) < 0 ||
        daemon_start(&direct_daemon, "--prefork", "0", NULL) < 0) {
        fprintf(stderr, "cannot start %s\n", HM_APPSPAWN_BIN);
        return 1;
    }
    HM_RUN(every_field_reaches_proc_status);
    HM_RUN(every_field_reaches_proc_status_without_prefork);
    HM_RUN(id_and_name_limits_work_for_real);
    HM_RUN(child_cannot_regain_root);
    HM_RUN(invalid_requests_are_refused_before_fork);
    HM_RUN(bad_header_is_answered_then_closed);
    HM_RUN(pipelined_requests_are_answered_in_order);
    HM_RUN(failures_name_their_step_and_are_reaped);
    HM_RUN(failed_spawn_is_never_listed);
    HM_RUN(exec_failure_is_reported_with_its_step);
    HM_RUN(silent_child_times_out_and_is_killed);
    HM_RUN(client_gone_during_a_spawn_costs_nothing);
    HM_RUN(peer_outside_the_allow_list_is_refused);
    HM_RUN(lite_request_spawns_and_reports_exact_codes);
    HM_RUN(killed_child_is_reaped);
    HM_RUN(killed_idle_pool_child_is_replaced);
    HM_RUN(thousand_spawns_leave_no_zombie_and_no_fd);
    HM_RUN(incomplete_message_is_dropped_after_the_read_timeout);
    HM_RUN(required_selinux_when_off_refuses_to_spawn);
    HM_RUN(token_table_has_an_entry_per_ready_child);
    HM_RUN(token_table_left_by_a_killed_daemon_is_cleaned);
    HM_RUN(second_daemon_keeps_off_a_live_socket);
    HM_RUN(sigterm_stops_every_child);
    hm_test_case_failed = hm_test_cases_failed;
    HM_CHECK_INT_EQ(daemon_stop(&main_daemon), 0);
    HM_CHECK_INT_EQ(daemon_stop(&direct_daemon), 0);
    remove_dir(scratch_dir);
    hm_stage_remove(&staged.stage);
    return HM_TEST_SUMMARY();
}
