/*
 * harmonia-appspawn internals: configuration, logging, the children table, the SELinux label path, the child's
 * steps and the server loop. Linked into the daemon and its tests (not part of libharmonia's ABI).
 */
#ifndef HARMONIA_APPSPAWN_H
#define HARMONIA_APPSPAWN_H

#include <harmonia/spawn.h>

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- Configuration (command line: harmonia-appspawn --help) --------------------------------------------- */

#define APPSPAWN_MAX_ALLOWED_UIDS 16

typedef enum appspawn_selinux_mode {
    APPSPAWN_SELINUX_AUTO = 0, /* apply labels when SELinux is enabled; when it is off, skip with a log line */
    APPSPAWN_SELINUX_REQUIRE   /* refuse to spawn when SELinux is off */
} appspawn_selinux_mode;

typedef struct appspawn_config {
    const char *socket_path;
    unsigned socket_mode;
    uid_t allowed_uids[APPSPAWN_MAX_ALLOWED_UIDS]; /* root first, then every --foundation-uid */
    size_t allowed_count;
    const char *launcher_path;
    const char *lite_so_path;   /* the app library lite requests start (they carry no soPath) */
    unsigned spawn_timeout_ms;  /* a child that has not reported by then is killed */
    unsigned read_timeout_ms;   /* a connection that stops in the middle of a message is closed */
    unsigned max_children;
    unsigned prefork;           /* idle pre-forked children kept for warm starts (0: fork per request) */
    appspawn_selinux_mode selinux_mode;
    const char *selinux_contexts_path;
    const char *token_dir;      /* the access-token table (default APPSPAWN_DEFAULT_TOKEN_DIR) */
} appspawn_config;

#define APPSPAWN_DEFAULT_TOKEN_DIR "/run/harmonia/tokens"

/* Fills defaults, then applies argv. Returns 0, 1 when --help was printed, or -EINVAL after printing why. */
int appspawn_config_parse(appspawn_config *config, int argc, char **argv);

/* ---- Logging (stderr, one line per event) ---------------------------------------------------------------- */

__attribute__((format(printf, 1, 2))) void appspawn_log(const char *format, ...);

/*
 * Every string a request supplies (or that holds one, such as the loader's message about soPath) is logged through
 * this: bytes outside printable ASCII, the backslash and the quote become \n, \t, \\, \' or \xNN, so a request can
 * never start a log line of its own or send a terminal escape. Writes into buf (always terminated when size > 0,
 * cut with "..." when it does not fit) and returns buf; NULL text reads as "(null)".
 */
const char *appspawn_escape(const char *text, char *buf, size_t size);

/* The buffer a request's name or path is escaped into for a log line (longer ones are cut with "..."). */
#define APPSPAWN_LOGGED_PATH_SIZE 512

/* ---- SELinux ------------------------------------------------------------------------------------------------
 * libselinux is loaded at run time (dlopen), only when the kernel has SELinux enabled, so the daemon has no
 * link-time dependency and cross builds need no libselinux. The operations are a seam: tests install their own
 * to exercise the label path on a kernel where SELinux is off.
 */
typedef struct appspawn_selinux_ops {
    int (*is_enabled)(void);              /* 1 when labels can be applied */
    int (*setcon)(const char *context);   /* 0, or -1 with errno */
} appspawn_selinux_ops;

/* The operations backed by libselinux.so.1 when it loads and reports SELinux enabled; otherwise operations whose
 * is_enabled returns 0. */
const appspawn_selinux_ops *appspawn_selinux_system(void);

/* Opens libselinux.so.1 and asks it whether SELinux is enabled: 1, 0, or -ENOENT when it cannot be loaded. */
int appspawn_selinux_library_probe(void);

#define APPSPAWN_CONTEXT_SIZE 256
#define APPSPAWN_MAX_CONTEXT_RULES 64

typedef struct appspawn_context_rule {
    char apl[HM_SPAWN_APL_SIZE];
    char name[HM_SPAWN_NAME_SIZE]; /* empty: any process name */
    char domain[64];
} appspawn_context_rule;

typedef struct appspawn_contexts {
    appspawn_context_rule rules[APPSPAWN_MAX_CONTEXT_RULES];
    size_t count;
} appspawn_contexts;

/*
 * Reads rules in OpenHarmony's sehap_contexts form, one per line: "apl=<apl> [name=<processName>] domain=<domain>"
 * ('#' comments and blank lines allowed; other keys such as type= are ignored). Returns 0 or -errno/-EINVAL (the
 * line number goes to *reterr_line).
 */
int appspawn_contexts_load(appspawn_contexts *contexts, const char *path, unsigned *reterr_line);

/*
 * The label for a process: "u:r:<domain>:s0". The domain comes from the first rule matching both apl and
 * processName, else the first rule for the apl without a name, else the built-in default: "normal" (or an empty
 * apl) -> normal_hap, "system_basic" -> system_basic_hap, "system_core" -> system_core_hap. Returns 0, or -EINVAL
 * for an apl nothing maps.
 */
int appspawn_selinux_context(const appspawn_contexts *contexts, const char *apl, const char *process_name,
                             char *buf, size_t size);

/* ---- The child ---------------------------------------------------------------------------------------------- */

/* ---- The process's own strings --------------------------------------------------------------------------
 * The memory the kernel filled with the daemon's argv and environment strings at exec, which it shows as
 * /proc/PID/cmdline and /proc/PID/environ. A child overwrites both: its process name, and its environment
 * (environment.c), so nothing of the daemon's shows there.
 */
typedef struct appspawn_area {
    char *start;
    size_t size;
} appspawn_area;

typedef struct appspawn_process_strings {
    appspawn_area argv;
    appspawn_area env;
} appspawn_process_strings;

/* The areas of argv (argc strings) and envp (NULL-terminated), as they are when main() starts. */
appspawn_process_strings appspawn_process_strings_of(int argc, char **argv, char **envp);

/* The size of the largest app environment (docs/protocols.md, section 7): the daemon's own environment area
 * must be at least this large, or the daemon re-executes itself with appspawn_environment_reserve(). */
size_t appspawn_environment_size_max(void);
/* An environment of exactly appspawn_environment_size_max() bytes: the apps' variables, token 0 written as wide
 * as the widest id. Static storage. */
char **appspawn_environment_reserve(void);
/* In a child: writes the app's environment over `area` (zero-filling the rest) and points `environ` at it.
 * 0, or -E2BIG when the area is too small. */
int appspawn_environment_write(appspawn_area area, uint32_t token_id);

typedef struct appspawn_child_args {
    const hm_spawn_request *request;
    int report_fd;                     /* write end of the report pipe (close-on-exec) */
    int request_memfd;                 /* cold start: the sealed request; else -1 */
    int launcher_fd;                   /* cold start: O_PATH fd of the launcher; else -1 */
    const char *selinux_context;       /* NULL: no label to apply */
    const appspawn_selinux_ops *selinux;
    appspawn_process_strings strings;
} appspawn_child_args;

/* Runs the child's steps in order (docs/architecture.md, section 2) and starts the app; never returns. A failed
 * step writes {step, errno} to the report pipe and exits with status 127. */
__attribute__((noreturn)) void appspawn_child_main(const appspawn_child_args *args);

/*
 * Pre-forked children (warm starts only): a pool child runs the request-independent steps (signals, fds, session,
 * umask and limits) in advance, then waits on request_fd for one appspawn_dispatch and continues with the
 * remaining steps, so a warm spawn does not pay for fork and setsid (the latter creates a scheduler autogroup:
 * about half a millisecond on a small VM). The dispatch is a raw struct: both ends are the same program.
 */
typedef struct appspawn_dispatch {
    hm_spawn_request request;
    char context[APPSPAWN_CONTEXT_SIZE];
    int32_t has_context;
} appspawn_dispatch;

__attribute__((noreturn)) void appspawn_pool_child_main(int request_fd, int report_fd,
                                                        const appspawn_selinux_ops *selinux,
                                                        appspawn_process_strings strings);

/*
 * For the log of a spawn that failed with EACCES: names the first directory on the way to `path` that the
 * request's uid, gid and groups may not search, or the path itself when its mode refuses `want` (R_OK or X_OK), as
 * "<path> is mode 0700, owner uid 0 gid 0: uid 65534 may not search it". Returns 1 with the sentence in buf, or 0
 * when the mode bits allow it all (ACLs or SELinux refused), a capability bypasses them, or a path does not exist.
 */
int appspawn_explain_access(const hm_spawn_request *request, const char *path, int want, char *buf, size_t size);

/* Writes one report (8 bytes, atomic on a pipe); async-signal-safe. */
void appspawn_report(int fd, int step, int err);

/* ---- The children table ------------------------------------------------------------------------------------ */

/* Internal flag, never sent: the spawn failed and the child is dying. Its entry stays until it is reaped (so
 * stop-all still waits for it), but dump and terminate treat it as gone: the client was already told it failed. */
#define APPSPAWN_CHILD_FAILED (1u << 31)

typedef struct appspawn_child {
    pid_t pid;          /* 0: free slot */
    uid_t uid;
    uint64_t start_time_ms;
    uint32_t flags;     /* HM_SPAWN_DUMP_COLD, HM_SPAWN_DUMP_READY, APPSPAWN_CHILD_FAILED */
    char name[HM_SPAWN_NAME_SIZE];
} appspawn_child;

typedef struct appspawn_children {
    appspawn_child *slots;
    size_t capacity;
    size_t count;
} appspawn_children;

int appspawn_children_init(appspawn_children *children, size_t capacity);
void appspawn_children_free(appspawn_children *children);
/* Adds a child; -EAGAIN when the table is full. */
int appspawn_children_add(appspawn_children *children, pid_t pid, uid_t uid, uint32_t flags, const char *name);
appspawn_child *appspawn_children_find(appspawn_children *children, pid_t pid);
void appspawn_children_remove(appspawn_children *children, pid_t pid);

/* ---- The access-token table (tokens.c; docs/protocols.md, section 9) ---------------------------------------- */

typedef struct appspawn_token_table {
    const char *path;
    int dir_fd; /* -1: not open */
} appspawn_token_table;

/* Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot. 0 or -errno. */
int appspawn_process_start_time(pid_t pid, unsigned long long *ret_start_time);

/*
 * Creates the directory (mode 0755; its parent one level, like the socket's) or takes an existing one that belongs
 * to this uid, sets its mode to 0755 and removes the entries of processes that are gone. 0, -EPERM for a directory
 * of another uid, -ENOTDIR for a symbolic link or a file, or another -errno.
 */
int appspawn_tokens_open(appspawn_token_table *table, const char *path);
/* Writes DIR/<pid> ("<token> <starttime>\n", mode 0644) atomically. 0 or -errno. */
int appspawn_tokens_add(appspawn_token_table *table, pid_t pid, uint32_t token_id);
/* Removes DIR/<pid>, if there. */
void appspawn_tokens_remove(appspawn_token_table *table, pid_t pid);
/* Removes the entries of `children` still listed (not reaped) and closes the directory. */
void appspawn_tokens_close(appspawn_token_table *table, const appspawn_children *children);

/* ---- The server --------------------------------------------------------------------------------------------- */

typedef struct appspawn_server appspawn_server;

/* Opens the socket, the signalfd and the launcher; the caller has blocked SIGCHLD, SIGTERM, SIGINT and SIGHUP.
 * selinux may be NULL (then appspawn_selinux_system()). */
int appspawn_server_create(const appspawn_config *config, const appspawn_selinux_ops *selinux,
                           appspawn_process_strings strings, appspawn_server **ret_server);
/* Serves until SIGTERM or SIGINT, then kills and reaps every child. Returns 0, or -errno on a fatal error. */
int appspawn_server_run(appspawn_server *server);
/* Closes everything and removes the socket file; NULL is allowed. */
void appspawn_server_free(appspawn_server *server);

/* The signals the daemon takes through its signalfd; block them before creating the server. */
void appspawn_signal_set(sigset_t *set);

#endif /* HARMONIA_APPSPAWN_H */
