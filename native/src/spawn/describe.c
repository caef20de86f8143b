/*
 * Names and readable descriptions of spawn replies: which step failed and why, or which field broke which rule.
 * The rule texts are the limits of docs/protocols.md; keep both in step.
 */
#include <harmonia/spawn.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *hm_spawn_step_name(int step)
{
    switch (step) {
    case HM_SPAWN_STEP_DAEMON:
        return "daemon";
    case HM_SPAWN_STEP_REQUEST:
        return "request";
    case HM_SPAWN_STEP_SIGNALS:
        return "signals";
    case HM_SPAWN_STEP_FDS:
        return "fds";
    case HM_SPAWN_STEP_SETSID:
        return "setsid";
    case HM_SPAWN_STEP_LIMITS:
        return "limits";
    case HM_SPAWN_STEP_NAME:
        return "name";
    case HM_SPAWN_STEP_SETGROUPS:
        return "setgroups";
    case HM_SPAWN_STEP_SETRESGID:
        return "setresgid";
    case HM_SPAWN_STEP_SETRESUID:
        return "setresuid";
    case HM_SPAWN_STEP_CAPS:
        return "capabilities";
    case HM_SPAWN_STEP_SELINUX:
        return "selinux";
    case HM_SPAWN_STEP_WORKDIR:
        return "workdir";
    case HM_SPAWN_STEP_ENVIRONMENT:
        return "environment";
    case HM_SPAWN_STEP_NO_NEW_PRIVS:
        return "no_new_privs";
    case HM_SPAWN_STEP_EXEC:
        return "exec";
    case HM_SPAWN_STEP_LOAD:
        return "load";
    case HM_SPAWN_STEP_ENTRY:
        return "entry";
    case HM_SPAWN_STEP_READY:
        return "ready";
    default:
        return NULL;
    }
}

const char *hm_spawn_field_name(int field)
{
    switch (field) {
    case HM_SPAWN_FIELD_MAGIC:
        return "magic";
    case HM_SPAWN_FIELD_VERSION:
        return "version";
    case HM_SPAWN_FIELD_TYPE:
        return "type";
    case HM_SPAWN_FIELD_LENGTH:
        return "length";
    case HM_SPAWN_FIELD_RESERVED:
        return "reserved";
    case HM_SPAWN_FIELD_UID:
        return "uid";
    case HM_SPAWN_FIELD_GID:
        return "gid";
    case HM_SPAWN_FIELD_GID_COUNT:
        return "gidCount";
    case HM_SPAWN_FIELD_GID_TABLE:
        return "gidTable";
    case HM_SPAWN_FIELD_CAPABILITIES:
        return "capabilities";
    case HM_SPAWN_FIELD_FLAGS:
        return "flags";
    case HM_SPAWN_FIELD_PROCESS_NAME:
        return "processName";
    case HM_SPAWN_FIELD_BUNDLE_NAME:
        return "bundleName";
    case HM_SPAWN_FIELD_SO_PATH:
        return "soPath";
    case HM_SPAWN_FIELD_APL:
        return "apl";
    case HM_SPAWN_FIELD_PID:
        return "pid";
    case HM_SPAWN_FIELD_DATA_DIR:
        return "dataDir";
    default:
        return NULL;
    }
}

static const char *field_rule(int field)
{
    switch (field) {
    case HM_SPAWN_FIELD_MAGIC:
        return "must be 0x50534D48 (\"HMSP\")";
    case HM_SPAWN_FIELD_VERSION:
        return "must be 2";
    case HM_SPAWN_FIELD_TYPE:
        return "must be 1 (AppProperty), 2 (lite), 3 (terminate) or 4 (dump)";
    case HM_SPAWN_FIELD_LENGTH:
        return "must match the message type (AppProperty: 1360 bytes; any message: 16..8216 bytes)";
    case HM_SPAWN_FIELD_RESERVED:
        return "must be 0";
    case HM_SPAWN_FIELD_UID:
    case HM_SPAWN_FIELD_GID:
        return "must be 1..2147483647";
    case HM_SPAWN_FIELD_GID_COUNT:
        return "must be 0..64";
    case HM_SPAWN_FIELD_GID_TABLE:
        return "must hold gidCount gids in 1..2147483647, then zeros";
    case HM_SPAWN_FIELD_CAPABILITIES:
        return "must not set a bit above CAP_LAST_CAP";
    case HM_SPAWN_FIELD_FLAGS:
        return "may only set bit 0 (cold start)";
    case HM_SPAWN_FIELD_PROCESS_NAME:
        return "must be 1..255 bytes of ASCII letters, digits, '.', '_', ':' and '-', then a NUL and zero padding";
    case HM_SPAWN_FIELD_BUNDLE_NAME:
        return "must be empty or up to 255 bytes: an ASCII letter, then letters, digits, '.' and '_'; then a NUL "
               "and zero padding";
    case HM_SPAWN_FIELD_SO_PATH:
        return "must be an absolute path of 1..255 bytes without control characters, then a NUL and zero padding";
    case HM_SPAWN_FIELD_APL:
        return "must be 0..31 bytes of lower-case ASCII letters and '_', then a NUL and zero padding";
    case HM_SPAWN_FIELD_DATA_DIR:
        return "must be empty or an absolute path of up to 255 bytes without control characters, then a NUL and "
               "zero padding";
    case HM_SPAWN_FIELD_PID:
        return "must be a positive pid";
    default:
        return "is invalid";
    }
}

static const char *errno_name(int err)
{
    switch (err) {
    case EPERM:
        return "EPERM";
    case ENOENT:
        return "ENOENT";
    case ESRCH:
        return "ESRCH";
    case EACCES:
        return "EACCES";
    case EINVAL:
        return "EINVAL";
    case ENOEXEC:
        return "ENOEXEC";
    case ECHILD:
        return "ECHILD";
    case EAGAIN:
        return "EAGAIN";
    case ENOMEM:
        return "ENOMEM";
    case ETIMEDOUT:
        return "ETIMEDOUT";
    case ELIBBAD:
        return "ELIBBAD";
    case EOPNOTSUPP:
        return "EOPNOTSUPP";
    case ESHUTDOWN:
        return "ESHUTDOWN";
    case EMFILE:
        return "EMFILE";
    case ENOTDIR:
        return "ENOTDIR";
    case E2BIG:
        return "E2BIG";
    default:
        return "errno";
    }
}

int hm_spawn_describe(int32_t reply, char *buf, size_t size)
{
    if (reply > 0)
        return snprintf(buf, size, "pid %d", (int)reply);
    if (reply == 0)
        return snprintf(buf, size, "success");
    int step = HM_SPAWN_REPLY_STEP(reply);
    int detail = HM_SPAWN_REPLY_DETAIL(reply);
    if (step == HM_SPAWN_STEP_REQUEST) {
        const char *name = hm_spawn_field_name(detail);
        return snprintf(buf, size, "invalid request: %s %s", name ? name : "field", field_rule(detail));
    }
    const char *step_name = hm_spawn_step_name(step);
    if (step == HM_SPAWN_STEP_DAEMON)
        return snprintf(buf, size, "appspawn failed: %s %d (%s)", errno_name(detail), detail, strerror(detail));
    return snprintf(buf, size, "step %s failed: %s %d (%s)", step_name ? step_name : "unknown", errno_name(detail),
                    detail, strerror(detail));
}

int hm_spawn_describe_app(int32_t reply, int32_t uid, const char *so_path, const char *data_dir, char *buf,
                          size_t size)
{
    char step_text[160];
    int length = hm_spawn_describe(reply, step_text, sizeof step_text);
    if (reply >= 0 || (size_t)length >= sizeof step_text)
        return hm_spawn_describe(reply, buf, size);
    int step = HM_SPAWN_REPLY_STEP(reply);
    int err = HM_SPAWN_REPLY_DETAIL(reply);
    const char *library = so_path != NULL && so_path[0] != '\0' ? so_path : "the app library";
    const char *directory = data_dir != NULL && data_dir[0] != '\0' ? data_dir : "/";
    switch (step) {
    case HM_SPAWN_STEP_LOAD:
        if (err == ELIBBAD)
            return snprintf(buf, size, "%s: uid %d opened %s, but it does not load as a library (the daemon's log "
                            "has the loader's message)", step_text, (int)uid, library);
        return snprintf(buf, size, "%s: uid %d cannot open %s", step_text, (int)uid, library);
    case HM_SPAWN_STEP_ENTRY:
        return snprintf(buf, size, "%s: %s has no %s", step_text, library, HM_SPAWN_ENTRY_SYMBOL);
    case HM_SPAWN_STEP_WORKDIR:
        return snprintf(buf, size, "%s: uid %d cannot enter %s", step_text, (int)uid, directory);
    case HM_SPAWN_STEP_EXEC:
        return snprintf(buf, size, "%s: uid %d cannot execute the daemon's launcher (the daemon's log names it)",
                        step_text, (int)uid);
    default:
        return hm_spawn_describe(reply, buf, size);
    }
}
