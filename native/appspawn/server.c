/*
 * The daemon's event loop: one thread, one epoll set holding the listening socket, a signalfd (SIGCHLD, SIGTERM,
 * SIGINT, SIGHUP), every client connection and the report pipe of every spawn in progress.
 *
 * - Peers are checked with SO_PEERCRED when accepted; a uid outside the allow-list is logged and disconnected
 *   before a byte is read, so it can never cause a spawn.
 * - A connection carries one request at a time: while its spawn is in progress or its reply is being written,
 *   the connection is not read, and pipelined requests wait in the socket.
 * - A spawn ends with the child's {READY} report (reply: pid), a failure report (reply: the step and errno), EOF
 *   on the pipe (the child died first: -ECHILD) or its deadline (the child is killed: -ETIMEDOUT).
 * - Children are reaped with a waitpid(-1, WNOHANG) loop on every SIGCHLD: signalfd merges signals, so one
 *   SIGCHLD can stand for many exits (OpenHarmony's zombie fix 0b571fa2).
 * - A child that reports ready gets its entry in the access-token table (tokens.c), unless it was already reaped;
 *   the entry goes when the child is reaped, in the same loop, so it never outlives the pid.
 * - SIGTERM or SIGINT stops the loop; every child is then killed (its whole process group) and reaped.
 * Objects closed while handling a batch of events are freed only after the batch, so a later event of the same
 * batch never touches freed memory.
 */
#include "appspawn.h"

#include <harmonia/ipcio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/spawn/wire.h"

#define MAX_CONNECTIONS 64
#define STOP_REAP_TIMEOUT_MS 5000

enum watch_kind { WATCH_LISTEN, WATCH_SIGNAL, WATCH_CONNECTION, WATCH_REPORT };

typedef struct watch {
    enum watch_kind kind;
} watch;

typedef struct pending pending;

typedef struct connection {
    watch watch; /* first member: epoll data points here */
    int fd;
    pid_t peer_pid;
    uid_t peer_uid;
    int dead;
    unsigned char in[HM_SPAWN_MESSAGE_MAX];
    size_t have;
    size_t length; /* of the message being read, once its header is in */
    uint64_t read_deadline;
    unsigned char *out;
    size_t out_length, out_sent;
    int close_after_write;
    pending *spawn;
    struct connection *next;
} connection;

struct pending {
    watch watch;
    int fd;
    int dead;
    pid_t pid;
    int reaped;
    uint16_t type; /* the request type, which decides the reply format */
    connection *client;
    uint64_t deadline;
    unsigned char report[sizeof(hm_spawn_report)];
    size_t have;
    hm_spawn_request request; /* validated; its strings are logged only through appspawn_escape */
    struct pending *next;
};

/* An idle pre-forked child: the daemon writes one appspawn_dispatch to request_fd; the child reports on report_fd. */
typedef struct pool_child {
    pid_t pid;
    int request_fd;
    int report_fd;
    struct pool_child *next;
} pool_child;

struct appspawn_server {
    appspawn_config config;
    const appspawn_selinux_ops *selinux;
    int selinux_active;
    appspawn_contexts contexts;
    int have_contexts;
    appspawn_process_strings strings;
    int epoll_fd, listen_fd, signal_fd, launcher_fd, launcher_errno;
    watch listen_watch, signal_watch;
    appspawn_children children;
    appspawn_token_table tokens;
    connection *connections;
    size_t connection_count;
    pending *spawns;
    pool_child *pool;
    size_t pool_count;
    connection *dead_connections;
    pending *dead_spawns;
    int stopping;
    int socket_bound;
};

static uint64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void appspawn_signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
}

static int watch_fd(appspawn_server *server, int op, int fd, uint32_t events, watch *w)
{
    struct epoll_event event = {.events = events, .data.ptr = w};
    return epoll_ctl(server->epoll_fd, op, fd, &event) < 0 ? -errno : 0;
}

/* ---- Connections ------------------------------------------------------------------------------------------ */

static void close_connection(appspawn_server *server, connection *c)
{
    if (c->dead)
        return;
    c->dead = 1;
    epoll_ctl(server->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    if (c->spawn)
        c->spawn->client = NULL; /* the child goes on; its outcome is logged, not replied */
    c->spawn = NULL;
    for (connection **p = &server->connections; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    server->connection_count--;
    c->next = server->dead_connections;
    server->dead_connections = c;
}

/* Reads when idle, writes when a reply is queued, neither while a spawn is in progress. */
static void update_interest(appspawn_server *server, connection *c)
{
    if (c->dead)
        return;
    uint32_t events = 0;
    if (c->out_sent < c->out_length)
        events = EPOLLOUT;
    else if (c->spawn == NULL && !c->close_after_write)
        events = EPOLLIN;
    if (watch_fd(server, EPOLL_CTL_MOD, c->fd, events, &c->watch) < 0)
        close_connection(server, c);
}

static void flush_output(appspawn_server *server, connection *c)
{
    while (c->out_sent < c->out_length) {
        ssize_t n = send(c->fd, c->out + c->out_sent, c->out_length - c->out_sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                break;
            close_connection(server, c);
            return;
        }
        c->out_sent += (size_t)n;
    }
    if (c->out_sent == c->out_length) {
        free(c->out);
        c->out = NULL;
        c->out_length = c->out_sent = 0;
        if (c->close_after_write) {
            close_connection(server, c);
            return;
        }
    }
    update_interest(server, c);
}

/* Queues a reply (taking ownership of bytes, which was malloc'ed) and starts writing it. */
static void send_reply(appspawn_server *server, connection *c, unsigned char *bytes, size_t length)
{
    if (c->dead || c->out != NULL) {
        free(bytes);
        return;
    }
    c->out = bytes;
    c->out_length = length;
    c->out_sent = 0;
    flush_output(server, c);
}

static void send_int32(appspawn_server *server, connection *c, int32_t value)
{
    unsigned char *bytes = malloc(4);
    if (bytes == NULL) {
        close_connection(server, c);
        return;
    }
    hm_wire_put_u32(bytes, (uint32_t)value);
    send_reply(server, c, bytes, 4);
}

/* The lite reply: int32 result (EC_*), uint32 data size, then IpcIo data holding one int64 (the pid or -1). */
static void send_lite_reply(appspawn_server *server, connection *c, int32_t result, int64_t pid)
{
    IpcIo io;
    unsigned char *bytes = malloc(HM_SPAWN_LITE_REPLY_SIZE);
    if (bytes == NULL || hm_ipcio_init(&io, bytes + 8, HM_SPAWN_LITE_REPLY_SIZE - 8, NULL, 0) < 0 ||
        !WriteInt64(&io, pid)) {
        free(bytes);
        close_connection(server, c);
        return;
    }
    hm_wire_put_u32(bytes, (uint32_t)result);
    hm_wire_put_u32(bytes + 4, (uint32_t)hm_ipcio_data_length(&io));
    send_reply(server, c, bytes, HM_SPAWN_LITE_REPLY_SIZE);
}

/* ---- Spawns ----------------------------------------------------------------------------------------------- */

static pending *find_spawn(appspawn_server *server, pid_t pid)
{
    for (pending *s = server->spawns; s; s = s->next)
        if (s->pid == pid)
            return s;
    return NULL;
}

/* The log's sentence for a failed spawn: the reply described for this app (the path and uid of a step that could
 * not open one, the launcher of a failed exec), and for a refused access the directory or file that refused it.
 * The request's paths are escaped before they go into the sentence. */
static int describe_failure(const appspawn_server *server, const pending *s, int32_t reply, char *text, size_t size)
{
    const hm_spawn_request *request = &s->request;
    char so_path[APPSPAWN_LOGGED_PATH_SIZE], data_dir[APPSPAWN_LOGGED_PATH_SIZE];
    char launcher[APPSPAWN_LOGGED_PATH_SIZE], described[768], why[768];
    hm_spawn_describe_app(reply, request->uid, appspawn_escape(request->so_path, so_path, sizeof so_path),
                          appspawn_escape(request->data_dir, data_dir, sizeof data_dir), described,
                          sizeof described);
    int step = HM_SPAWN_REPLY_STEP(reply);
    const char *opened = step == HM_SPAWN_STEP_LOAD      ? request->so_path
                         : step == HM_SPAWN_STEP_WORKDIR ? (request->data_dir[0] ? request->data_dir : "/")
                         : step == HM_SPAWN_STEP_EXEC    ? server->config.launcher_path
                                                         : NULL;
    why[0] = '\0';
    if (opened != NULL && HM_SPAWN_REPLY_DETAIL(reply) == EACCES)
        appspawn_explain_access(request, opened, step == HM_SPAWN_STEP_LOAD ? R_OK : X_OK, why, sizeof why);
    if (step == HM_SPAWN_STEP_EXEC)
        return snprintf(text, size, "%s (launcher %s)%s%s", described,
                        appspawn_escape(server->config.launcher_path, launcher, sizeof launcher),
                        why[0] ? ": " : "", why);
    return snprintf(text, size, "%s%s%s", described, why[0] ? ": " : "", why);
}

/* Ends a spawn: the reply (if the client is still there) is `reply`: a pid or a negative error. */
static void finish_spawn(appspawn_server *server, pending *s, int32_t reply)
{
    char text[2304], name[APPSPAWN_LOGGED_PATH_SIZE];
    if (s->dead)
        return;
    s->dead = 1;
    epoll_ctl(server->epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
    close(s->fd);
    s->fd = -1;
    for (pending **p = &server->spawns; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    s->next = server->dead_spawns;
    server->dead_spawns = s;

    appspawn_child *child = appspawn_children_find(&server->children, s->pid);
    if (child)
        child->flags |= reply > 0 ? HM_SPAWN_DUMP_READY : APPSPAWN_CHILD_FAILED;
    appspawn_escape(s->request.process_name, name, sizeof name);
    /* Not for a child already reaped: its pid may belong to another process by now. */
    if (reply > 0 && child != NULL) {
        int r = appspawn_tokens_add(&server->tokens, s->pid, s->request.access_token_id);
        if (r < 0)
            appspawn_log("cannot write the token-table entry of '%s' (pid %d): %s; peers see no token for it", name,
                         (int)s->pid, strerror(-r));
    }
    if (reply <= 0) {
        (void)describe_failure(server, s, reply, text, sizeof text); /* a long sentence is cut, still terminated */
        appspawn_log("spawn of '%s' (pid %d) failed: %s", name, (int)s->pid, text);
    }
    connection *c = s->client;
    if (c == NULL) {
        if (reply > 0)
            appspawn_log("'%s' (pid %d) is ready; its client has gone", name, (int)s->pid);
        return;
    }
    c->spawn = NULL;
    if (s->type == HM_SPAWN_MSG_LITE)
        send_lite_reply(server, c, reply > 0 ? HM_SPAWN_EC_SUCCESS : HM_SPAWN_EC_FAILURE, reply > 0 ? reply : -1);
    else
        send_int32(server, c, reply);
}

static void kill_child(pid_t pid)
{
    /* The child leads its own session and process group, so this also reaches processes it started (unless
     * they left the group). A child that failed before setsid has no group of that id: ESRCH, harmless. */
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

static void read_report(appspawn_server *server, pending *s)
{
    for (;;) {
        ssize_t n = read(s->fd, s->report + s->have, sizeof s->report - s->have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            finish_spawn(server, s, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, ECHILD));
            return;
        }
        s->have += (size_t)n;
        if (s->have < sizeof s->report)
            continue;
        hm_spawn_report report;
        memcpy(&report, s->report, sizeof report);
        s->have = 0;
        if (report.step == HM_SPAWN_STEP_READY && report.err == 0) {
            finish_spawn(server, s, s->pid);
            return;
        }
        if (report.err != 0) {
            int valid = report.step > HM_SPAWN_STEP_REQUEST && report.step < HM_SPAWN_STEP_READY &&
                        report.err > 0 && report.err <= 0xFFFF;
            finish_spawn(server, s,
                         valid ? HM_SPAWN_REPLY_ERROR(report.step, report.err)
                               : HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, EPROTO));
            return;
        }
    }
}

/* The request as a sealed memfd for the cold-start launcher: it cannot change under the launcher, and it is not
 * a ':'-joined argv (OpenHarmony's cold start broke on empty fields and names with ':'). */
static int request_memfd(const hm_spawn_request *request)
{
    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length;
    int r = hm_spawn_record_encode(request, message, sizeof message, &length, NULL);
    if (r < 0)
        return r;
    int fd = memfd_create("harmonia-spawn-request", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -errno;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, message + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r = n < 0 ? -errno : -EIO;
            goto fail;
        }
        done += (size_t)n;
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
        r = -errno;
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return r;
}

/* Forks one idle child for the pool; it prepares itself and waits for a request. */
static void pool_fork(appspawn_server *server)
{
    int request[2] = {-1, -1}, report[2] = {-1, -1};
    pool_child *p = calloc(1, sizeof *p);
    if (p == NULL || pipe2(request, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0 ||
        fcntl(report[0], F_SETFL, O_NONBLOCK) < 0)
        goto fail;
    fflush(NULL); /* nothing buffered may be written twice by a child's exit */
    p->pid = fork();
    if (p->pid < 0)
        goto fail;
    if (p->pid == 0)
        appspawn_pool_child_main(request[0], report[1], server->selinux, server->strings);
    close(request[0]);
    close(report[1]);
    p->request_fd = request[1];
    p->report_fd = report[0];
    p->next = server->pool;
    server->pool = p;
    server->pool_count++;
    return;
fail:
    appspawn_log("cannot pre-fork a child: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        if (request[i] >= 0)
            close(request[i]);
        if (report[i] >= 0)
            close(report[i]);
    }
    free(p);
}

static void pool_child_free(pool_child *p)
{
    if (p->request_fd >= 0)
        close(p->request_fd);
    if (p->report_fd >= 0)
        close(p->report_fd);
    free(p);
}

/* Removes a reaped pool child (killed while idle, or failed while preparing: its report says where). */
static int pool_reaped(appspawn_server *server, pid_t pid)
{
    for (pool_child **link = &server->pool; *link; link = &(*link)->next) {
        pool_child *p = *link;
        if (p->pid != pid)
            continue;
        hm_spawn_report report;
        if (read(p->report_fd, &report, sizeof report) == (ssize_t)sizeof report && report.err != 0)
            appspawn_log("pre-forked child %d failed at step %s: %s", (int)pid, hm_spawn_step_name(report.step),
                         strerror(report.err));
        *link = p->next;
        server->pool_count--;
        pool_child_free(p);
        return 1;
    }
    return 0;
}

/*
 * Hands a warm request to an idle pool child. Returns its pid and moves its report fd to *ret_report_fd, or 0
 * when no pool child took it (none idle, or the one tried had died: the caller forks instead).
 */
static pid_t pool_dispatch(appspawn_server *server, const hm_spawn_request *request, const char *context,
                           int *ret_report_fd)
{
    static appspawn_dispatch dispatch;
    while (server->pool != NULL) {
        pool_child *p = server->pool;
        server->pool = p->next;
        server->pool_count--;
        memset(&dispatch, 0, sizeof dispatch);
        dispatch.request = *request;
        if (context != NULL) {
            dispatch.has_context = 1;
            memcpy(dispatch.context, context, sizeof dispatch.context);
        }
        /* Below PIPE_BUF into an empty pipe: written whole at once, or EPIPE when the child is gone. */
        if (write(p->request_fd, &dispatch, sizeof dispatch) == (ssize_t)sizeof dispatch) {
            pid_t pid = p->pid;
            *ret_report_fd = p->report_fd;
            p->report_fd = -1;
            pool_child_free(p);
            return pid;
        }
        appspawn_log("pre-forked child %d is gone; trying the next", (int)p->pid);
        pool_child_free(p); /* it is reaped as an unknown child */
    }
    return 0;
}

/* Starts a child for a validated request; the reply comes later, from finish_spawn. */
static void spawn(appspawn_server *server, connection *c, const hm_spawn_request *request, uint16_t type)
{
    char context[APPSPAWN_CONTEXT_SIZE], name[APPSPAWN_LOGGED_PATH_SIZE];
    int cold = (request->flags & HM_SPAWN_FLAG_COLD_START) != 0;
    int memfd = -1, pipe_fds[2] = {-1, -1};
    int32_t error;
    pending *s = NULL;

    if (server->children.count >= server->children.capacity) {
        error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, EAGAIN);
        goto refuse;
    }
    /* The label is worked out before the fork, so a bad apl is refused without creating a process. */
    if (server->selinux_active) {
        if (appspawn_selinux_context(server->have_contexts ? &server->contexts : NULL, request->apl,
                                     request->process_name, context, sizeof context) < 0) {
            error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_SELINUX, EINVAL);
            goto refuse;
        }
    } else if (server->config.selinux_mode == APPSPAWN_SELINUX_REQUIRE) {
        error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_SELINUX, EOPNOTSUPP);
        goto refuse;
    }
    if (cold && server->launcher_fd < 0) {
        error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_EXEC, server->launcher_errno);
        goto refuse;
    }
    s = calloc(1, sizeof *s);
    if (s == NULL) {
        error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, ENOMEM);
        goto refuse;
    }
    if (cold) {
        memfd = request_memfd(request);
        if (memfd < 0) {
            error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, -memfd);
            goto refuse;
        }
    }
    int report_fd = -1;
    pid_t pid = cold || server->config.prefork == 0 ? 0
                                                    : pool_dispatch(server, request,
                                                                    server->selinux_active ? context : NULL,
                                                                    &report_fd);
    int pooled = pid > 0;
    if (pooled) {
        pipe_fds[0] = report_fd;
    } else {
        if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
            error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, errno);
            goto refuse;
        }
        appspawn_child_args args = {
            .request = request,
            .report_fd = pipe_fds[1],
            .request_memfd = memfd,
            .launcher_fd = server->launcher_fd,
            .selinux_context = server->selinux_active ? context : NULL,
            .selinux = server->selinux,
            .strings = server->strings,
        };
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
            error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, errno);
            goto refuse;
        }
        if (pid == 0)
            appspawn_child_main(&args);
        close(pipe_fds[1]);
    }
    if (memfd >= 0)
        close(memfd);
    /* Cannot fail: the count was checked above and nothing else adds. */
    (void)appspawn_children_add(&server->children, pid, (uid_t)request->uid, cold ? HM_SPAWN_DUMP_COLD : 0,
                                request->process_name);
    s->watch.kind = WATCH_REPORT;
    s->fd = pipe_fds[0];
    s->pid = pid;
    s->type = type;
    s->client = c;
    s->deadline = monotonic_ms() + server->config.spawn_timeout_ms;
    s->request = *request;
    s->next = server->spawns;
    server->spawns = s;
    c->spawn = s;
    if (watch_fd(server, EPOLL_CTL_ADD, s->fd, EPOLLIN, &s->watch) < 0) {
        kill_child(pid);
        finish_spawn(server, s, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, EIO));
        return;
    }
    appspawn_log("spawning '%s' as pid %d: uid %d gid %d groups %u caps 0x%llx token %u, %s start, for peer "
                 "uid %u pid %d%s",
                 appspawn_escape(request->process_name, name, sizeof name), (int)pid, (int)request->uid,
                 (int)request->gid, request->gid_count, (unsigned long long)request->capabilities,
                 request->access_token_id,
                 cold ? "cold" : pooled ? "warm (pre-forked)" : "warm",
                 (unsigned)c->peer_uid, (int)c->peer_pid,
                 server->selinux_active ? "" : "; SELinux is off, no label applied");
    update_interest(server, c);
    return;

refuse:
    if (pipe_fds[0] >= 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
    }
    if (memfd >= 0)
        close(memfd);
    free(s);
    {
        char text[192];
        hm_spawn_describe(error, text, sizeof text);
        appspawn_log("refused to spawn '%s' for peer uid %u: %s",
                     appspawn_escape(request->process_name, name, sizeof name), (unsigned)c->peer_uid, text);
    }
    if (type == HM_SPAWN_MSG_LITE)
        send_lite_reply(server, c, HM_SPAWN_EC_FAILURE, -1);
    else
        send_int32(server, c, error);
}

/* ---- Requests --------------------------------------------------------------------------------------------- */

static void handle_terminate(appspawn_server *server, connection *c)
{
    int32_t pid = (int32_t)hm_wire_get_u32(c->in + HM_SPAWN_HEADER_SIZE);
    if (pid <= 0) {
        send_int32(server, c, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_PID));
        return;
    }
    appspawn_child *child = appspawn_children_find(&server->children, pid);
    if (child == NULL || (child->flags & APPSPAWN_CHILD_FAILED)) {
        send_int32(server, c, -ESRCH);
        return;
    }
    char name[APPSPAWN_LOGGED_PATH_SIZE];
    appspawn_log("terminating '%s' (pid %d) for peer uid %u", appspawn_escape(child->name, name, sizeof name),
                 (int)pid, (unsigned)c->peer_uid);
    kill_child(pid);
    send_int32(server, c, 0);
}

static void handle_dump(appspawn_server *server, connection *c)
{
    size_t count = 0;
    for (size_t i = 0; i < server->children.capacity; i++)
        if (server->children.slots[i].pid != 0 && !(server->children.slots[i].flags & APPSPAWN_CHILD_FAILED))
            count++;
    size_t length = HM_SPAWN_DUMP_HEADER_SIZE + count * HM_SPAWN_DUMP_ENTRY_SIZE;
    unsigned char *bytes = calloc(1, length);
    if (bytes == NULL) {
        close_connection(server, c);
        return;
    }
    hm_wire_put_u32(bytes, (uint32_t)length);
    hm_wire_put_u32(bytes + 4, (uint32_t)count);
    unsigned char *entry = bytes + HM_SPAWN_DUMP_HEADER_SIZE;
    for (size_t i = 0; i < server->children.capacity; i++) {
        const appspawn_child *child = &server->children.slots[i];
        if (child->pid == 0 || (child->flags & APPSPAWN_CHILD_FAILED))
            continue;
        hm_wire_put_u32(entry, (uint32_t)child->pid);
        hm_wire_put_u32(entry + 4, (uint32_t)child->uid);
        hm_wire_put_u64(entry + 8, child->start_time_ms);
        hm_wire_put_u32(entry + 16, child->flags);
        memcpy(entry + 24, child->name, HM_SPAWN_NAME_SIZE);
        entry += HM_SPAWN_DUMP_ENTRY_SIZE;
    }
    send_reply(server, c, bytes, length);
}

static void handle_app_property(appspawn_server *server, connection *c)
{
    hm_spawn_request request;
    uint32_t field = 0;
    if (hm_spawn_record_decode(c->in, c->length, &request, &field) < 0) {
        int32_t error = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_REQUEST, field);
        char text[192];
        hm_spawn_describe(error, text, sizeof text);
        appspawn_log("refused a request from peer uid %u pid %d: %s", (unsigned)c->peer_uid, (int)c->peer_pid,
                     text);
        send_int32(server, c, error);
        return;
    }
    spawn(server, c, &request, HM_SPAWN_MSG_APP_PROPERTY);
}

/* A lite request becomes a standard one: the bundle name is also the process name, the gid the only
 * supplementary group, the configured --lite-so the library, and the start is warm. */
static void lite_to_request(const hm_spawn_lite_message *message, const char *so_path, hm_spawn_request *request)
{
    memset(request, 0, sizeof *request);
    request->uid = message->uid;
    request->gid = message->gid;
    request->gid_count = 1;
    request->gids[0] = message->gid;
    for (uint32_t i = 0; i < message->cap_count; i++)
        request->capabilities |= UINT64_C(1) << message->caps[i];
    memcpy(request->process_name, message->bundle_name, sizeof message->bundle_name);
    memcpy(request->bundle_name, message->bundle_name, sizeof message->bundle_name);
    memcpy(request->identity_id, message->identity_id, sizeof message->identity_id);
    memcpy(request->so_path, so_path, strnlen(so_path, sizeof request->so_path - 1)); /* checked at start */
}

static void handle_lite(appspawn_server *server, connection *c)
{
    uint32_t func_id = hm_wire_get_u32(c->in + HM_SPAWN_LITE_OFF_FUNC_ID);
    uint32_t data_size = hm_wire_get_u32(c->in + HM_SPAWN_LITE_OFF_DATA_SIZE);
    hm_spawn_lite_message message;
    hm_spawn_request request;
    char text[160];
    size_t length = 0;
    IpcIo io;
    int32_t result;

    if (data_size != c->length - HM_SPAWN_LITE_OFF_DATA) {
        snprintf(text, sizeof text, "data size %u does not match the message length %zu", data_size, c->length);
        result = HM_SPAWN_EC_INVALID;
        goto refuse;
    }
    if (func_id != HM_SPAWN_LITE_FUNC_CREATE) {
        snprintf(text, sizeof text, "funcId %u, only %u (create) exists", func_id, HM_SPAWN_LITE_FUNC_CREATE);
        result = HM_SPAWN_EC_BADPTR;
        goto refuse;
    }
    const char *json = NULL;
    if (hm_ipcio_init_reader(&io, c->in + HM_SPAWN_LITE_OFF_DATA, data_size, NULL, 0) == 0)
        json = (const char *)ReadString(&io, &length);
    if (json == NULL || length == 0) {
        snprintf(text, sizeof text, "the IpcIo data holds no string");
        result = HM_SPAWN_EC_FAILURE; /* appspawn_lite's GetMessageSt: no data is EC_FAILURE */
        goto refuse;
    }
    result = hm_spawn_lite_parse(json, length, &message, text, sizeof text);
    if (result != HM_SPAWN_EC_SUCCESS)
        goto refuse;
    if (server->config.lite_so_path == NULL) {
        snprintf(text, sizeof text, "no --lite-so is configured, so lite requests have no app library");
        result = HM_SPAWN_EC_FAILURE;
        goto refuse;
    }
    lite_to_request(&message, server->config.lite_so_path, &request);
    spawn(server, c, &request, HM_SPAWN_MSG_LITE);
    return;
refuse:
    appspawn_log("refused a lite request from peer uid %u pid %d (result %d): %s", (unsigned)c->peer_uid,
                 (int)c->peer_pid, (int)result, text);
    send_lite_reply(server, c, result, -1);
}

static void handle_message(appspawn_server *server, connection *c)
{
    switch (hm_wire_get_u16(c->in + HM_SPAWN_OFF_TYPE)) {
    case HM_SPAWN_MSG_APP_PROPERTY:
        handle_app_property(server, c);
        break;
    case HM_SPAWN_MSG_LITE:
        handle_lite(server, c);
        break;
    case HM_SPAWN_MSG_TERMINATE:
        handle_terminate(server, c);
        break;
    default:
        handle_dump(server, c);
        break;
    }
}

static void read_input(appspawn_server *server, connection *c)
{
    while (!c->dead && c->spawn == NULL && c->out == NULL && !c->close_after_write) {
        size_t need = c->have < HM_SPAWN_HEADER_SIZE ? HM_SPAWN_HEADER_SIZE : c->length;
        ssize_t n = recv(c->fd, c->in + c->have, need - c->have, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0) {
            if (c->have > 0)
                appspawn_log("peer uid %u pid %d closed the connection in the middle of a message",
                             (unsigned)c->peer_uid, (int)c->peer_pid);
            close_connection(server, c);
            return;
        }
        if (c->have == 0)
            c->read_deadline = monotonic_ms() + server->config.read_timeout_ms;
        c->have += (size_t)n;
        if (c->have == HM_SPAWN_HEADER_SIZE && c->length == 0) {
            uint16_t type;
            uint32_t length, field = 0;
            if (hm_spawn_header_decode(c->in, c->have, &type, &length, &field) == 0)
                c->length = length;
            if (field != 0) {
                appspawn_log("refused a message from peer uid %u pid %d: bad header field %s; closing",
                             (unsigned)c->peer_uid, (int)c->peer_pid, hm_spawn_field_name((int)field));
                c->close_after_write = 1;
                c->read_deadline = 0;
                send_int32(server, c, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_REQUEST, field));
                return;
            }
        }
        if (c->length != 0 && c->have == c->length) {
            c->read_deadline = 0;
            handle_message(server, c);
            /* A warm child is a fork of the daemon: it must not find this client's request in its copy. */
            memset(c->in, 0, c->length);
            c->have = 0;
            c->length = 0;
        }
    }
    update_interest(server, c);
}

/* ---- Accepting and reaping ----------------------------------------------------------------------------------- */

static int uid_allowed(const appspawn_server *server, uid_t uid)
{
    for (size_t i = 0; i < server->config.allowed_count; i++)
        if (server->config.allowed_uids[i] == uid)
            return 1;
    return 0;
}

static void accept_connections(appspawn_server *server)
{
    for (;;) {
        int fd = accept4(server->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                appspawn_log("accept failed: %s", strerror(errno));
            return;
        }
        struct ucred peer;
        socklen_t size = sizeof peer;
        /* Identity comes from the kernel at accept time, never from message bytes. */
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) < 0 || size != sizeof peer) {
            appspawn_log("refused a connection: no peer credentials");
            close(fd);
            continue;
        }
        if (!uid_allowed(server, peer.uid)) {
            appspawn_log("refused a connection from pid %d uid %u gid %u: uid not allow-listed", (int)peer.pid,
                         (unsigned)peer.uid, (unsigned)peer.gid);
            close(fd);
            continue;
        }
        if (server->connection_count >= MAX_CONNECTIONS) {
            appspawn_log("refused a connection from pid %d uid %u: %d connections open", (int)peer.pid,
                         (unsigned)peer.uid, MAX_CONNECTIONS);
            close(fd);
            continue;
        }
        connection *c = calloc(1, sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->watch.kind = WATCH_CONNECTION;
        c->fd = fd;
        c->peer_pid = peer.pid;
        c->peer_uid = peer.uid;
        if (watch_fd(server, EPOLL_CTL_ADD, fd, EPOLLIN, &c->watch) < 0) {
            close(fd);
            free(c);
            continue;
        }
        c->next = server->connections;
        server->connections = c;
        server->connection_count++;
    }
}

static void reap(appspawn_server *server)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return;
        if (pool_reaped(server, pid))
            continue;
        appspawn_child *child = appspawn_children_find(&server->children, pid);
        char name[APPSPAWN_LOGGED_PATH_SIZE];
        appspawn_escape(child ? child->name : "?", name, sizeof name);
        if (WIFSIGNALED(status))
            appspawn_log("'%s' (pid %d) was killed by signal %d", name, (int)pid, WTERMSIG(status));
        else
            appspawn_log("'%s' (pid %d) exited with status %d", name, (int)pid, WEXITSTATUS(status));
        pending *s = find_spawn(server, pid);
        if (s)
            s->reaped = 1; /* its pid may be reused now: never kill it from the deadline */
        if (child)
            appspawn_tokens_remove(&server->tokens, pid);
        appspawn_children_remove(&server->children, pid);
    }
}

static void read_signals(appspawn_server *server)
{
    struct signalfd_siginfo info;
    for (;;) {
        ssize_t n = read(server->signal_fd, &info, sizeof info);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof info)
            return;
        switch (info.ssi_signo) {
        case SIGCHLD:
            reap(server);
            break;
        case SIGTERM:
        case SIGINT:
            appspawn_log("signal %u: stopping", info.ssi_signo);
            server->stopping = 1;
            break;
        default:
            break; /* SIGHUP: nothing to reload */
        }
    }
}

/* ---- Deadlines ------------------------------------------------------------------------------------------------ */

static int next_timeout(const appspawn_server *server)
{
    uint64_t now = monotonic_ms(), next = UINT64_MAX;
    for (const pending *s = server->spawns; s; s = s->next)
        if (s->deadline < next)
            next = s->deadline;
    for (const connection *c = server->connections; c; c = c->next)
        if (c->read_deadline != 0 && c->read_deadline < next)
            next = c->read_deadline;
    if (next == UINT64_MAX)
        return -1;
    return next <= now ? 0 : (int)(next - now > INT_MAX ? INT_MAX : next - now);
}

static void expire(appspawn_server *server)
{
    uint64_t now = monotonic_ms();
    for (pending *s = server->spawns, *next; s; s = next) {
        next = s->next;
        if (s->deadline > now)
            continue;
        char name[APPSPAWN_LOGGED_PATH_SIZE];
        appspawn_log("'%s' (pid %d) did not report within %u ms: killing it",
                     appspawn_escape(s->request.process_name, name, sizeof name), (int)s->pid,
                     server->config.spawn_timeout_ms);
        if (!s->reaped)
            kill_child(s->pid);
        finish_spawn(server, s, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, ETIMEDOUT));
    }
    for (connection *c = server->connections, *next; c; c = next) {
        next = c->next;
        if (c->read_deadline != 0 && c->read_deadline <= now) {
            appspawn_log("closing the connection of peer uid %u pid %d: message incomplete after %u ms",
                         (unsigned)c->peer_uid, (int)c->peer_pid, server->config.read_timeout_ms);
            close_connection(server, c);
        }
    }
}

static void free_dead(appspawn_server *server)
{
    while (server->dead_connections) {
        connection *c = server->dead_connections;
        server->dead_connections = c->next;
        free(c->out);
        free(c);
    }
    while (server->dead_spawns) {
        pending *s = server->dead_spawns;
        server->dead_spawns = s->next;
        free(s);
    }
}

/* ---- Life cycle ------------------------------------------------------------------------------------------------ */

static int open_socket(appspawn_server *server)
{
    const char *path = server->config.socket_path;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    size_t length = strlen(path);
    if (length >= sizeof address.sun_path)
        return -ENAMETOOLONG;
    memcpy(address.sun_path, path, length + 1);

    /* The default lives in /run/harmonia; create that one level if it is missing. */
    char directory[sizeof address.sun_path];
    memcpy(directory, path, length + 1);
    char *slash = strrchr(directory, '/');
    if (slash && slash != directory) {
        *slash = '\0';
        if (mkdir(directory, 0755) < 0 && errno != EEXIST)
            return -errno;
    }

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        struct stat st;
        if (errno != EADDRINUSE)
            goto fail;
        /* Something is there. A daemon that answers keeps its socket; a file that is not a socket is not ours
         * to delete; a socket nobody answers on is stale. */
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int live = probe >= 0 && connect(probe, (struct sockaddr *)&address, sizeof address) == 0;
        if (probe >= 0)
            close(probe);
        if (live || lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
            close(fd);
            return -EADDRINUSE;
        }
        if (unlink(path) < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) < 0)
            goto fail;
    }
    server->socket_bound = 1;
    if (chmod(path, server->config.socket_mode) < 0 || listen(fd, 64) < 0)
        goto fail;
    return fd;
fail: {
    int r = -errno;
    close(fd);
    return r;
}
}

int appspawn_server_create(const appspawn_config *config, const appspawn_selinux_ops *selinux,
                           appspawn_process_strings strings, appspawn_server **ret_server)
{
    sigset_t signals;
    int r;
    appspawn_server *server = calloc(1, sizeof *server);
    if (server == NULL)
        return -ENOMEM;
    server->config = *config;
    server->strings = strings;
    server->epoll_fd = server->listen_fd = server->signal_fd = server->launcher_fd = -1;
    server->tokens.dir_fd = -1;
    server->selinux = selinux ? selinux : appspawn_selinux_system();
    server->selinux_active = server->selinux->is_enabled();
    r = appspawn_children_init(&server->children, config->max_children);
    if (r < 0)
        goto fail;

    if (config->selinux_contexts_path) {
        unsigned line = 0;
        r = appspawn_contexts_load(&server->contexts, config->selinux_contexts_path, &line);
        if (r < 0) {
            appspawn_log("cannot use --selinux-contexts %s: %s%s%u", config->selinux_contexts_path,
                         r == -EINVAL ? "bad rule" : strerror(-r), r == -EINVAL ? " at line " : "",
                         r == -EINVAL ? line : 0);
            goto fail;
        }
        server->have_contexts = 1;
    }
    if (!server->selinux_active)
        appspawn_log(config->selinux_mode == APPSPAWN_SELINUX_REQUIRE
                         ? "SELinux is off and --require-selinux is set: every spawn will be refused"
                         : "SELinux is off: apps start without a label");

    /* Opened now, as root, so the launcher's directories need not be searchable by the apps' uids. */
    server->launcher_fd = open(config->launcher_path, O_PATH | O_CLOEXEC);
    if (server->launcher_fd < 0) {
        server->launcher_errno = errno;
        appspawn_log("cold start is unavailable: launcher %s: %s", config->launcher_path, strerror(errno));
    }

    appspawn_signal_set(&signals);
    server->signal_fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    server->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (server->signal_fd < 0 || server->epoll_fd < 0) {
        r = -errno;
        goto fail;
    }
    server->listen_fd = open_socket(server);
    if (server->listen_fd < 0) {
        r = server->listen_fd;
        appspawn_log("cannot listen on %s: %s", config->socket_path,
                     r == -EADDRINUSE ? "another daemon is serving it" : strerror(-r));
        goto fail;
    }
    server->listen_watch.kind = WATCH_LISTEN;
    server->signal_watch.kind = WATCH_SIGNAL;
    if ((r = watch_fd(server, EPOLL_CTL_ADD, server->listen_fd, EPOLLIN, &server->listen_watch)) < 0 ||
        (r = watch_fd(server, EPOLL_CTL_ADD, server->signal_fd, EPOLLIN, &server->signal_watch)) < 0)
        goto fail;
    /* After the socket: a second daemon that finds a live one leaves the token table alone as well. */
    r = appspawn_tokens_open(&server->tokens, config->token_dir);
    if (r < 0) {
        appspawn_log("cannot use --token-dir %s: %s", config->token_dir,
                     r == -EPERM     ? "it belongs to another uid"
                     : r == -ENOTDIR ? "it is not a directory (or is a symbolic link)"
                                     : strerror(-r));
        goto fail;
    }
    *ret_server = server;
    return 0;
fail:
    appspawn_server_free(server);
    return r;
}

static void stop_all(appspawn_server *server)
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGCHLD);
    appspawn_log("stopping %zu children (and %zu pre-forked)", server->children.count, server->pool_count);
    for (size_t i = 0; i < server->children.capacity; i++)
        if (server->children.slots[i].pid != 0)
            kill_child(server->children.slots[i].pid);
    for (pool_child *p = server->pool; p; p = p->next)
        kill(p->pid, SIGKILL);
    uint64_t deadline = monotonic_ms() + STOP_REAP_TIMEOUT_MS;
    reap(server);
    while (server->children.count > 0 || server->pool_count > 0) {
        uint64_t now = monotonic_ms();
        if (now >= deadline) {
            appspawn_log("%zu children did not die within %d ms", server->children.count, STOP_REAP_TIMEOUT_MS);
            break;
        }
        uint64_t wait = deadline - now < 100 ? deadline - now : 100;
        struct timespec timeout = {0, (long)wait * 1000000L};
        sigtimedwait(&signals, NULL, &timeout); /* SIGCHLD is blocked: wait for it here, then reap */
        reap(server);
    }
    for (pending *s = server->spawns, *next; s; s = next) {
        next = s->next;
        finish_spawn(server, s, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, ESHUTDOWN));
    }
    appspawn_tokens_close(&server->tokens, &server->children);
}

int appspawn_server_run(appspawn_server *server)
{
    struct epoll_event events[32];
    appspawn_log("listening on %s", server->config.socket_path);
    while (!server->stopping) {
        /* Refill the pool only while no spawn is in flight, so the forks never delay a child being started;
         * one fork per turn, so new requests are looked at in between. */
        int refill = server->spawns == NULL && server->pool_count < server->config.prefork;
        if (refill)
            pool_fork(server);
        int n = epoll_wait(server->epoll_fd, events, 32,
                           refill && server->pool_count < server->config.prefork ? 0 : next_timeout(server));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int r = -errno;
            appspawn_log("epoll_wait failed: %s", strerror(errno));
            stop_all(server);
            return r;
        }
        for (int i = 0; i < n; i++) {
            watch *w = events[i].data.ptr;
            switch (w->kind) {
            case WATCH_LISTEN:
                accept_connections(server);
                break;
            case WATCH_SIGNAL:
                read_signals(server);
                break;
            case WATCH_REPORT: {
                pending *s = (pending *)w;
                if (!s->dead)
                    read_report(server, s);
                break;
            }
            case WATCH_CONNECTION: {
                connection *c = (connection *)w;
                if (c->dead)
                    break;
                if (events[i].events & EPOLLOUT)
                    flush_output(server, c);
                else if (events[i].events & EPOLLIN)
                    read_input(server, c); /* also reads what came before a hang-up, then sees the EOF */
                else if (events[i].events & (EPOLLHUP | EPOLLERR))
                    close_connection(server, c); /* gone while not being read: its spawn goes on unanswered */
                break;
            }
            }
        }
        expire(server);
        free_dead(server);
    }
    stop_all(server);
    free_dead(server);
    appspawn_log("stopped");
    return 0;
}

void appspawn_server_free(appspawn_server *server)
{
    if (server == NULL)
        return;
    while (server->connections)
        close_connection(server, server->connections);
    for (pending *s = server->spawns, *next; s; s = next) {
        next = s->next;
        s->client = NULL;
        finish_spawn(server, s, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, ESHUTDOWN));
    }
    while (server->pool) {
        pool_child *p = server->pool;
        server->pool = p->next;
        kill(p->pid, SIGKILL); /* only reached when run() did not stop them (a failed start) */
        pool_child_free(p);
    }
    free_dead(server);
    if (server->listen_fd >= 0)
        close(server->listen_fd);
    if (server->socket_bound)
        unlink(server->config.socket_path);
    if (server->signal_fd >= 0)
        close(server->signal_fd);
    if (server->epoll_fd >= 0)
        close(server->epoll_fd);
    if (server->launcher_fd >= 0)
        close(server->launcher_fd);
    appspawn_tokens_close(&server->tokens, &server->children);
    appspawn_children_free(&server->children);
    free(server);
}
