/*
 * The lite JSON message: every appspawn_lite rule at its boundary with its exact code, the strict JSON grammar,
 * and every single-byte corruption of a valid message (each position replaced by each of the 256 byte values,
 * each position deleted, every truncation), each compared with the outcome the position's role in the message
 * dictates. Numbers in the corrupted messages are judged by libc's regex and strtod, independently of the parser.
 */
#include <harmonia/spawn.h>

#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hm_test.h"

#define EC_OK HM_SPAWN_EC_SUCCESS
#define EC_INVALID HM_SPAWN_EC_INVALID
#define EC_PROTOCOL HM_SPAWN_EC_PROTOCOL

static hm_spawn_lite_message last;
static char last_error[256];

static int parse_n(const char *json, size_t length)
{
    memset(&last, 0x5A, sizeof last);
    last_error[0] = '\0';
    hm_spawn_lite_message before = last;
    int r = hm_spawn_lite_parse(json, length, &last, last_error, sizeof last_error);
    if (r != EC_OK) {
        HM_CHECK(memcmp(&before, &last, sizeof last) == 0); /* nothing written on failure */
        HM_CHECK(last_error[0] != '\0');
    }
    return r;
}

static int parse(const char *json)
{
    return parse_n(json, strlen(json));
}

/* A message from its five values, each given as raw JSON text. */
static int parse_fields(const char *bundle, const char *identity, const char *uid, const char *gid, const char *caps)
{
    char json[1024];
    snprintf(json, sizeof json, "{\"bundleName\":%s,\"identityID\":%s,\"uID\":%s,\"gID\":%s,\"capability\":%s}",
             bundle, identity, uid, gid, caps);
    return parse(json);
}

static char *quoted(char *out, size_t length, char c)
{
    out[0] = '"';
    memset(out + 1, c, length);
    out[length + 1] = '"';
    out[length + 2] = '\0';
    return out;
}

static void valid_message_fills_every_field(void)
{
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example.demo\",\"identityID\":\"id-1\",\"uID\":1000,\"gID\":1001,"
                          "\"capability\":[0,10,40]}"),
                    EC_OK);
    HM_CHECK_STR_EQ(last.bundle_name, "com.example.demo");
    HM_CHECK_STR_EQ(last.identity_id, "id-1");
    HM_CHECK_INT_EQ(last.uid, 1000);
    HM_CHECK_INT_EQ(last.gid, 1001);
    HM_CHECK_INT_EQ(last.cap_count, 3);
    HM_CHECK_INT_EQ(last.caps[0], 0);
    HM_CHECK_INT_EQ(last.caps[1], 10);
    HM_CHECK_INT_EQ(last.caps[2], 40);
}

static void bundle_name_is_7_to_127_bytes(void)
{
    char name[200];
    HM_CHECK_INT_EQ(parse_fields(quoted(name, 6, 'b'), "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "bundleName") && strstr(last_error, "7..127"));
    HM_CHECK_INT_EQ(parse_fields(quoted(name, 7, 'b'), "\"i\"", "1", "1", "[]"), EC_OK);
    HM_CHECK_INT_EQ(strlen(last.bundle_name), 7);
    HM_CHECK_INT_EQ(parse_fields(quoted(name, 127, 'b'), "\"i\"", "1", "1", "[]"), EC_OK);
    HM_CHECK_INT_EQ(strlen(last.bundle_name), 127);
    HM_CHECK_INT_EQ(parse_fields(quoted(name, 128, 'b'), "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields(quoted(name, 0, 'b'), "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    /* The length is in bytes of UTF-8 and is checked before the character set: 3 two-byte characters are 6 bytes
     * (too short), plus one byte 7 (long enough, but not a bundle name's characters). */
    HM_CHECK_INT_EQ(parse_fields("\"\xc3\xa9\xc3\xa9\xc3\xa9\"", "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "6 bytes") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"\xc3\xa9\xc3\xa9\xc3\xa9x\"", "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "bundleName: must hold") != NULL);
    /* Escapes count as what they decode to. */
    HM_CHECK_INT_EQ(parse_fields("\"\\u0063om.exam\"", "\"i\"", "1", "1", "[]"), EC_OK);
    HM_CHECK_STR_EQ(last.bundle_name, "com.exam");
}

static void identity_id_is_1_to_24_bytes(void)
{
    char id[64];
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", quoted(id, 0, 'i'), "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "identityID") && strstr(last_error, "1..24"));
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", quoted(id, 1, 'i'), "1", "1", "[]"), EC_OK);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", quoted(id, 24, 'i'), "1", "1", "[]"), EC_OK);
    HM_CHECK_INT_EQ(strlen(last.identity_id), 24);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", quoted(id, 25, 'i'), "1", "1", "[]"), EC_PROTOCOL);
}

static void ids_are_1_to_int_max_minus_1(void)
{
    char big[32];
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "0", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "uID") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[]"), EC_OK);
    snprintf(big, sizeof big, "%d", INT_MAX - 1);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", big, big, "[]"), EC_OK);
    HM_CHECK_INT_EQ(last.uid, INT_MAX - 1);
    snprintf(big, sizeof big, "%d", INT_MAX);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", big, "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", big, "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "gID") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "0", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "-1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "-0", "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "4294968296", "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1e400", "1", "[]"), EC_PROTOCOL);
    /* Numbers in other notations keep their value; fractions are refused (appspawn_lite truncated them). */
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1e3", "1000.000", "[]"), EC_OK);
    HM_CHECK_INT_EQ(last.uid, 1000);
    HM_CHECK_INT_EQ(last.gid, 1000);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1000.5", "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "12345e-2", "1", "[]"), EC_PROTOCOL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "12300e-2", "1", "[]"), EC_OK);
    HM_CHECK_INT_EQ(last.uid, 123);
}

static void ids_missing_or_of_another_type_are_protocol_errors(void)
{
    /* appspawn_lite's ReadNumberItem reads a missing id and one of another type alike as -1, and its final range
     * check answers EC_PROTOCOL (after the capability rules). */
    static const char *const not_numbers[] = {"\"1000\"", "null", "[1000]", "true", "false", "{}"};
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++) {
        HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", not_numbers[i], "1", "[]"), EC_PROTOCOL);
        HM_CHECK(strstr(last_error, "uID: wrong type") != NULL);
        HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", not_numbers[i], "[]"), EC_PROTOCOL);
        HM_CHECK(strstr(last_error, "gID: wrong type") != NULL);
    }
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"gID\":1,\"capability\":[]}"),
                    EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "uID: missing") != NULL);
    /* The capability rules run first: a wrong-typed id with a bad capability array is EC_INVALID. */
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "\"1000\"", "1", "[41]"), EC_INVALID);
}

/* Names reach logs, /proc/PID/cmdline and dumps: a line break, a control character, a space or a quote in one
 * would let a request forge what others read. Such a value is refused like a value of the wrong length
 * (EC_PROTOCOL), and the error text never repeats it. */
static void names_hold_their_character_set_only(void)
{
    static const char *const bad_bundles[] = {
        "\"com.example\\nforged\"", "\"com.example\\rforged\"", "\"com.exa forged\"", "\"1forged.example\"",
        "\"com-forged.x\"", "\"com/forged.x\"", "\"com.forged\\u001b[2J\"", "\"com.forged\\u007f\"",
        "\"com.forged\\u00e9\"", "\"com.forged'x\"",
    };
    static const char *const bad_identities[] = {
        "\"forged\\nline\"", "\"forged line\"", "\"forged\\tx\"", "\"forged\\u007f\"", "\"forged\\u00e9\"",
    };
    for (size_t i = 0; i < sizeof bad_bundles / sizeof bad_bundles[0]; i++) {
        HM_CHECK_INT_EQ(parse_fields(bad_bundles[i], "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
        HM_CHECK(strstr(last_error, "bundleName: must hold") != NULL && strstr(last_error, "forged") == NULL);
    }
    for (size_t i = 0; i < sizeof bad_identities / sizeof bad_identities[0]; i++) {
        HM_CHECK_INT_EQ(parse_fields("\"com.example\"", bad_identities[i], "1", "1", "[]"), EC_PROTOCOL);
        HM_CHECK(strstr(last_error, "identityID: must hold") != NULL && strstr(last_error, "forged") == NULL);
    }
    HM_CHECK_INT_EQ(parse_fields("\"Com.Example_2.x9\"", "\"ability-7:{x}\"", "1", "1", "[]"), EC_OK);
    HM_CHECK_STR_EQ(last.bundle_name, "Com.Example_2.x9");
    HM_CHECK_STR_EQ(last.identity_id, "ability-7:{x}");
}

static void capability_holds_at_most_10_entries(void)
{
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[]"), EC_OK);
    HM_CHECK_INT_EQ(last.cap_count, 0);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[0,1,2,3,4,5,6,7,8,9]"), EC_OK);
    HM_CHECK_INT_EQ(last.cap_count, 10);
    HM_CHECK_INT_EQ(last.caps[9], 9);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[0,1,2,3,4,5,6,7,8,9,10]"), EC_INVALID);
    HM_CHECK(strstr(last_error, "capability") && strstr(last_error, "at most 10"));
    /* Entries beyond the 11th are still parsed (a syntax error there is EC_PROTOCOL). */
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[0,1,2,3,4,5,6,7,8,9,10,11,1x]"),
                    EC_PROTOCOL);
}

static void capability_values_are_0_to_cap_last_cap(void)
{
    char caps[32];
    snprintf(caps, sizeof caps, "[%d]", hm_spawn_cap_last());
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", caps), EC_OK);
    HM_CHECK_INT_EQ(last.caps[0], hm_spawn_cap_last());
    snprintf(caps, sizeof caps, "[%d]", hm_spawn_cap_last() + 1);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", caps), EC_INVALID);
    HM_CHECK(strstr(last_error, "capability[0]") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[-1]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[-0]"), EC_OK);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[99999999]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[0.5]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[4e1]"), EC_OK);
    HM_CHECK_INT_EQ(last.caps[0], 40);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[1,\"2\"]"), EC_INVALID);
    HM_CHECK(strstr(last_error, "capability[1]") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[[1]]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "[null]"), EC_INVALID);
}

static void wrong_types_are_ec_invalid(void)
{
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "0"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "{}"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "\"[0]\""), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "1", "1", "null"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("1234567", "\"i\"", "1", "1", "[]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("[\"com.example\"]", "\"i\"", "1", "1", "[]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "1", "1", "1", "[]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "true", "1", "1", "[]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse("{\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}"), EC_INVALID);
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example\",\"uID\":1,\"gID\":1,\"capability\":[]}"), EC_INVALID);
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1}"), EC_INVALID);
    /* Valid JSON that is not an object has no fields. */
    HM_CHECK_INT_EQ(parse("[1]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse("\"x\""), EC_INVALID);
    HM_CHECK_INT_EQ(parse("7"), EC_INVALID);
    HM_CHECK_INT_EQ(parse("{}"), EC_INVALID);
}

static void rules_run_in_appspawn_lite_order(void)
{
    /* A bad capability is reported before a bad uid; a bad bundleName before everything else. */
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"i\"", "0", "0", "[41]"), EC_INVALID);
    HM_CHECK_INT_EQ(parse_fields("\"short\"", "1", "0", "0", "[41]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "bundleName") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"com.example\"", "\"\"", "0", "0", "7"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "identityID") != NULL);
    /* A syntax error anywhere beats every field rule. */
    HM_CHECK_INT_EQ(parse("{\"bundleName\":1,\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[],}"),
                    EC_PROTOCOL);
}

static void no_input_is_ec_invalid(void)
{
    hm_spawn_lite_message message;
    HM_CHECK_INT_EQ(hm_spawn_lite_parse(NULL, 10, &message, NULL, 0), EC_INVALID);
    HM_CHECK_INT_EQ(hm_spawn_lite_parse("{}", 0, &message, NULL, 0), EC_INVALID);
    HM_CHECK_INT_EQ(hm_spawn_lite_parse("{}", 2, NULL, NULL, 0), EC_INVALID);
}

static void strict_json_grammar(void)
{
    static const char *const bad[] = {
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]} x",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":01,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":+1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1.,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":.5,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1e,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":NaN,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[1,]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[],}",
        "{bundleName:\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{'bundleName':'com.example','identityID':'i','uID':1,'gID':1,'capability':[]}",
        "{\"bundleName\":\"com.ex\tample\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.ex\\ample\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\\ud800\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\\udc00\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\\u12\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\xc0\x80\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\xed\xa0\x80\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\xf4\x90\x80\x80\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "{\"bundleName\":\"com.example\xe2\x82\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}",
        "\xef\xbb\xbf\xef\xbb\xbf{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,"
        "\"capability\":[]}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}\xef\xbb\xbf",
        "\xef\xbb\xbf" "7",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}/*c*/",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[],\"x\":tru}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]}{}",
        "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,\"capability\":[]",
        "{",
        " ",
        "nul",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = parse(bad[i]);
        if (r != EC_PROTOCOL)
            fprintf(stderr, "case %zu: %d\n", i, r);
        HM_CHECK_INT_EQ(r, EC_PROTOCOL);
    }
    /* And what strict JSON does allow. */
    HM_CHECK_INT_EQ(parse(" \t\r\n{ \"bundleName\" : \"com.example\" , \"identityID\":\"i\",\"uID\":1 ,\"gID\":1,"
                          "\"capability\" : [ 1 , 2 ] , \"extra\": {\"deep\": [true, false, null, -1.5e-3, \"s\"]} }"
                          " \n"),
                    EC_OK);
    HM_CHECK_INT_EQ(last.cap_count, 2);
    /* One leading UTF-8 byte order mark is skipped, as cJSON skips it (from 5 bytes of input on). */
    HM_CHECK_INT_EQ(parse("\xef\xbb\xbf{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,"
                          "\"capability\":[]}"),
                    EC_OK);
    HM_CHECK_INT_EQ(parse("\xef\xbb\xbf{}  "), EC_INVALID);
    /* Escapes decode to what they stand for, then the character sets apply. */
    HM_CHECK_INT_EQ(parse_fields("\"com.\\u0065xample\"", "\"\\\"\\\\\\/\\u0041\"", "1", "1", "[]"), EC_OK);
    HM_CHECK_STR_EQ(last.bundle_name, "com.example");
    HM_CHECK_STR_EQ(last.identity_id, "\"\\/A");
    HM_CHECK_INT_EQ(parse_fields("\"com.\\ud83d\\ude00.x\"", "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "bundleName: must hold") != NULL);
    HM_CHECK_INT_EQ(parse_fields("\"com.exam\\u0000ple\"", "\"i\"", "1", "1", "[]"), EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "U+0000") != NULL);
}

static void repeated_and_case_changed_keys(void)
{
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"uID\":2,\"gID\":1,"
                          "\"capability\":[]}"),
                    EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "uID") && strstr(last_error, "twice"));
    /* Keys match exactly: "uid" is an unknown key, so uID is missing. */
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uid\":1,\"gID\":1,"
                          "\"capability\":[]}"),
                    EC_PROTOCOL);
    HM_CHECK(strstr(last_error, "uID") && strstr(last_error, "missing"));
    /* An escaped key is the key it decodes to. */
    HM_CHECK_INT_EQ(parse("{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"u\\u0049D\":7,\"gID\":1,"
                          "\"capability\":[]}"),
                    EC_OK);
    HM_CHECK_INT_EQ(last.uid, 7);
}

static void nesting_is_limited(void)
{
    char json[512];
    for (int depth = 63; depth <= 64; depth++) {
        int n = snprintf(json, sizeof json,
                         "{\"bundleName\":\"com.example\",\"identityID\":\"i\",\"uID\":1,\"gID\":1,"
                         "\"capability\":[],\"x\":");
        for (int i = 0; i < depth; i++)
            json[n++] = '[';
        for (int i = 0; i < depth; i++)
            json[n++] = ']';
        json[n++] = '}';
        json[n] = '\0';
        /* The object itself is level 1, so 63 nested arrays fit in the limit of 64 and 64 do not. */
        HM_CHECK_INT_EQ(parse(json), depth == 63 ? EC_OK : EC_PROTOCOL);
    }
}

/* ---- Every single-byte corruption of one valid message ---------------------------------------------------- */

enum role { STRUCTURE, KEY, STRING_VALUE, NUMBER_VALUE };
enum field { F_BUNDLE, F_IDENTITY, F_UID, F_GID, F_CAPS };

static const char *const keys[] = {"bundleName", "identityID", "uID", "gID", "capability"};

typedef struct position {
    enum role role;
    enum field field;
    size_t start, length; /* the key, value or number this byte belongs to */
} position;

static char message[256];
static position roles[256];
static size_t message_length;

static void append(const char *text, enum role role, enum field field)
{
    size_t start = message_length, length = strlen(text);
    for (size_t i = 0; i < length; i++) {
        message[message_length] = text[i];
        roles[message_length] = (position){role, field, start, length};
        message_length++;
    }
    message[message_length] = '\0';
}

static void build_message(void)
{
    static const char *const values[] = {"com.example.demo", "id-1", "1000", "1000", "0"};
    message_length = 0;
    append("{", STRUCTURE, F_BUNDLE);
    for (int f = F_BUNDLE; f <= F_CAPS; f++) {
        if (f != F_BUNDLE)
            append(",", STRUCTURE, f);
        append("\"", STRUCTURE, f);
        append(keys[f], KEY, f);
        append("\":", STRUCTURE, f);
        if (f == F_BUNDLE || f == F_IDENTITY) {
            append("\"", STRUCTURE, f);
            append(values[f], STRING_VALUE, f);
            append("\"", STRUCTURE, f);
        } else if (f == F_CAPS) {
            append("[", STRUCTURE, f);
            append(values[f], NUMBER_VALUE, f);
            append("]", STRUCTURE, f);
        } else {
            append(values[f], NUMBER_VALUE, f);
        }
    }
    append("}", STRUCTURE, F_CAPS);
}

static int missing_field_code(enum field f)
{
    return f == F_UID || f == F_GID ? EC_PROTOCOL : EC_INVALID;
}

static int is_json_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The outcome of a number slot holding `text`, judged by POSIX regex and strtod. */
static int number_outcome(const char *text, enum field f, long *ret_value)
{
    static regex_t grammar;
    static int compiled;
    if (!compiled) {
        HM_CHECK(regcomp(&grammar, "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$", REG_EXTENDED | REG_NOSUB) ==
                 0);
        compiled = 1;
    }
    char trimmed[64];
    size_t begin = 0, end = strlen(text);
    while (begin < end && is_json_space((unsigned char)text[begin]))
        begin++;
    while (end > begin && is_json_space((unsigned char)text[end - 1]))
        end--;
    memcpy(trimmed, text + begin, end - begin);
    trimmed[end - begin] = '\0';
    if (trimmed[0] == '\0')
        return f == F_CAPS ? EC_OK : EC_PROTOCOL; /* "[ ]" is an empty array; "uID": , is not JSON */
    if (regexec(&grammar, trimmed, 0, NULL, 0) != 0)
        return EC_PROTOCOL;
    double value = strtod(trimmed, NULL);
    int integral = value == (double)(long)value;
    *ret_value = (long)value;
    if (f == F_CAPS)
        return integral && value >= 0 && value <= hm_spawn_cap_last() ? EC_OK : EC_INVALID;
    return integral && value >= 1 && value <= INT_MAX - 1 ? EC_OK : EC_PROTOCOL;
}

/* The character sets of bundleName and identityID, judged by POSIX regex independently of the parser. */
static int string_in_its_set(enum field f, const char *text)
{
    static regex_t bundle, identity;
    static int compiled;
    if (!compiled) {
        HM_CHECK(regcomp(&bundle, "^[A-Za-z][A-Za-z0-9._]*$", REG_EXTENDED | REG_NOSUB) == 0);
        HM_CHECK(regcomp(&identity, "^[!-~]*$", REG_EXTENDED | REG_NOSUB) == 0);
        compiled = 1;
    }
    return regexec(f == F_BUNDLE ? &bundle : &identity, text, 0, NULL, 0) == 0;
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The expected outcome when byte i becomes c (c < 0: byte i is deleted). Fields of a success are checked by the
 * caller against `expected_text` (string values) and `expected_number`. */
static int expected_outcome(size_t i, int c, char *expected_text, long *expected_number)
{
    const position *at = &roles[i];
    char token[64];
    size_t offset = i - at->start;
    memcpy(token, message + at->start, at->length);
    token[at->length] = '\0';
    if (c < 0)
        memmove(token + offset, token + offset + 1, at->length - offset);
    else
        token[offset] = (char)c;

    switch (at->role) {
    case STRUCTURE:
        return EC_PROTOCOL;
    case STRING_VALUE:
        if (c == '"' || c == '\\' || (c >= 0 && c < 0x20) || c >= 0x80)
            return EC_PROTOCOL;
        if (!string_in_its_set(at->field, token))
            return EC_PROTOCOL;
        strcpy(expected_text, token);
        return EC_OK;
    case KEY:
        if (c == '"' || (c >= 0 && c < 0x20) || c >= 0x80)
            return EC_PROTOCOL;
        if (c == '\\') {
            int next = (unsigned char)message[i + 1];
            if (next != '\0' && strchr("bfnrt/", next))
                return missing_field_code(at->field);
            if (next == 'u' && is_hex(message[i + 2]) && is_hex(message[i + 3]) && is_hex(message[i + 4]) &&
                is_hex(message[i + 5]))
                return missing_field_code(at->field);
            return EC_PROTOCOL;
        }
        for (int f = F_BUNDLE; f <= F_CAPS; f++)
            if (f != (int)at->field && strcmp(token, keys[f]) == 0)
                return EC_PROTOCOL; /* now a repeated key */
        return missing_field_code(at->field);
    case NUMBER_VALUE:
        if (c == 0)
            return EC_PROTOCOL; /* the C string below would end there; in JSON a NUL byte is never valid here */
        return number_outcome(token, at->field, expected_number);
    }
    return EC_PROTOCOL;
}

static int check_corruption(const char *corrupted, size_t length, size_t i, int c)
{
    char expected_text[64] = "";
    long expected_number = -1;
    int expected = expected_outcome(i, c, expected_text, &expected_number);
    int actual = parse_n(corrupted, length);
    int ok = actual == expected;
    if (ok && actual == EC_OK) {
        const position *at = &roles[i];
        if (at->role == STRING_VALUE)
            ok = strcmp(at->field == F_BUNDLE ? last.bundle_name : last.identity_id, expected_text) == 0;
        else if (at->field == F_UID)
            ok = last.uid == expected_number && last.gid == 1000;
        else if (at->field == F_GID)
            ok = last.gid == expected_number && last.uid == 1000;
        else if (at->field == F_CAPS)
            ok = expected_number < 0 ? last.cap_count == 0 : last.cap_count == 1 && (long)last.caps[0] == expected_number;
    }
    if (!ok)
        fprintf(stderr, "byte %zu ('%c') %s 0x%02x: got %d, expected %d\n", i, message[i],
                c < 0 ? "deleted" : "replaced by", c < 0 ? 0 : c, actual, expected);
    return ok;
}

static void every_single_byte_corruption_has_its_code(void)
{
    char corrupted[256];
    int failures = 0, cases = 0;
    build_message();
    HM_CHECK_INT_EQ(parse(message), EC_OK);
    for (size_t i = 0; i < message_length; i++) {
        for (int c = 0; c < 256; c++) {
            if (c == (unsigned char)message[i])
                continue;
            memcpy(corrupted, message, message_length);
            corrupted[i] = (char)c;
            failures += !check_corruption(corrupted, message_length, i, c);
            cases++;
        }
        memcpy(corrupted, message, i);
        memcpy(corrupted + i, message + i + 1, message_length - i - 1);
        failures += !check_corruption(corrupted, message_length - 1, i, -1);
        cases++;
    }
    printf("  %d single-byte corruptions of a %zu-byte message checked\n", cases, message_length);
    HM_CHECK_INT_EQ(failures, 0);
}

static void every_truncation_is_ec_protocol(void)
{
    build_message();
    HM_CHECK_INT_EQ(parse_n(message, 0), EC_INVALID);
    for (size_t length = 1; length < message_length; length++) {
        int r = parse_n(message, length);
        if (r != EC_PROTOCOL)
            fprintf(stderr, "truncated to %zu bytes: %d\n", length, r);
        HM_CHECK_INT_EQ(r, EC_PROTOCOL);
    }
}

int main(void)
{
    HM_RUN(valid_message_fills_every_field);
    HM_RUN(bundle_name_is_7_to_127_bytes);
    HM_RUN(identity_id_is_1_to_24_bytes);
    HM_RUN(names_hold_their_character_set_only);
    HM_RUN(ids_are_1_to_int_max_minus_1);
    HM_RUN(ids_missing_or_of_another_type_are_protocol_errors);
    HM_RUN(capability_holds_at_most_10_entries);
    HM_RUN(capability_values_are_0_to_cap_last_cap);
    HM_RUN(wrong_types_are_ec_invalid);
    HM_RUN(rules_run_in_appspawn_lite_order);
    HM_RUN(no_input_is_ec_invalid);
    HM_RUN(strict_json_grammar);
    HM_RUN(repeated_and_case_changed_keys);
    HM_RUN(nesting_is_limited);
    HM_RUN(every_single_byte_corruption_has_its_code);
    HM_RUN(every_truncation_is_ec_protocol);
    return HM_TEST_SUMMARY();
}
