/*
 * libFuzzer target for the AppProperty record decoder (hm_spawn_record_decode) and the header check. Besides the
 * sanitizers' checks it asserts: an accepted message passes validation, and encoding the decoded request gives
 * back exactly the input bytes (one request has exactly one encoding, so nothing in an accepted message is
 * ignored).
 */
#include <harmonia/spawn.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hm_spawn_request request;
    uint32_t field = 0, length = 0;
    uint16_t type = 0;
    if (hm_spawn_header_decode(data, size, &type, &length, &field) < 0 && hm_spawn_field_name((int)field) == NULL)
        __builtin_trap();
    field = 0;
    int r = hm_spawn_record_decode(data, size, &request, &field);
    if (r < 0) {
        if (r != -EINVAL || hm_spawn_field_name((int)field) == NULL)
            __builtin_trap();
        return 0;
    }
    unsigned char again[HM_SPAWN_APP_PROPERTY_SIZE];
    size_t again_length = 0;
    if (hm_spawn_request_validate(&request, &field) != 0 ||
        hm_spawn_record_encode(&request, again, sizeof again, &again_length, &field) != 0 || again_length != size ||
        memcmp(again, data, size) != 0)
        __builtin_trap();
    return 0;
}
