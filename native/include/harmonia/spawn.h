/*
 * libharmonia spawn API: the appspawn wire formats, the request codecs and the client.
 *
 * The daemon (harmonia-appspawn, native/appspawn/) listens on an AF_UNIX stream socket and starts app processes
 * with the uid, groups, capabilities, SELinux label and access token of a request. Two request forms exist:
 *   - the standard AppProperty record: a fixed little-endian layout (docs/protocols.md, section 2), never a
 *     compiler struct, so any language can build it byte for byte;
 *   - the lite form of OpenHarmony's appspawn_lite: a JSON message carried as an IpcIo string (section 3).
 * Every message starts with the same 16-byte header (magic, version, type, length). This header declares the
 * byte offsets, the limits, the error encoding of the replies and the functions that encode, decode and send.
 *
 * Conventions: functions return 0 or a negative errno unless documented otherwise; ret_* outputs are written only
 * on success, reterr_* outputs only on failure.
 */
#ifndef HARMONIA_SPAWN_H
#define HARMONIA_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include <harmonia/export.h>

HM_EXTERN_C_BEGIN

/* ---- Message header (every request starts with it; all fields little-endian) ---------------------------- */

#define HM_SPAWN_MAGIC UINT32_C(0x50534D48)   /* the bytes "HMSP" */
#define HM_SPAWN_VERSION 2u                   /* 2: the AppProperty record gained dataDir */
#define HM_SPAWN_HEADER_SIZE 16u
#define HM_SPAWN_OFF_MAGIC 0u                 /* uint32 */
#define HM_SPAWN_OFF_VERSION 4u               /* uint16 */
#define HM_SPAWN_OFF_TYPE 6u                  /* uint16, hm_spawn_message_type */
#define HM_SPAWN_OFF_LENGTH 8u                /* uint32, whole message including the header */
#define HM_SPAWN_OFF_RESERVED 12u             /* uint32, must be 0 */

typedef enum hm_spawn_message_type {
    HM_SPAWN_MSG_APP_PROPERTY = 1, /* spawn from an AppProperty record; reply: int32 pid or error */
    HM_SPAWN_MSG_LITE = 2,         /* spawn from the lite JSON in an IpcIo string; reply: int32 result, IpcIo int64 */
    HM_SPAWN_MSG_TERMINATE = 3,    /* body: int32 pid; reply: int32 0 or -errno */
    HM_SPAWN_MSG_DUMP = 4          /* no body; reply: the children table */
} hm_spawn_message_type;

/* The largest message the daemon accepts: a lite message with the most IpcIo data. */
#define HM_SPAWN_MESSAGE_MAX (HM_SPAWN_LITE_OFF_DATA + HM_SPAWN_LITE_DATA_MAX)
#define HM_SPAWN_TERMINATE_SIZE 20u   /* header and int32 pid */
#define HM_SPAWN_LITE_MIN_SIZE 24u    /* header, uint32 funcId, uint32 data size */

/*
 * Checks a message header (the first HM_SPAWN_HEADER_SIZE bytes of buf; any alignment): magic, version, a known
 * type, reserved 0 and a length that fits the type (AppProperty: exactly HM_SPAWN_APP_PROPERTY_SIZE; lite:
 * HM_SPAWN_LITE_MIN_SIZE..HM_SPAWN_MESSAGE_MAX; terminate: HM_SPAWN_TERMINATE_SIZE; dump: the header alone).
 * Returns 0 with the type and the whole message length, or -EINVAL with the first offending hm_spawn_field.
 */
HM_API int hm_spawn_header_decode(const void *buf, size_t size, uint16_t *ret_type, uint32_t *ret_length,
                                  uint32_t *reterr_field);

/* ---- The AppProperty record (type HM_SPAWN_MSG_APP_PROPERTY) ----------------------------------------------- */

#define HM_SPAWN_MAX_GIDS 64u
#define HM_SPAWN_NAME_SIZE 256u    /* processName, bundleName, soPath and dataDir: up to 255 bytes and a NUL */
#define HM_SPAWN_APL_SIZE 32u      /* apl: up to 31 bytes and a NUL */
#define HM_SPAWN_FLAG_COLD_START 1u

#define HM_SPAWN_OFF_UID 16u             /* int32, 1..INT32_MAX */
#define HM_SPAWN_OFF_GID 20u             /* int32, 1..INT32_MAX */
#define HM_SPAWN_OFF_GID_COUNT 24u       /* uint32, 0..64 */
#define HM_SPAWN_OFF_ACCESS_TOKEN 28u    /* uint32, any value */
#define HM_SPAWN_OFF_CAPABILITIES 32u    /* uint64 bit mask, bits above CAP_LAST_CAP must be 0 */
#define HM_SPAWN_OFF_FLAGS 40u           /* uint32, only HM_SPAWN_FLAG_COLD_START may be set */
#define HM_SPAWN_OFF_BODY_RESERVED 44u   /* uint32, must be 0 */
#define HM_SPAWN_OFF_GID_TABLE 48u       /* int32[64]: gidCount entries in 1..INT32_MAX, then zeros */
/* Text fields end with a NUL and zero padding; each has a character set (docs/protocols.md, section 3). */
#define HM_SPAWN_OFF_PROCESS_NAME 304u   /* char[256], 1..255 bytes: letters, digits, '.', '_', ':', '-' */
#define HM_SPAWN_OFF_BUNDLE_NAME 560u    /* char[256], empty or up to 255: a letter, then letters, digits, '.', '_' */
#define HM_SPAWN_OFF_SO_PATH 816u        /* char[256], an absolute path of 1..255 bytes without control characters */
#define HM_SPAWN_OFF_APL 1072u           /* char[32], 0..31 bytes: lower-case letters and '_' */
#define HM_SPAWN_OFF_DATA_DIR 1104u      /* char[256], empty or an absolute path like soPath: the app's working dir */
#define HM_SPAWN_APP_PROPERTY_SIZE 1360u /* the exact length of an AppProperty message */

/* Fields of a message, as named in validation errors (HM_SPAWN_STEP_REQUEST replies carry one of these). */
typedef enum hm_spawn_field {
    HM_SPAWN_FIELD_MAGIC = 1,
    HM_SPAWN_FIELD_VERSION = 2,
    HM_SPAWN_FIELD_TYPE = 3,
    HM_SPAWN_FIELD_LENGTH = 4,
    HM_SPAWN_FIELD_RESERVED = 5,
    HM_SPAWN_FIELD_UID = 6,
    HM_SPAWN_FIELD_GID = 7,
    HM_SPAWN_FIELD_GID_COUNT = 8,
    HM_SPAWN_FIELD_GID_TABLE = 9,
    HM_SPAWN_FIELD_CAPABILITIES = 10,
    HM_SPAWN_FIELD_FLAGS = 11,
    HM_SPAWN_FIELD_PROCESS_NAME = 12,
    HM_SPAWN_FIELD_BUNDLE_NAME = 13,
    HM_SPAWN_FIELD_SO_PATH = 14,
    HM_SPAWN_FIELD_APL = 15,
    HM_SPAWN_FIELD_PID = 16,       /* the pid of a terminate request */
    HM_SPAWN_FIELD_DATA_DIR = 17
} hm_spawn_field;

/*
 * A spawn request in memory (decoded and validated, or to be encoded). It is what the daemon hands a warm-started
 * app's entry function. Strings are NUL-terminated. identity_id is set only for lite requests (else empty);
 * data_dir is the app's working directory (empty: "/").
 */
typedef struct hm_spawn_request {
    int32_t uid;
    int32_t gid;
    uint32_t gid_count;
    int32_t gids[HM_SPAWN_MAX_GIDS];
    uint32_t access_token_id;
    uint64_t capabilities;
    uint32_t flags;
    char process_name[HM_SPAWN_NAME_SIZE];
    char bundle_name[HM_SPAWN_NAME_SIZE];
    char so_path[HM_SPAWN_NAME_SIZE];
    char apl[HM_SPAWN_APL_SIZE];
    char identity_id[32];
    char data_dir[HM_SPAWN_NAME_SIZE];
} hm_spawn_request;

/* The highest capability number this build knows (CAP_LAST_CAP of its kernel headers). */
HM_API int hm_spawn_cap_last(void);

/*
 * Checks every rule of the AppProperty record on an in-memory request. Returns 0, or -EINVAL with the first
 * offending field in *reterr_field (may be NULL).
 */
HM_API int hm_spawn_request_validate(const hm_spawn_request *request, uint32_t *reterr_field);

/*
 * Encodes a valid request as an AppProperty message into buf (at least HM_SPAWN_APP_PROPERTY_SIZE bytes).
 * Returns 0 and the message length in *ret_length, -EINVAL (field in *reterr_field) for an invalid request, or
 * -ENOBUFS when buf is too small.
 */
HM_API int hm_spawn_record_encode(const hm_spawn_request *request, void *buf, size_t size, size_t *ret_length,
                                  uint32_t *reterr_field);

/*
 * Decodes and validates a complete AppProperty message of exactly `length` bytes (header included). Any byte
 * alignment of buf works. Returns 0, or -EINVAL with the first offending field in *reterr_field (may be NULL);
 * *ret_request is untouched on failure.
 */
HM_API int hm_spawn_record_decode(const void *buf, size_t length, hm_spawn_request *ret_request,
                                  uint32_t *reterr_field);

/* ---- Replies -------------------------------------------------------------------------------------------------
 *
 * An AppProperty request is answered with one int32 (little-endian): the child's pid (> 0), or a negative error
 *     -(step << 16 | detail)
 * step HM_SPAWN_STEP_DAEMON (0): the daemon failed before or around the child; detail is a positive errno, so the
 *     reply is a plain -errno (ETIMEDOUT: the child did not report in time and was killed; ECHILD: the child died
 *     before reporting; EAGAIN: the children table is full; others: fork, pipe or memfd failures).
 * step HM_SPAWN_STEP_REQUEST (1): the request is invalid; detail is the hm_spawn_field that broke a rule.
 * steps 2..17: a step in the child failed; detail is its errno.
 */
typedef enum hm_spawn_step {
    HM_SPAWN_STEP_DAEMON = 0,
    HM_SPAWN_STEP_REQUEST = 1,
    HM_SPAWN_STEP_SIGNALS = 2,       /* signal dispositions and mask reset */
    HM_SPAWN_STEP_FDS = 3,           /* every inherited fd closed except those handed over */
    HM_SPAWN_STEP_SETSID = 4,        /* new session */
    HM_SPAWN_STEP_LIMITS = 5,        /* umask 0077 and the soft RLIMIT_NOFILE (at most 1024) */
    HM_SPAWN_STEP_NAME = 6,          /* process name: prctl(PR_SET_NAME) and argv */
    HM_SPAWN_STEP_SETGROUPS = 7,
    HM_SPAWN_STEP_SETRESGID = 8,
    HM_SPAWN_STEP_SETRESUID = 9,     /* with capabilities kept (PR_SET_KEEPCAPS) */
    HM_SPAWN_STEP_CAPS = 10,         /* capset, bounding set, ambient set */
    HM_SPAWN_STEP_SELINUX = 11,      /* SELinux label from apl and processName */
    HM_SPAWN_STEP_WORKDIR = 12,      /* chdir to dataDir (or "/") as the app's uid */
    HM_SPAWN_STEP_ENVIRONMENT = 13,  /* exactly PATH and the access token id (HM_SPAWN_TOKEN_ENV) */
    HM_SPAWN_STEP_NO_NEW_PRIVS = 14, /* PR_SET_NO_NEW_PRIVS */
    HM_SPAWN_STEP_EXEC = 15,         /* cold start: exec of the launcher */
    HM_SPAWN_STEP_LOAD = 16,         /* dlopen(soPath) */
    HM_SPAWN_STEP_ENTRY = 17,        /* the entry symbol (HM_SPAWN_ENTRY_SYMBOL) in soPath */
    HM_SPAWN_STEP_READY = 18         /* the child is about to call its entry: the success report */
} hm_spawn_step;

#define HM_SPAWN_REPLY_ERROR(step, detail) (-(int32_t)(((uint32_t)(step) << 16) | ((uint32_t)(detail) & 0xFFFFu)))
/* The step of a negative reply (HM_SPAWN_STEP_DAEMON for a plain -errno). */
#define HM_SPAWN_REPLY_STEP(reply) ((int)((uint32_t)(-(int64_t)(reply)) >> 16))
/* The errno or field of a negative reply. */
#define HM_SPAWN_REPLY_DETAIL(reply) ((int)((uint32_t)(-(int64_t)(reply)) & 0xFFFFu))

/* The stable lower-case name of a step ("setresuid") or field ("processName"); NULL for unknown values. */
HM_API const char *hm_spawn_step_name(int step);
HM_API const char *hm_spawn_field_name(int field);

/*
 * Writes a readable description of a reply into buf (always NUL-terminated when size > 0), e.g.
 * "pid 4242", "step setresuid failed: EPERM (Operation not permitted)" or
 * "invalid request: processName must be 1..255 bytes followed by a NUL". Returns the length it wanted to write.
 */
HM_API int hm_spawn_describe(int32_t reply, char *buf, size_t size);

/*
 * Like hm_spawn_describe, for the reply to a spawn of this app: a step that opens a path as the app names the
 * path and the uid, e.g. "step load failed: EACCES 13 (Permission denied): uid 65534 cannot open /opt/app/lib.so"
 * (load and entry: so_path; workdir: data_dir, where NULL or "" is "/"; exec: the uid). Other replies read as
 * hm_spawn_describe's. so_path and data_dir may be NULL.
 */
HM_API int hm_spawn_describe_app(int32_t reply, int32_t uid, const char *so_path, const char *data_dir, char *buf,
                                 size_t size);

/* ---- The child's report pipe ---------------------------------------------------------------------------------
 * Each report is 8 bytes in host byte order: { int32 step; int32 err }. err != 0 ends the spawn with a failure
 * at that step; { HM_SPAWN_STEP_READY, 0 } ends it with success.
 */
typedef struct hm_spawn_report {
    int32_t step;
    int32_t err;
} hm_spawn_report;

/* ---- The app side ----------------------------------------------------------------------------------------- */

/* The function an app library exports for warm and cold starts: int HmAppMain(const hm_spawn_request *). Its
 * return value becomes the process's exit status. */
#define HM_SPAWN_ENTRY_SYMBOL "HmAppMain"
typedef int (*hm_spawn_entry_fn)(const hm_spawn_request *request);

/* The access token id handed to this process by appspawn, or 0 outside a spawned app. Linux has no kernel
 * token like OpenHarmony's /dev/access_token_id, so it travels in the environment variable HM_SPAWN_TOKEN_ENV,
 * which also survives exec (cold start, or an app that executes another program). Peers learn a process's token
 * from the daemon's token table instead (docs/protocols.md, section 9), never from the process itself. */
#define HM_SPAWN_TOKEN_ENV "HM_ACCESS_TOKEN_ID"

/* What every app starts with, whatever the daemon's own state (docs/protocols.md, section 7): exactly the two
 * environment variables PATH=HM_SPAWN_APP_PATH and HM_SPAWN_TOKEN_ENV=<decimal id>; umask HM_SPAWN_APP_UMASK; a
 * soft RLIMIT_NOFILE of at most HM_SPAWN_APP_NOFILE (FD_SETSIZE, so select() works; the hard limit is the
 * daemon's); the working directory dataDir, or "/". */
#define HM_SPAWN_APP_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define HM_SPAWN_APP_UMASK 0077
#define HM_SPAWN_APP_NOFILE 1024
HM_API uint32_t hm_spawn_access_token_id(void);
/* Sets it (decimal in HM_SPAWN_TOKEN_ENV); used by the spawner's child, not by apps. 0 or -errno. */
HM_API int hm_spawn_set_access_token_id(uint32_t token_id);

/* ---- Cold start ------------------------------------------------------------------------------------------
 * The launcher is executed with argv { processName, HM_SPAWN_LAUNCHER_ARG } and exactly these fds: 0, 1, 2, the
 * report pipe at HM_SPAWN_LAUNCHER_REPORT_FD and a sealed memfd holding the whole request as an AppProperty
 * message at HM_SPAWN_LAUNCHER_REQUEST_FD.
 */
#define HM_SPAWN_LAUNCHER_ARG "--harmonia-cold-start"
#define HM_SPAWN_LAUNCHER_REPORT_FD 3
#define HM_SPAWN_LAUNCHER_REQUEST_FD 4

/* ---- The lite form (type HM_SPAWN_MSG_LITE) ---------------------------------------------------------------- */

/* OpenHarmony's lite error codes (ohos_errno.h values) used by the lite parser and the lite reply. */
#define HM_SPAWN_EC_SUCCESS 0
#define HM_SPAWN_EC_FAILURE (-1)
#define HM_SPAWN_EC_BADPTR (-2)
#define HM_SPAWN_EC_INVALID (-9)
#define HM_SPAWN_EC_PROTOCOL (-21)

/*
 * The lite message: the header (type HM_SPAWN_MSG_LITE), then uint32 funcId, uint32 data size and the IpcIo data:
 * one string written with WriteString (serializer.h), the JSON. The reply is int32 result (an EC_* code), uint32
 * data size (8) and IpcIo data holding one int64 written with WriteInt64: the pid, or -1. The IpcIo bytes are in
 * host byte order, as OpenHarmony's serializer writes them (little-endian on every Harmonia target).
 */
#define HM_SPAWN_LITE_OFF_FUNC_ID 16u
#define HM_SPAWN_LITE_OFF_DATA_SIZE 20u
#define HM_SPAWN_LITE_OFF_DATA 24u
#define HM_SPAWN_LITE_DATA_MAX 8192u            /* MAX_IO_SIZE of serializer.h */
#define HM_SPAWN_LITE_REPLY_SIZE 16u
#define HM_SPAWN_LITE_FUNC_CREATE 0u           /* ID_CALL_CREATE_SERVICE: the only funcId */
#define HM_SPAWN_LITE_BUNDLE_MIN 7u
#define HM_SPAWN_LITE_BUNDLE_MAX 127u
#define HM_SPAWN_LITE_IDENTITY_MIN 1u
#define HM_SPAWN_LITE_IDENTITY_MAX 24u
#define HM_SPAWN_LITE_CAPS_MAX 10u

/* A lite message after parsing: the JSON {"bundleName","identityID","uID","gID","capability"}. */
typedef struct hm_spawn_lite_message {
    char bundle_name[HM_SPAWN_LITE_BUNDLE_MAX + 1];
    char identity_id[HM_SPAWN_LITE_IDENTITY_MAX + 1];
    int32_t uid;
    int32_t gid;
    uint32_t cap_count;
    uint32_t caps[HM_SPAWN_LITE_CAPS_MAX];
} hm_spawn_lite_message;

/*
 * Parses a lite JSON message of `length` bytes with appspawn_lite's rules. Returns HM_SPAWN_EC_SUCCESS and fills
 * *ret_message, or HM_SPAWN_EC_PROTOCOL (unparseable JSON, a bundleName or identityID of the wrong length or outside
 * its character set, a uID or gID that is missing, not a number, <= 0 or INT_MAX) or HM_SPAWN_EC_INVALID (no input;
 * bundleName, identityID or capability of the wrong type; more than 10 capabilities; a capability that is not an
 * integer in 0..CAP_LAST_CAP). On failure a sentence naming the field and the limit goes to reterr_text (if not
 * NULL); it never repeats a value.
 */
HM_API int hm_spawn_lite_parse(const char *json, size_t length, hm_spawn_lite_message *ret_message,
                               char *reterr_text, size_t text_size);

/* ---- Dump reply --------------------------------------------------------------------------------------------
 * uint32 length (whole reply), uint32 count, then count entries of HM_SPAWN_DUMP_ENTRY_SIZE bytes:
 * int32 pid, int32 uid, uint64 start time (ms since the epoch), uint32 flags (HM_SPAWN_DUMP_*), uint32 0,
 * char name[256] (the processName, NUL-padded). All little-endian.
 */
#define HM_SPAWN_DUMP_HEADER_SIZE 8u
#define HM_SPAWN_DUMP_ENTRY_SIZE 280u
#define HM_SPAWN_DUMP_COLD 1u   /* started cold */
#define HM_SPAWN_DUMP_READY 2u  /* reported ready (else still starting) */

typedef struct hm_spawn_child_info {
    int32_t pid;
    int32_t uid;
    uint64_t start_time_ms;
    uint32_t flags;
    char name[HM_SPAWN_NAME_SIZE];
} hm_spawn_child_info;

/* ---- Client ------------------------------------------------------------------------------------------------
 * The seed's client operations (OpenHarmony's ClientSocket, as C functions on a handle), then helpers that build,
 * send and read whole requests. A connection may carry any number of requests, one at a time.
 */

/* The daemon's socket when none is configured. */
#define HM_SPAWN_DEFAULT_SOCKET "/run/harmonia/appspawn"

typedef struct ClientSocket ClientSocket;

/* Allocates a client for the daemon socket at socket_path (NULL: HM_SPAWN_DEFAULT_SOCKET) and creates its
 * AF_UNIX stream socket (close-on-exec). */
HM_API int CreateClient(const char *socket_path, ClientSocket **ret_client);
/* Connects the client's socket to the daemon. */
HM_API int ConnectSocket(ClientSocket *client);
/* Writes all len bytes; returns len, or a negative errno. */
HM_API int WriteSocketMessage(ClientSocket *client, const void *buf, int len);
/* Reads exactly len bytes; returns len, or a negative errno (-ECONNRESET when the daemon closed the connection). */
HM_API int ReadSocketMessage(ClientSocket *client, void *buf, int len);
/* Closes the socket and frees the client; NULL is allowed. */
HM_API void CloseClient(ClientSocket *client);

/*
 * Sends an AppProperty request and reads the reply: *ret_reply is the pid or the negative error described above.
 * Returns 0 when a reply arrived (whatever it says), -EINVAL (field in *reterr_field) for a request that fails
 * validation before sending, or a negative errno from the transport.
 */
HM_API int hm_spawn_app(ClientSocket *client, const hm_spawn_request *request, int32_t *ret_reply,
                        uint32_t *reterr_field);
/* Asks the daemon to kill one of its children (SIGKILL to its process group). *ret_reply: 0 or -errno (-ESRCH:
 * not a child of this daemon). */
HM_API int hm_spawn_terminate(ClientSocket *client, int32_t pid, int32_t *ret_reply);
/*
 * Sends a lite request: json goes into an IpcIo string (WriteString) under func_id (HM_SPAWN_LITE_FUNC_CREATE for
 * a spawn). *ret_result is the reply's EC_* code (HM_SPAWN_EC_SUCCESS, or the parser's HM_SPAWN_EC_INVALID /
 * HM_SPAWN_EC_PROTOCOL, HM_SPAWN_EC_BADPTR for another funcId, HM_SPAWN_EC_FAILURE when the spawn failed) and
 * *ret_pid the int64 the reply's IpcIo holds (the pid, or -1). Returns 0 when a reply arrived, -EMSGSIZE when the
 * JSON does not fit an IpcIo of HM_SPAWN_LITE_DATA_MAX bytes, or a negative errno from the transport.
 */
HM_API int hm_spawn_lite(ClientSocket *client, uint32_t func_id, const char *json, int32_t *ret_result,
                         int64_t *ret_pid);
/* Reads the daemon's children table into entries (at most capacity); *ret_count is the number of children (it may
 * exceed capacity, then only the first capacity entries are written). */
HM_API int hm_spawn_dump(ClientSocket *client, hm_spawn_child_info *entries, size_t capacity, size_t *ret_count);

HM_EXTERN_C_END

#endif /* HARMONIA_SPAWN_H */
