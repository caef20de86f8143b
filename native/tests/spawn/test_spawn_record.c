/*
 * The AppProperty record: every rule at its boundary (the last accepted and the first refused value), the exact
 * bytes against a committed golden vector shared with the Java tests, hostile buffers (all 0xFF, short, long,
 * every header field wrong), decoding at every byte alignment, and the reply descriptions.
 */
#include <harmonia/spawn.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hm_test.h"

#ifndef HM_SPAWN_GOLDEN_FILE
#error "HM_SPAWN_GOLDEN_FILE must name the golden AppProperty vector"
#endif

static hm_spawn_request valid_request(void)
{
    hm_spawn_request r;
    memset(&r, 0, sizeof r);
    r.uid = 10001;
    r.gid = 10002;
    r.gid_count = 3;
    r.gids[0] = 10002;
    r.gids[1] = 1008;
    r.gids[2] = 3003;
    r.access_token_id = 0x12345678u;
    r.capabilities = (UINT64_C(1) << 10) | (UINT64_C(1) << 40);
    r.flags = HM_SPAWN_FLAG_COLD_START;
    strcpy(r.process_name, "com.example.demo");
    strcpy(r.bundle_name, "com.example");
    strcpy(r.so_path, "/system/lib/libdemo.so");
    strcpy(r.apl, "system_core");
    strcpy(r.data_dir, "/data/app/com.example");
    return r;
}

static uint32_t encode_error(const hm_spawn_request *r)
{
    unsigned char buf[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length = 0;
    uint32_t field = 0;
    int rc = hm_spawn_record_encode(r, buf, sizeof buf, &length, &field);
    if (rc == 0)
        return 0;
    HM_CHECK_INT_EQ(rc, -EINVAL);
    return field;
}

static void encode(const hm_spawn_request *r, unsigned char *buf)
{
    size_t length = 0;
    HM_CHECK_INT_EQ(hm_spawn_record_encode(r, buf, HM_SPAWN_APP_PROPERTY_SIZE, &length, NULL), 0);
    HM_CHECK_INT_EQ(length, HM_SPAWN_APP_PROPERTY_SIZE);
}

static uint32_t decode_error(const unsigned char *buf, size_t length)
{
    hm_spawn_request out;
    memset(&out, 0x5A, sizeof out);
    uint32_t field = 0;
    int rc = hm_spawn_record_decode(buf, length, &out, &field);
    if (rc == 0)
        return 0;
    HM_CHECK_INT_EQ(rc, -EINVAL);
    /* Nothing was written to the output on failure. */
    for (size_t i = 0; i < sizeof out; i++)
        if (((unsigned char *)&out)[i] != 0x5A) {
            HM_CHECK(!"decode wrote its output on failure");
            break;
        }
    return field;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void round_trip_keeps_every_field(void)
{
    hm_spawn_request in = valid_request(), out;
    unsigned char buf[HM_SPAWN_APP_PROPERTY_SIZE];
    encode(&in, buf);
    memset(&out, 0, sizeof out);
    HM_CHECK_INT_EQ(hm_spawn_record_decode(buf, sizeof buf, &out, NULL), 0);
    HM_CHECK_INT_EQ(out.uid, 10001);
    HM_CHECK_INT_EQ(out.gid, 10002);
    HM_CHECK_INT_EQ(out.gid_count, 3);
    HM_CHECK_INT_EQ(out.gids[1], 1008);
    HM_CHECK_INT_EQ(out.gids[2], 3003);
    HM_CHECK_INT_EQ(out.gids[3], 0);
    HM_CHECK_INT_EQ(out.access_token_id, 0x12345678u);
    HM_CHECK(out.capabilities == ((UINT64_C(1) << 10) | (UINT64_C(1) << 40)));
    HM_CHECK_INT_EQ(out.flags, HM_SPAWN_FLAG_COLD_START);
    HM_CHECK_STR_EQ(out.process_name, "com.example.demo");
    HM_CHECK_STR_EQ(out.bundle_name, "com.example");
    HM_CHECK_STR_EQ(out.so_path, "/system/lib/libdemo.so");
    HM_CHECK_STR_EQ(out.apl, "system_core");
    HM_CHECK_STR_EQ(out.data_dir, "/data/app/com.example");
    HM_CHECK_STR_EQ(out.identity_id, "");
}

/* The bytes are the protocol: docs/protocols.md, the Java flyweight and this golden file must agree. */
static void encoding_matches_the_golden_vector(void)
{
    hm_spawn_request in = valid_request();
    unsigned char buf[HM_SPAWN_APP_PROPERTY_SIZE];
    encode(&in, buf);
    FILE *golden = fopen(HM_SPAWN_GOLDEN_FILE, "r");
    HM_CHECK(golden != NULL);
    if (golden == NULL)
        return;
    unsigned char expected[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t count = 0;
    unsigned int byte;
    char token[8];
    while (count < sizeof expected && fscanf(golden, "%7s", token) == 1) {
        if (token[0] == '#') {
            int c;
            while ((c = fgetc(golden)) != EOF && c != '\n')
                ;
            continue;
        }
        HM_CHECK(sscanf(token, "%2x", &byte) == 1);
        expected[count++] = (unsigned char)byte;
    }
    HM_CHECK(fscanf(golden, "%7s", token) != 1);
    fclose(golden);
    HM_CHECK_INT_EQ(count, HM_SPAWN_APP_PROPERTY_SIZE);
    for (size_t i = 0; i < count; i++)
        if (buf[i] != expected[i]) {
            fprintf(stderr, "byte %zu: 0x%02x, golden 0x%02x\n", i, buf[i], expected[i]);
            HM_CHECK(buf[i] == expected[i]);
            break;
        }
}

static void uid_and_gid_must_be_positive_int32(void)
{
    hm_spawn_request r = valid_request();
    r.uid = 0;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_UID);
    r.uid = 1;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.uid = INT32_MAX;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.uid = INT32_MIN;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_UID);
    r = valid_request();
    r.gid = 0;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_GID);
    r.gid = 1;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.gid = -1;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_GID);
}

static void gid_count_is_at_most_64_and_every_gid_positive(void)
{
    hm_spawn_request r = valid_request();
    r.gid_count = 64;
    for (int i = 0; i < 64; i++)
        r.gids[i] = 20000 + i;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.gid_count = 65;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_GID_COUNT);
    r.gid_count = UINT32_MAX;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_GID_COUNT);
    r.gid_count = 0;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r = valid_request();
    r.gids[2] = 0;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_GID_TABLE);
    r.gids[2] = 1;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.gids[2] = -5;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_GID_TABLE);
}

static void capabilities_stop_at_cap_last_cap(void)
{
    hm_spawn_request r = valid_request();
    int last = hm_spawn_cap_last();
    HM_CHECK(last >= 37 && last < 63);
    r.capabilities = UINT64_C(1) << last;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.capabilities = UINT64_C(1) << (last + 1);
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_CAPABILITIES);
    r.capabilities = (UINT64_C(2) << last) - 1;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.capabilities = UINT64_MAX;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_CAPABILITIES);
}

static void flags_allow_only_cold_start(void)
{
    hm_spawn_request r = valid_request();
    r.flags = 0;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.flags = 1;
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    r.flags = 2;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_FLAGS);
    r.flags = 0x80000001u;
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_FLAGS);
}

static void fill(char *field, size_t length, char c)
{
    memset(field, c, length);
    field[length] = '\0';
}

static void string_lengths_at_their_limits(void)
{
    hm_spawn_request r = valid_request();
    r.process_name[0] = '\0';
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_PROCESS_NAME);
    fill(r.process_name, 1, 'p');
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    fill(r.process_name, 255, 'p');
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    memset(r.process_name, 'p', sizeof r.process_name); /* 256 bytes, no NUL */
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_PROCESS_NAME);

    r = valid_request();
    r.bundle_name[0] = '\0';
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    fill(r.bundle_name, 255, 'b');
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    memset(r.bundle_name, 'b', sizeof r.bundle_name);
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_BUNDLE_NAME);

    r = valid_request();
    r.so_path[0] = '\0';
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_SO_PATH);
    strcpy(r.so_path, "libdemo.so");
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_SO_PATH);
    strcpy(r.so_path, "/");
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    fill(r.so_path, 255, 's');
    r.so_path[0] = '/';
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    memset(r.so_path, 's', sizeof r.so_path);
    r.so_path[0] = '/';
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_SO_PATH);

    r = valid_request();
    r.apl[0] = '\0';
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    fill(r.apl, 31, 'a');
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    memset(r.apl, 'a', sizeof r.apl);
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_APL);

    r = valid_request();
    r.data_dir[0] = '\0';
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    strcpy(r.data_dir, "/");
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    strcpy(r.data_dir, "data/app");
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_DATA_DIR);
    fill(r.data_dir, 255, 'd');
    r.data_dir[0] = '/';
    HM_CHECK_INT_EQ(encode_error(&r), 0);
    memset(r.data_dir, 'd', sizeof r.data_dir);
    r.data_dir[0] = '/';
    HM_CHECK_INT_EQ(encode_error(&r), HM_SPAWN_FIELD_DATA_DIR);
}

/* Every text field at the edges of its character set: names are plain ASCII from a small set (no line break,
 * control character, space or quote can reach a log line or /proc through them); paths refuse control
 * characters only. */
static void text_fields_hold_their_character_sets(void)
{
    static const struct {
        const char *text;
        int process, bundle, apl, path; /* 1: accepted in processName, bundleName, apl, soPath/dataDir */
    } cases[] = {
        {"com.example.demo", 1, 1, 0, 0},
        {"Com.Example_2:render-1", 1, 0, 0, 0},
        {"Com.Example_2", 1, 1, 0, 0},
        {"system_core", 1, 1, 1, 0},
        {"1com.example", 1, 0, 0, 0},
        {"_x", 1, 0, 1, 0},
        {"com.example\nforged", 0, 0, 0, 0},
        {"com.example\rforged", 0, 0, 0, 0},
        {"com\texample", 0, 0, 0, 0},
        {"com example", 0, 0, 0, 0},
        {"com'example", 0, 0, 0, 0},
        {"com\"example", 0, 0, 0, 0},
        {"com\\example", 0, 0, 0, 0},
        {"com\x1b[2J", 0, 0, 0, 0},
        {"com\x7f", 0, 0, 0, 0},
        {"com.\xc3\xa9xample", 0, 0, 0, 0},
        {"/opt/my apps/lib'x\".so", 0, 0, 0, 1},
        {"/opt/\xc3\xa9t\xc3\xa9/lib.so", 0, 0, 0, 1},
        {"/opt/lib\n.so", 0, 0, 0, 0},
        {"/opt/lib\x7f.so", 0, 0, 0, 0},
        {"/opt/lib\x1b.so", 0, 0, 0, 0},
    };
    int failed_before = hm_test_case_failed;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hm_test_case_failed = 0;
        hm_spawn_request r = valid_request();
        strcpy(r.process_name, cases[i].text);
        HM_CHECK_INT_EQ(encode_error(&r), cases[i].process ? 0 : HM_SPAWN_FIELD_PROCESS_NAME);
        r = valid_request();
        strcpy(r.bundle_name, cases[i].text);
        HM_CHECK_INT_EQ(encode_error(&r), cases[i].bundle ? 0 : HM_SPAWN_FIELD_BUNDLE_NAME);
        r = valid_request();
        snprintf(r.apl, sizeof r.apl, "%s", cases[i].text);
        HM_CHECK_INT_EQ(encode_error(&r), cases[i].apl ? 0 : HM_SPAWN_FIELD_APL);
        r = valid_request();
        strcpy(r.so_path, cases[i].text);
        HM_CHECK_INT_EQ(encode_error(&r), cases[i].path ? 0 : HM_SPAWN_FIELD_SO_PATH);
        r = valid_request();
        strcpy(r.data_dir, cases[i].text);
        HM_CHECK_INT_EQ(encode_error(&r), cases[i].path ? 0 : HM_SPAWN_FIELD_DATA_DIR);
        if (hm_test_case_failed)
            fprintf(stderr, "  case %zu: \"%s\"\n", i, cases[i].text);
        failed_before |= hm_test_case_failed;
    }
    hm_test_case_failed = failed_before;
}

static void encode_needs_room_and_writes_nothing_without(void)
{
    hm_spawn_request r = valid_request();
    unsigned char buf[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t length = 77;
    memset(buf, 0xEE, sizeof buf);
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&r, buf, sizeof buf - 1, &length, NULL), -ENOBUFS);
    HM_CHECK_INT_EQ(length, 77);
    HM_CHECK_INT_EQ(buf[0], 0xEE);
    HM_CHECK_INT_EQ(hm_spawn_record_encode(&r, NULL, sizeof buf, &length, NULL), -ENOBUFS);
}

static void header_fields_are_each_checked(void)
{
    hm_spawn_request r = valid_request();
    unsigned char good[HM_SPAWN_APP_PROPERTY_SIZE], buf[HM_SPAWN_APP_PROPERTY_SIZE];
    encode(&r, good);
    HM_CHECK_INT_EQ(decode_error(good, sizeof good), 0);

    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_MAGIC] ^= 1;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_MAGIC);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_VERSION] = 1; /* the version before dataDir */
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_VERSION);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_VERSION] = 3;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_VERSION);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_VERSION] = 0;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_VERSION);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_TYPE] = HM_SPAWN_MSG_LITE;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_TYPE);
    memcpy(buf, good, sizeof buf);
    put32(buf + HM_SPAWN_OFF_LENGTH, HM_SPAWN_APP_PROPERTY_SIZE - 1);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_LENGTH);
    memcpy(buf, good, sizeof buf);
    put32(buf + HM_SPAWN_OFF_LENGTH, HM_SPAWN_APP_PROPERTY_SIZE + 1);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_LENGTH);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_RESERVED + 3] = 0x80;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_RESERVED);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_BODY_RESERVED] = 1;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_RESERVED);
}

static void wrong_buffer_lengths_are_refused(void)
{
    hm_spawn_request r = valid_request();
    unsigned char buf[HM_SPAWN_APP_PROPERTY_SIZE + 8];
    encode(&r, buf);
    HM_CHECK_INT_EQ(decode_error(buf, 0), HM_SPAWN_FIELD_LENGTH);
    HM_CHECK_INT_EQ(decode_error(buf, HM_SPAWN_HEADER_SIZE - 1), HM_SPAWN_FIELD_LENGTH);
    HM_CHECK_INT_EQ(decode_error(buf, HM_SPAWN_HEADER_SIZE), HM_SPAWN_FIELD_LENGTH);
    HM_CHECK_INT_EQ(decode_error(buf, HM_SPAWN_APP_PROPERTY_SIZE - 1), HM_SPAWN_FIELD_LENGTH);
    HM_CHECK_INT_EQ(decode_error(buf, HM_SPAWN_APP_PROPERTY_SIZE + 1), HM_SPAWN_FIELD_LENGTH); /* trailing byte */
    HM_CHECK_INT_EQ(decode_error(NULL, HM_SPAWN_APP_PROPERTY_SIZE), HM_SPAWN_FIELD_LENGTH);
}

static void all_ff_buffer_is_refused(void)
{
    unsigned char buf[HM_SPAWN_APP_PROPERTY_SIZE];
    memset(buf, 0xFF, sizeof buf);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_MAGIC);
    unsigned char zero[HM_SPAWN_APP_PROPERTY_SIZE] = {0};
    HM_CHECK_INT_EQ(decode_error(zero, sizeof zero), HM_SPAWN_FIELD_MAGIC);
}

/* Body rules on the wire: the same boundaries as in memory, plus padding and unused slots. */
static void body_fields_are_checked_on_the_wire(void)
{
    hm_spawn_request r = valid_request();
    unsigned char good[HM_SPAWN_APP_PROPERTY_SIZE], buf[HM_SPAWN_APP_PROPERTY_SIZE];
    encode(&r, good);

    memcpy(buf, good, sizeof buf);
    put32(buf + HM_SPAWN_OFF_UID, 0);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_UID);
    put32(buf + HM_SPAWN_OFF_UID, 0x7FFFFFFFu);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), 0);
    put32(buf + HM_SPAWN_OFF_UID, 0x80000000u);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_UID);

    memcpy(buf, good, sizeof buf);
    put32(buf + HM_SPAWN_OFF_GID, 0xFFFFFFFFu);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_GID);

    memcpy(buf, good, sizeof buf);
    put32(buf + HM_SPAWN_OFF_GID_COUNT, 65);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_GID_COUNT);
    put32(buf + HM_SPAWN_OFF_GID_COUNT, 2); /* the third gid is now an unused slot that is not zero */
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_GID_TABLE);
    put32(buf + HM_SPAWN_OFF_GID_COUNT, 4); /* the fourth slot is zero, an invalid gid */
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_GID_TABLE);
    memcpy(buf, good, sizeof buf);
    put32(buf + HM_SPAWN_OFF_GID_TABLE + 4 * 63, 7); /* last slot, unused */
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_GID_TABLE);

    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_CAPABILITIES + 5] = (unsigned char)(1u << (hm_spawn_cap_last() + 1 - 40));
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_CAPABILITIES);

    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_FLAGS + 1] = 1;
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_FLAGS);

    /* A byte after the NUL of each string field. */
    static const struct {
        unsigned offset, size, field;
    } strings[] = {
        {HM_SPAWN_OFF_PROCESS_NAME, HM_SPAWN_NAME_SIZE, HM_SPAWN_FIELD_PROCESS_NAME},
        {HM_SPAWN_OFF_BUNDLE_NAME, HM_SPAWN_NAME_SIZE, HM_SPAWN_FIELD_BUNDLE_NAME},
        {HM_SPAWN_OFF_SO_PATH, HM_SPAWN_NAME_SIZE, HM_SPAWN_FIELD_SO_PATH},
        {HM_SPAWN_OFF_APL, HM_SPAWN_APL_SIZE, HM_SPAWN_FIELD_APL},
        {HM_SPAWN_OFF_DATA_DIR, HM_SPAWN_NAME_SIZE, HM_SPAWN_FIELD_DATA_DIR},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        memcpy(buf, good, sizeof buf);
        buf[strings[i].offset + strings[i].size - 1] = 'x';
        HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), strings[i].field);
        memset(buf + strings[i].offset, 'x', strings[i].size); /* no NUL at all */
        HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), strings[i].field);
    }
    memcpy(buf, good, sizeof buf);
    memset(buf + HM_SPAWN_OFF_PROCESS_NAME, 0, HM_SPAWN_NAME_SIZE);
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_PROCESS_NAME);
    memcpy(buf, good, sizeof buf);
    buf[HM_SPAWN_OFF_SO_PATH] = 's';
    HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), HM_SPAWN_FIELD_SO_PATH);
    /* A line break inside each text field, where the bytes are otherwise valid. */
    static const unsigned name_offsets[] = {HM_SPAWN_OFF_PROCESS_NAME, HM_SPAWN_OFF_BUNDLE_NAME, HM_SPAWN_OFF_SO_PATH,
                                            HM_SPAWN_OFF_APL, HM_SPAWN_OFF_DATA_DIR};
    static const unsigned name_fields[] = {HM_SPAWN_FIELD_PROCESS_NAME, HM_SPAWN_FIELD_BUNDLE_NAME,
                                           HM_SPAWN_FIELD_SO_PATH, HM_SPAWN_FIELD_APL, HM_SPAWN_FIELD_DATA_DIR};
    for (size_t i = 0; i < sizeof name_offsets / sizeof name_offsets[0]; i++) {
        memcpy(buf, good, sizeof buf);
        buf[name_offsets[i] + 3] = '\n';
        HM_CHECK_INT_EQ(decode_error(buf, sizeof buf), name_fields[i]);
    }
}

static void decodes_at_every_alignment(void)
{
    hm_spawn_request r = valid_request(), out;
    unsigned char good[HM_SPAWN_APP_PROPERTY_SIZE];
    unsigned char *area = malloc(HM_SPAWN_APP_PROPERTY_SIZE + 8);
    HM_CHECK(area != NULL);
    if (area == NULL)
        return;
    encode(&r, good);
    for (int offset = 0; offset < 8; offset++) {
        memcpy(area + offset, good, sizeof good);
        HM_CHECK_INT_EQ(hm_spawn_record_decode(area + offset, sizeof good, &out, NULL), 0);
        HM_CHECK_INT_EQ(out.gids[2], 3003);
        HM_CHECK(out.capabilities == r.capabilities);
    }
    free(area);
}

static void replies_describe_step_and_detail(void)
{
    char text[160];
    int32_t reply = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_SETRESUID, EPERM);
    HM_CHECK(reply < 0);
    HM_CHECK_INT_EQ(HM_SPAWN_REPLY_STEP(reply), HM_SPAWN_STEP_SETRESUID);
    HM_CHECK_INT_EQ(HM_SPAWN_REPLY_DETAIL(reply), EPERM);
    hm_spawn_describe(reply, text, sizeof text);
    HM_CHECK(strstr(text, "step setresuid failed: EPERM") != NULL);

    reply = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_DAEMON, ETIMEDOUT);
    HM_CHECK_INT_EQ(reply, -ETIMEDOUT);
    hm_spawn_describe(reply, text, sizeof text);
    HM_CHECK(strstr(text, "ETIMEDOUT") != NULL);

    reply = HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_PROCESS_NAME);
    hm_spawn_describe(reply, text, sizeof text);
    HM_CHECK(strstr(text, "processName must be 1..255 bytes") != NULL);

    hm_spawn_describe(4242, text, sizeof text);
    HM_CHECK_STR_EQ(text, "pid 4242");
    HM_CHECK_INT_EQ(hm_spawn_describe(4242, NULL, 0), 8);

    for (int step = HM_SPAWN_STEP_DAEMON; step <= HM_SPAWN_STEP_READY; step++)
        HM_CHECK(hm_spawn_step_name(step) != NULL);
    HM_CHECK(hm_spawn_step_name(HM_SPAWN_STEP_READY + 1) == NULL);
    for (int field = HM_SPAWN_FIELD_MAGIC; field <= HM_SPAWN_FIELD_DATA_DIR; field++)
        HM_CHECK(hm_spawn_field_name(field) != NULL);
    HM_CHECK(hm_spawn_field_name(0) == NULL);
    HM_CHECK(hm_spawn_field_name(HM_SPAWN_FIELD_DATA_DIR + 1) == NULL);
}

/* Replies to a spawn of a known app name the path and the uid of the step that could not open it. */
static void app_replies_name_the_path_and_the_uid(void)
{
    char text[512];
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_LOAD, EACCES), 65534, "/root/private/libapp.so", "",
                          text, sizeof text);
    HM_CHECK_STR_EQ(text, "step load failed: EACCES 13 (Permission denied): uid 65534 cannot open "
                          "/root/private/libapp.so");
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_LOAD, ENOENT), 1000, "/x.so", NULL, text, sizeof text);
    HM_CHECK(strstr(text, "ENOENT") && strstr(text, "uid 1000 cannot open /x.so"));
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_LOAD, ELIBBAD), 1000, "/x.so", NULL, text, sizeof text);
    HM_CHECK(strstr(text, "uid 1000 opened /x.so, but it does not load") != NULL);
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_ENTRY, ENOENT), 1000, "/x.so", NULL, text, sizeof text);
    HM_CHECK(strstr(text, "/x.so has no HmAppMain") != NULL);
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_WORKDIR, EACCES), 7, "/x.so", "/data/a", text,
                          sizeof text);
    HM_CHECK(strstr(text, "step workdir failed: EACCES") && strstr(text, "uid 7 cannot enter /data/a"));
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_WORKDIR, ENOENT), 7, "/x.so", "", text, sizeof text);
    HM_CHECK(strstr(text, "uid 7 cannot enter /") != NULL);
    hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_EXEC, EACCES), 7, "/x.so", "", text, sizeof text);
    HM_CHECK(strstr(text, "uid 7 cannot execute the daemon's launcher") != NULL);
    /* Other replies read as hm_spawn_describe's. */
    char plain[512];
    static const int32_t others[] = {4242, -ETIMEDOUT, HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_SETRESUID, EPERM),
                                     HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_REQUEST, HM_SPAWN_FIELD_SO_PATH)};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        hm_spawn_describe_app(others[i], 7, "/x.so", "/d", text, sizeof text);
        hm_spawn_describe(others[i], plain, sizeof plain);
        HM_CHECK_STR_EQ(text, plain);
    }
    /* Truncated, still terminated. */
    HM_CHECK(hm_spawn_describe_app(HM_SPAWN_REPLY_ERROR(HM_SPAWN_STEP_LOAD, EACCES), 1, "/x.so", "", text, 10) > 10);
    HM_CHECK_INT_EQ(strlen(text), 9);
}

static void access_token_travels_in_the_environment(void)
{
    unsetenv(HM_SPAWN_TOKEN_ENV);
    HM_CHECK_INT_EQ(hm_spawn_access_token_id(), 0);
    HM_CHECK_INT_EQ(hm_spawn_set_access_token_id(0xCAFEF00Du), 0);
    HM_CHECK_STR_EQ(getenv(HM_SPAWN_TOKEN_ENV), "3405705229");
    HM_CHECK_INT_EQ(hm_spawn_access_token_id(), 0xCAFEF00Du);
    HM_CHECK_INT_EQ(hm_spawn_set_access_token_id(UINT32_MAX), 0);
    HM_CHECK_INT_EQ(hm_spawn_access_token_id(), UINT32_MAX);
    /* Anything but a plain decimal uint32 reads as no token. */
    static const char *const bad[] = {"4294967296", "-1", "12x", "", " 5", "+5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv(HM_SPAWN_TOKEN_ENV, bad[i], 1);
        HM_CHECK_INT_EQ(hm_spawn_access_token_id(), 0);
    }
    unsetenv(HM_SPAWN_TOKEN_ENV);
}

int main(void)
{
    HM_RUN(round_trip_keeps_every_field);
    HM_RUN(encoding_matches_the_golden_vector);
    HM_RUN(uid_and_gid_must_be_positive_int32);
    HM_RUN(gid_count_is_at_most_64_and_every_gid_positive);
    HM_RUN(capabilities_stop_at_cap_last_cap);
    HM_RUN(flags_allow_only_cold_start);
    HM_RUN(string_lengths_at_their_limits);
    HM_RUN(text_fields_hold_their_character_sets);
    HM_RUN(encode_needs_room_and_writes_nothing_without);
    HM_RUN(header_fields_are_each_checked);
    HM_RUN(wrong_buffer_lengths_are_refused);
    HM_RUN(all_ff_buffer_is_refused);
    HM_RUN(body_fields_are_checked_on_the_wire);
    HM_RUN(decodes_at_every_alignment);
    HM_RUN(replies_describe_step_and_detail);
    HM_RUN(app_replies_name_the_path_and_the_uid);
    HM_RUN(access_token_travels_in_the_environment);
    return HM_TEST_SUMMARY();
}
