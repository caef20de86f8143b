/*
 * The AppProperty record: validation, encoding and decoding of the fixed little-endian layout in
 * docs/protocols.md. Decoding reads only through bounds-checked little-endian accessors and checks every rule,
 * including zero padding after strings and unused gid slots, so one request has exactly one encoding.
 */
#include <harmonia/spawn.h>

#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>

#include "names.h"
#include "wire.h"

#define HM_SPAWN_CAP_MASK ((UINT64_C(2) << CAP_LAST_CAP) - 1)

int hm_spawn_cap_last(void)
{
    return CAP_LAST_CAP;
}

/* A string of min..max bytes (NUL excluded), terminated inside a char array of `size` bytes, whose bytes all
 * belong to the character set of `kind`. */
static int text_valid(const char *s, size_t size, size_t min, size_t max, hm_spawn_text kind)
{
    const char *nul = memchr(s, '\0', size);
    if (nul == NULL)
        return 0;
    size_t length = (size_t)(nul - s);
    return length >= min && length <= max && hm_spawn_text_valid(kind, s, length);
}

static int id_valid(int32_t id)
{
    return id > 0;
}

int hm_spawn_request_validate(const hm_spawn_request *request, uint32_t *reterr_field)
{
    uint32_t field = 0;
    if (request == NULL)
        return -EINVAL;
    if (!id_valid(request->uid))
        field = HM_SPAWN_FIELD_UID;
    else if (!id_valid(request->gid))
        field = HM_SPAWN_FIELD_GID;
    else if (request->gid_count > HM_SPAWN_MAX_GIDS)
        field = HM_SPAWN_FIELD_GID_COUNT;
    else if (request->capabilities & ~HM_SPAWN_CAP_MASK)
        field = HM_SPAWN_FIELD_CAPABILITIES;
    else if (request->flags & ~HM_SPAWN_FLAG_COLD_START)
        field = HM_SPAWN_FIELD_FLAGS;
    else if (!text_valid(request->process_name, sizeof request->process_name, 1, HM_SPAWN_NAME_SIZE - 1,
                         HM_SPAWN_TEXT_PROCESS_NAME))
        field = HM_SPAWN_FIELD_PROCESS_NAME;
    else if (!text_valid(request->bundle_name, sizeof request->bundle_name, 0, HM_SPAWN_NAME_SIZE - 1,
                         HM_SPAWN_TEXT_BUNDLE_NAME))
        field = HM_SPAWN_FIELD_BUNDLE_NAME;
    else if (!text_valid(request->so_path, sizeof request->so_path, 1, HM_SPAWN_NAME_SIZE - 1, HM_SPAWN_TEXT_PATH) ||
             request->so_path[0] != '/')
        field = HM_SPAWN_FIELD_SO_PATH;
    else if (!text_valid(request->apl, sizeof request->apl, 0, HM_SPAWN_APL_SIZE - 1, HM_SPAWN_TEXT_APL))
        field = HM_SPAWN_FIELD_APL;
    else if (!text_valid(request->data_dir, sizeof request->data_dir, 0, HM_SPAWN_NAME_SIZE - 1,
                         HM_SPAWN_TEXT_PATH) ||
             (request->data_dir[0] != '\0' && request->data_dir[0] != '/'))
        field = HM_SPAWN_FIELD_DATA_DIR;
    for (uint32_t i = 0; field == 0 && i < request->gid_count; i++)
        if (!id_valid(request->gids[i]))
            field = HM_SPAWN_FIELD_GID_TABLE;
    if (field != 0) {
        if (reterr_field)
            *reterr_field = field;
        return -EINVAL;
    }
    return 0;
}

static void put_string(unsigned char *dst, const char *src, size_t size)
{
    size_t length = strnlen(src, size - 1);
    memset(dst, 0, size);
    memcpy(dst, src, length);
}

int hm_spawn_record_encode(const hm_spawn_request *request, void *buf, size_t size, size_t *ret_length,
                           uint32_t *reterr_field)
{
    int r = hm_spawn_request_validate(request, reterr_field);
    if (r < 0)
        return r;
    if (buf == NULL || size < HM_SPAWN_APP_PROPERTY_SIZE)
        return -ENOBUFS;
    unsigned char *p = buf;
    memset(p, 0, HM_SPAWN_APP_PROPERTY_SIZE);
    hm_wire_put_header(p, HM_SPAWN_MSG_APP_PROPERTY, HM_SPAWN_APP_PROPERTY_SIZE);
    hm_wire_put_u32(p + HM_SPAWN_OFF_UID, (uint32_t)request->uid);
    hm_wire_put_u32(p + HM_SPAWN_OFF_GID, (uint32_t)request->gid);
    hm_wire_put_u32(p + HM_SPAWN_OFF_GID_COUNT, request->gid_count);
    hm_wire_put_u32(p + HM_SPAWN_OFF_ACCESS_TOKEN, request->access_token_id);
    hm_wire_put_u64(p + HM_SPAWN_OFF_CAPABILITIES, request->capabilities);
    hm_wire_put_u32(p + HM_SPAWN_OFF_FLAGS, request->flags);
    for (uint32_t i = 0; i < request->gid_count; i++)
        hm_wire_put_u32(p + HM_SPAWN_OFF_GID_TABLE + 4 * i, (uint32_t)request->gids[i]);
    put_string(p + HM_SPAWN_OFF_PROCESS_NAME, request->process_name, HM_SPAWN_NAME_SIZE);
    put_string(p + HM_SPAWN_OFF_BUNDLE_NAME, request->bundle_name, HM_SPAWN_NAME_SIZE);
    put_string(p + HM_SPAWN_OFF_SO_PATH, request->so_path, HM_SPAWN_NAME_SIZE);
    put_string(p + HM_SPAWN_OFF_APL, request->apl, HM_SPAWN_APL_SIZE);
    put_string(p + HM_SPAWN_OFF_DATA_DIR, request->data_dir, HM_SPAWN_NAME_SIZE);
    *ret_length = HM_SPAWN_APP_PROPERTY_SIZE;
    return 0;
}

/* After validation: a wire string field holds nothing but zeros after its NUL (one request, one encoding). */
static int zero_padded(const char *s, size_t size)
{
    size_t length = strnlen(s, size);
    for (size_t i = length; i < size; i++)
        if (s[i] != 0)
            return 0;
    return 1;
}

int hm_spawn_header_decode(const void *buf, size_t size, uint16_t *ret_type, uint32_t *ret_length,
                           uint32_t *reterr_field)
{
    const unsigned char *p = buf;
    uint32_t field = 0, length = 0;
    uint16_t type = 0;
    if (p == NULL || size < HM_SPAWN_HEADER_SIZE) {
        field = HM_SPAWN_FIELD_LENGTH;
    } else {
        length = hm_wire_get_u32(p + HM_SPAWN_OFF_LENGTH);
        type = hm_wire_get_u16(p + HM_SPAWN_OFF_TYPE);
        if (hm_wire_get_u32(p + HM_SPAWN_OFF_MAGIC) != HM_SPAWN_MAGIC)
            field = HM_SPAWN_FIELD_MAGIC;
        else if (hm_wire_get_u16(p + HM_SPAWN_OFF_VERSION) != HM_SPAWN_VERSION)
            field = HM_SPAWN_FIELD_VERSION;
        else if (type < HM_SPAWN_MSG_APP_PROPERTY || type > HM_SPAWN_MSG_DUMP)
            field = HM_SPAWN_FIELD_TYPE;
        else if (hm_wire_get_u32(p + HM_SPAWN_OFF_RESERVED) != 0)
            field = HM_SPAWN_FIELD_RESERVED;
        else if (!((type == HM_SPAWN_MSG_APP_PROPERTY && length == HM_SPAWN_APP_PROPERTY_SIZE) ||
                   (type == HM_SPAWN_MSG_LITE && length >= HM_SPAWN_LITE_MIN_SIZE && length <= HM_SPAWN_MESSAGE_MAX) ||
                   (type == HM_SPAWN_MSG_TERMINATE && length == HM_SPAWN_TERMINATE_SIZE) ||
                   (type == HM_SPAWN_MSG_DUMP && length == HM_SPAWN_HEADER_SIZE)))
            field = HM_SPAWN_FIELD_LENGTH;
    }
    if (field != 0) {
        if (reterr_field)
            *reterr_field = field;
        return -EINVAL;
    }
    *ret_type = type;
    *ret_length = length;
    return 0;
}

static uint32_t check_header(const unsigned char *p, size_t length)
{
    uint16_t type;
    uint32_t declared, field = 0;
    if (hm_spawn_header_decode(p, length, &type, &declared, &field) < 0)
        return field;
    if (type != HM_SPAWN_MSG_APP_PROPERTY)
        return HM_SPAWN_FIELD_TYPE;
    if (length != declared)
        return HM_SPAWN_FIELD_LENGTH;
    if (hm_wire_get_u32(p + HM_SPAWN_OFF_BODY_RESERVED) != 0)
        return HM_SPAWN_FIELD_RESERVED;
    return 0;
}

int hm_spawn_record_decode(const void *buf, size_t length, hm_spawn_request *ret_request, uint32_t *reterr_field)
{
    const unsigned char *p = buf;
    hm_spawn_request request;
    uint32_t field;
    if (buf == NULL || ret_request == NULL) {
        field = HM_SPAWN_FIELD_LENGTH;
        goto invalid;
    }
    field = check_header(p, length);
    if (field != 0)
        goto invalid;

    memset(&request, 0, sizeof request);
    request.uid = (int32_t)hm_wire_get_u32(p + HM_SPAWN_OFF_UID);
    request.gid = (int32_t)hm_wire_get_u32(p + HM_SPAWN_OFF_GID);
    request.gid_count = hm_wire_get_u32(p + HM_SPAWN_OFF_GID_COUNT);
    request.access_token_id = hm_wire_get_u32(p + HM_SPAWN_OFF_ACCESS_TOKEN);
    request.capabilities = hm_wire_get_u64(p + HM_SPAWN_OFF_CAPABILITIES);
    request.flags = hm_wire_get_u32(p + HM_SPAWN_OFF_FLAGS);
    for (uint32_t i = 0; i < HM_SPAWN_MAX_GIDS; i++)
        request.gids[i] = (int32_t)hm_wire_get_u32(p + HM_SPAWN_OFF_GID_TABLE + 4 * i);
    /* Raw copies: validation below rejects a field without its NUL. */
    memcpy(request.process_name, p + HM_SPAWN_OFF_PROCESS_NAME, HM_SPAWN_NAME_SIZE);
    memcpy(request.bundle_name, p + HM_SPAWN_OFF_BUNDLE_NAME, HM_SPAWN_NAME_SIZE);
    memcpy(request.so_path, p + HM_SPAWN_OFF_SO_PATH, HM_SPAWN_NAME_SIZE);
    memcpy(request.apl, p + HM_SPAWN_OFF_APL, HM_SPAWN_APL_SIZE);
    memcpy(request.data_dir, p + HM_SPAWN_OFF_DATA_DIR, HM_SPAWN_NAME_SIZE);
    if (hm_spawn_request_validate(&request, &field) < 0)
        goto invalid;
    for (uint32_t i = request.gid_count; i < HM_SPAWN_MAX_GIDS; i++)
        if (request.gids[i] != 0)
            field = HM_SPAWN_FIELD_GID_TABLE;
    if (field == 0 && !zero_padded(request.process_name, HM_SPAWN_NAME_SIZE))
        field = HM_SPAWN_FIELD_PROCESS_NAME;
    else if (field == 0 && !zero_padded(request.bundle_name, HM_SPAWN_NAME_SIZE))
        field = HM_SPAWN_FIELD_BUNDLE_NAME;
    else if (field == 0 && !zero_padded(request.so_path, HM_SPAWN_NAME_SIZE))
        field = HM_SPAWN_FIELD_SO_PATH;
    else if (field == 0 && !zero_padded(request.apl, HM_SPAWN_APL_SIZE))
        field = HM_SPAWN_FIELD_APL;
    else if (field == 0 && !zero_padded(request.data_dir, HM_SPAWN_NAME_SIZE))
        field = HM_SPAWN_FIELD_DATA_DIR;
    if (field != 0)
        goto invalid;
    *ret_request = request;
    return 0;

invalid:
    if (reterr_field)
        *reterr_field = field;
    return -EINVAL;
}
