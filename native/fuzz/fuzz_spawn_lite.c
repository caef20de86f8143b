/*
 * libFuzzer target for the lite JSON parser (hm_spawn_lite_parse). Besides the sanitizers' checks it asserts the
 * contract: only the three documented codes come back, an accepted message obeys every lite limit (lengths, ranges
 * and the character sets of bundleName and identityID, so nothing accepted can carry a line break), and writing
 * an accepted message back as JSON and parsing that again gives the same message (parse -> write -> parse).
 */
#include <harmonia/spawn.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t append_string(char *out, size_t at, const char *s)
{
    out[at++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == '"' || *p == '\\')
            at += (size_t)sprintf(out + at, "\\u%04x", *p);
        else
            out[at++] = (char)*p;
    }
    out[at++] = '"';
    return at;
}

static void check_limits(const hm_spawn_lite_message *m)
{
    size_t bundle = strnlen(m->bundle_name, sizeof m->bundle_name);
    size_t identity = strnlen(m->identity_id, sizeof m->identity_id);
    if (bundle < HM_SPAWN_LITE_BUNDLE_MIN || bundle > HM_SPAWN_LITE_BUNDLE_MAX ||
        identity < HM_SPAWN_LITE_IDENTITY_MIN || identity > HM_SPAWN_LITE_IDENTITY_MAX || m->uid <= 0 ||
        m->uid == INT_MAX || m->gid <= 0 || m->gid == INT_MAX || m->cap_count > HM_SPAWN_LITE_CAPS_MAX)
        __builtin_trap();
    for (uint32_t i = 0; i < m->cap_count; i++)
        if (m->caps[i] > (uint32_t)hm_spawn_cap_last())
            __builtin_trap();
    for (size_t i = 0; i < bundle; i++) {
        unsigned char c = (unsigned char)m->bundle_name[i];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '.' || c == '_')))
            __builtin_trap();
    }
    for (size_t i = 0; i < identity; i++)
        if ((unsigned char)m->identity_id[i] <= 0x20 || (unsigned char)m->identity_id[i] >= 0x7F)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hm_spawn_lite_message first, second;
    char error[256];
    int r = hm_spawn_lite_parse((const char *)data, size, &first, error, sizeof error);
    if (r != HM_SPAWN_EC_SUCCESS) {
        if ((r != HM_SPAWN_EC_INVALID && r != HM_SPAWN_EC_PROTOCOL) || error[0] == '\0')
            __builtin_trap();
        return 0;
    }
    check_limits(&first);
    /* Every byte may need 6 to escape; 2 strings of at most 127 bytes, 12 numbers: well within 4 KiB. */
    char json[4096];
    size_t at = (size_t)sprintf(json, "{\"bundleName\":");
    at = append_string(json, at, first.bundle_name);
    at += (size_t)sprintf(json + at, ",\"identityID\":");
    at = append_string(json, at, first.identity_id);
    at += (size_t)sprintf(json + at, ",\"uID\":%d,\"gID\":%d,\"capability\":[", (int)first.uid, (int)first.gid);
    for (uint32_t i = 0; i < first.cap_count; i++)
        at += (size_t)sprintf(json + at, "%s%u", i ? "," : "", first.caps[i]);
    at += (size_t)sprintf(json + at, "]}");
    if (hm_spawn_lite_parse(json, at, &second, error, sizeof error) != HM_SPAWN_EC_SUCCESS ||
        strcmp(first.bundle_name, second.bundle_name) != 0 || strcmp(first.identity_id, second.identity_id) != 0 ||
        first.uid != second.uid || first.gid != second.gid || first.cap_count != second.cap_count ||
        memcmp(first.caps, second.caps, first.cap_count * sizeof first.caps[0]) != 0)
        __builtin_trap();
    return 0;
}
