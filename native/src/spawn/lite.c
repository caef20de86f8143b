/*
 * The lite request: appspawn_lite's JSON message {"bundleName","identityID","uID","gID","capability"} checked with
 * the rules and codes of appspawn_lite's code path for the same bytes (docs/protocols.md, section 4).
 *
 * The whole input is parsed first, so any syntax error is EC_PROTOCOL whatever else is wrong (cJSON parsed the
 * whole text first too, skipping a leading UTF-8 byte order mark); then the rules run in appspawn_lite's order:
 * bundleName, identityID (ReadStringItem: not a string is EC_INVALID, a bad value EC_PROTOCOL), capability
 * (GetCaps: every failure EC_INVALID), and uID/gID last (ReadNumberItem turned a missing id or one of another type
 * into -1, which the final range check answered with EC_PROTOCOL). Where upstream is lax, Harmonia is strict and
 * protocols.md lists each difference: keys match case-sensitively, a repeated known key is EC_PROTOCOL, text after
 * the value is EC_PROTOCOL, fractional ids are EC_PROTOCOL and fractional capabilities EC_INVALID (upstream
 * truncated both), strings must be valid UTF-8 without U+0000, and bundleName and identityID have a character set.
 */
#include <harmonia/spawn.h>

#include <limits.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "names.h"

enum lite_key { KEY_BUNDLE_NAME, KEY_IDENTITY_ID, KEY_UID, KEY_GID, KEY_CAPABILITY, KEY_COUNT };

static const char *const key_names[KEY_COUNT] = {"bundleName", "identityID", "uID", "gID", "capability"};

/* What the parse saw for one known key. Strings keep their first bytes and full length; numbers their class;
 * the capability array its length and the first HM_SPAWN_LITE_CAPS_MAX + 1 elements. */
typedef struct lite_slot {
    hm_json_kind kind;
    char text[HM_SPAWN_LITE_BUNDLE_MAX + 1];
    size_t text_length;
    int text_has_nul;
    hm_json_number number;
    size_t element_count;
    hm_json_kind element_kind[HM_SPAWN_LITE_CAPS_MAX + 1];
    hm_json_number element[HM_SPAWN_LITE_CAPS_MAX + 1];
} lite_slot;

typedef struct lite_parse {
    lite_slot slot[KEY_COUNT];
    char *error;
    size_t error_size;
} lite_parse;

__attribute__((format(printf, 3, 4))) static int fail(lite_parse *parse, int code, const char *format, ...)
{
    if (parse->error && parse->error_size > 0) {
        va_list args;
        va_start(args, format);
        vsnprintf(parse->error, parse->error_size, format, args);
        va_end(args);
    }
    return code;
}

static int find_key(const char *key, size_t length)
{
    for (int i = 0; i < KEY_COUNT; i++)
        if (strlen(key_names[i]) == length && memcmp(key_names[i], key, length) == 0)
            return i;
    return -1;
}

static int read_capability_array(hm_json_cursor *cursor, lite_slot *slot)
{
    if (++cursor->depth > HM_JSON_MAX_DEPTH || hm_json_expect(cursor, '[') < 0)
        return -1;
    if (hm_json_expect(cursor, ']') == 0) {
        cursor->depth--;
        return 0;
    }
    for (;;) {
        size_t i = slot->element_count++;
        hm_json_kind kind = hm_json_peek(cursor);
        int keep = i < HM_SPAWN_LITE_CAPS_MAX + 1;
        if (keep)
            slot->element_kind[i] = kind;
        if (kind == HM_JSON_NUMBER && keep) {
            if (hm_json_read_number(cursor, &slot->element[i]) < 0)
                return -1;
        } else if (hm_json_skip_value(cursor) < 0) {
            return -1;
        }
        if (hm_json_expect(cursor, ',') == 0)
            continue;
        if (hm_json_expect(cursor, ']') < 0)
            return -1;
        cursor->depth--;
        return 0;
    }
}

static int read_known_value(hm_json_cursor *cursor, int key, lite_slot *slot)
{
    slot->kind = hm_json_peek(cursor);
    switch (slot->kind) {
    case HM_JSON_STRING:
        return hm_json_read_string(cursor, slot->text, sizeof slot->text, &slot->text_length, &slot->text_has_nul);
    case HM_JSON_NUMBER:
        return hm_json_read_number(cursor, &slot->number);
    case HM_JSON_ARRAY:
        return key == KEY_CAPABILITY ? read_capability_array(cursor, slot) : hm_json_skip_value(cursor);
    default:
        return hm_json_skip_value(cursor);
    }
}

/* Parses the whole input into the slots; 0, or an EC code with the error text written. */
static int parse_json(lite_parse *parse, const char *json, size_t length)
{
    hm_json_cursor cursor;
    hm_json_init(&cursor, json, length);
    /* A leading UTF-8 byte order mark is skipped, as cJSON does (RFC 8259 allows it): cJSON only looks for one
     * in an input of 5 bytes or more. */
    if (length >= 5 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
        cursor.p += 3;
    if (hm_json_peek(&cursor) != HM_JSON_OBJECT) {
        /* Valid JSON that is not an object has none of the fields: the field rules report it. */
        if (hm_json_skip_value(&cursor) < 0)
            goto syntax;
        goto end;
    }
    cursor.depth = 1;
    (void)hm_json_expect(&cursor, '{');
    if (hm_json_expect(&cursor, '}') == 0)
        goto end;
    for (;;) {
        char key[16];
        size_t key_length;
        int key_has_nul;
        if (hm_json_read_string(&cursor, key, sizeof key, &key_length, &key_has_nul) < 0 ||
            hm_json_expect(&cursor, ':') < 0)
            goto syntax;
        int known = key_length < sizeof key && !key_has_nul ? find_key(key, key_length) : -1;
        if (known >= 0) {
            if (parse->slot[known].kind != HM_JSON_ABSENT)
                return fail(parse, HM_SPAWN_EC_PROTOCOL, "key \"%s\" appears twice", key_names[known]);
            if (read_known_value(&cursor, known, &parse->slot[known]) < 0)
                goto syntax;
        } else if (hm_json_skip_value(&cursor) < 0) {
            goto syntax;
        }
        if (hm_json_expect(&cursor, ',') == 0)
            continue;
        if (hm_json_expect(&cursor, '}') < 0)
            goto syntax;
        break;
    }
end:
    hm_json_skip_space(&cursor);
    if (cursor.p == cursor.end)
        return HM_SPAWN_EC_SUCCESS;
syntax:
    return fail(parse, HM_SPAWN_EC_PROTOCOL, "not valid JSON (error at byte %zu of %zu)", hm_json_offset(&cursor),
                length);
}

static int check_string(lite_parse *parse, int key, size_t min, size_t max, hm_spawn_text text, char *out)
{
    const lite_slot *slot = &parse->slot[key];
    if (slot->kind != HM_JSON_STRING)
        return fail(parse, HM_SPAWN_EC_INVALID, "%s: %s, must be a string", key_names[key],
                    slot->kind == HM_JSON_ABSENT ? "missing" : "wrong type");
    if (slot->text_has_nul)
        return fail(parse, HM_SPAWN_EC_PROTOCOL, "%s: contains U+0000", key_names[key]);
    if (slot->text_length < min || slot->text_length > max)
        return fail(parse, HM_SPAWN_EC_PROTOCOL, "%s: %zu bytes, must be %zu..%zu", key_names[key],
                    slot->text_length, min, max);
    /* A bad value, like a bad length (the value never reaches the error text: it may be anything). */
    if (!hm_spawn_text_valid(text, slot->text, slot->text_length))
        return fail(parse, HM_SPAWN_EC_PROTOCOL, "%s: must hold %s only", key_names[key], hm_spawn_text_rule(text));
    memcpy(out, slot->text, slot->text_length + 1);
    return HM_SPAWN_EC_SUCCESS;
}

static int check_capabilities(lite_parse *parse, hm_spawn_lite_message *message)
{
    const lite_slot *slot = &parse->slot[KEY_CAPABILITY];
    if (slot->kind != HM_JSON_ARRAY)
        return fail(parse, HM_SPAWN_EC_INVALID, "capability: %s, must be an array",
                    slot->kind == HM_JSON_ABSENT ? "missing" : "wrong type");
    if (slot->element_count > HM_SPAWN_LITE_CAPS_MAX)
        return fail(parse, HM_SPAWN_EC_INVALID, "capability: %zu entries, at most %u", slot->element_count,
                    HM_SPAWN_LITE_CAPS_MAX);
    for (size_t i = 0; i < slot->element_count; i++) {
        const hm_json_number *n = &slot->element[i];
        if (slot->element_kind[i] != HM_JSON_NUMBER)
            return fail(parse, HM_SPAWN_EC_INVALID, "capability[%zu]: not a number", i);
        if (!n->integral || n->huge || n->magnitude > CAP_LAST_CAP || (n->negative && n->magnitude != 0))
            return fail(parse, HM_SPAWN_EC_INVALID, "capability[%zu]: must be an integer in 0..%d", i,
                        CAP_LAST_CAP);
        message->caps[i] = (uint32_t)n->magnitude;
    }
    message->cap_count = (uint32_t)slot->element_count;
    return HM_SPAWN_EC_SUCCESS;
}

static int check_id(lite_parse *parse, int key, int32_t *out)
{
    const lite_slot *slot = &parse->slot[key];
    const hm_json_number *n = &slot->number;
    /* appspawn_lite's ReadNumberItem reads a missing id, or one of another type, as -1, which its range check
     * then answers with EC_PROTOCOL (docs/decisions.md, appspawn). */
    if (slot->kind != HM_JSON_NUMBER)
        return fail(parse, HM_SPAWN_EC_PROTOCOL, "%s: %s, must be a number", key_names[key],
                    slot->kind == HM_JSON_ABSENT ? "missing" : "wrong type");
    if (!n->integral || n->huge || n->negative || n->magnitude == 0 || n->magnitude >= INT_MAX)
        return fail(parse, HM_SPAWN_EC_PROTOCOL, "%s: must be an integer in 1..%d", key_names[key], INT_MAX - 1);
    *out = (int32_t)n->magnitude;
    return HM_SPAWN_EC_SUCCESS;
}

int hm_spawn_lite_parse(const char *json, size_t length, hm_spawn_lite_message *ret_message, char *reterr_text,
                        size_t text_size)
{
    static const lite_parse empty;
    lite_parse parse = empty;
    hm_spawn_lite_message message;
    int r;
    parse.error = reterr_text;
    parse.error_size = text_size;
    if (ret_message == NULL || json == NULL || length == 0)
        return fail(&parse, HM_SPAWN_EC_INVALID, "empty message");
    memset(&message, 0, sizeof message);
    r = parse_json(&parse, json, length);
    if (r == HM_SPAWN_EC_SUCCESS)
        r = check_string(&parse, KEY_BUNDLE_NAME, HM_SPAWN_LITE_BUNDLE_MIN, HM_SPAWN_LITE_BUNDLE_MAX,
                         HM_SPAWN_TEXT_BUNDLE_NAME, message.bundle_name);
    if (r == HM_SPAWN_EC_SUCCESS)
        r = check_string(&parse, KEY_IDENTITY_ID, HM_SPAWN_LITE_IDENTITY_MIN, HM_SPAWN_LITE_IDENTITY_MAX,
                         HM_SPAWN_TEXT_IDENTITY, message.identity_id);
    if (r == HM_SPAWN_EC_SUCCESS)
        r = check_capabilities(&parse, &message);
    if (r == HM_SPAWN_EC_SUCCESS)
        r = check_id(&parse, KEY_UID, &message.uid);
    if (r == HM_SPAWN_EC_SUCCESS)
        r = check_id(&parse, KEY_GID, &message.gid);
    if (r == HM_SPAWN_EC_SUCCESS)
        *ret_message = message;
    return r;
}
