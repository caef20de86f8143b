/*
 * The SELinux label of a spawned app: derived from apl and processName (sehap_contexts-style rules, then
 * built-in defaults) before the fork, applied with libselinux's setcon() in the child after capset.
 *
 * libselinux is opened with dlopen() and only when the kernel has SELinux enabled: no link-time dependency, so
 * the daemon runs (and cross-compiles) where libselinux is absent. On a kernel with SELinux off the label path is
 * exercised through appspawn_selinux_ops, a seam the tests replace.
 */
#include "appspawn.h"

#include <harmonia/harmonia.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef int (*is_enabled_fn)(void);
typedef int (*setcon_fn)(const char *context);

static struct {
    int loaded;
    int enabled;
    setcon_fn setcon;
} library;

int appspawn_selinux_library_probe(void)
{
    void *handle = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL)
        return -ENOENT;
    is_enabled_fn is_enabled = (is_enabled_fn)dlsym(handle, "is_selinux_enabled");
    setcon_fn setcon = (setcon_fn)dlsym(handle, "setcon");
    if (is_enabled == NULL || setcon == NULL) {
        dlclose(handle);
        return -ENOENT;
    }
    int enabled = is_enabled() > 0;
    if (enabled) {
        library.setcon = setcon; /* the handle stays open for the daemon's lifetime */
    } else {
        dlclose(handle);
    }
    return enabled;
}

static int system_is_enabled(void)
{
    if (!library.loaded) {
        library.loaded = 1;
        /* Only a kernel with selinuxfs mounted can take labels; do not even open the library otherwise. */
        library.enabled = (hm_features() & HM_FEATURE_SELINUX) != 0;
        if (library.enabled && appspawn_selinux_library_probe() < 0)
            appspawn_log("SELinux is enabled but libselinux.so.1 cannot be loaded: spawns will fail at the "
                         "selinux step");
    }
    return library.enabled;
}

static int system_setcon(const char *context)
{
    if (library.setcon == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return library.setcon(context);
}

const appspawn_selinux_ops *appspawn_selinux_system(void)
{
    static const appspawn_selinux_ops ops = {system_is_enabled, system_setcon};
    return &ops;
}

/* Copies the value of "key=value" from a whitespace-separated line; 1 when found, -1 when too long. */
static int line_value(const char *line, const char *key, char *out, size_t size)
{
    size_t key_length = strlen(key);
    for (const char *p = line; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *token = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        size_t length = (size_t)(p - token);
        if (length > key_length && strncmp(token, key, key_length) == 0 && token[key_length] == '=') {
            size_t value_length = length - key_length - 1;
            if (value_length >= size)
                return -1;
            memcpy(out, token + key_length + 1, value_length);
            out[value_length] = '\0';
            return 1;
        }
        while (*p == '\n' || *p == '\r')
            p++;
    }
    return 0;
}

int appspawn_contexts_load(appspawn_contexts *contexts, const char *path, unsigned *reterr_line)
{
    char line[512];
    unsigned number = 0;
    int r = 0;
    FILE *file = fopen(path, "re");
    if (file == NULL)
        return -errno;
    contexts->count = 0;
    while (fgets(line, sizeof line, file) != NULL) {
        number++;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\0')
            continue;
        appspawn_context_rule rule;
        memset(&rule, 0, sizeof rule);
        if (strchr(line, '\n') == NULL && !feof(file)) {
            r = -EINVAL; /* longer than the buffer */
            goto out;
        }
        if (line_value(line, "apl", rule.apl, sizeof rule.apl) != 1 ||
            line_value(line, "domain", rule.domain, sizeof rule.domain) != 1 ||
            line_value(line, "name", rule.name, sizeof rule.name) < 0 ||
            contexts->count == APPSPAWN_MAX_CONTEXT_RULES) {
            r = -EINVAL;
            goto out;
        }
        contexts->rules[contexts->count++] = rule;
    }
out:
    if (r < 0 && reterr_line)
        *reterr_line = number;
    fclose(file);
    return r;
}

static const char *default_domain(const char *apl)
{
    if (apl[0] == '\0' || strcmp(apl, "normal") == 0)
        return "normal_hap";
    if (strcmp(apl, "system_basic") == 0)
        return "system_basic_hap";
    if (strcmp(apl, "system_core") == 0)
        return "system_core_hap";
    return NULL;
}

int appspawn_selinux_context(const appspawn_contexts *contexts, const char *apl, const char *process_name,
                             char *buf, size_t size)
{
    const char *domain = NULL;
    for (size_t pass = 0; pass < 2 && domain == NULL && contexts; pass++)
        for (size_t i = 0; i < contexts->count && domain == NULL; i++) {
            const appspawn_context_rule *rule = &contexts->rules[i];
            int named = rule->name[0] != '\0';
            if (strcmp(rule->apl, apl) != 0)
                continue;
            if (pass == 0 && named && strcmp(rule->name, process_name) == 0)
                domain = rule->domain;
            else if (pass == 1 && !named)
                domain = rule->domain;
        }
    if (domain == NULL)
        domain = default_domain(apl);
    if (domain == NULL)
        return -EINVAL;
    int length = snprintf(buf, size, "u:r:%s:s0", domain);
    return length < 0 || (size_t)length >= size ? -EINVAL : 0;
}
