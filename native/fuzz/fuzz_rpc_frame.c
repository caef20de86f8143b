/*
 * The C RPC endpoint's frame decoders (rpc_frames.h) on arbitrary bytes, as a hostile peer sends them: the first
 * byte picks the frame kind and the fd count, the rest is the payload. Every accepted body is then copied and
 * its object table validated exactly as the endpoint does (rpc_body_copy's checks, here without a connection),
 * and every reference of it is decoded. Only the decoders' own refusals may come out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <harmonia/ipcio.h>

#include "rpc_frames.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_body(const hm_rpc_body *body)
{
    hm_error err;
    for (uint32_t i = 0; i < body->ref_count; i++) {
        hm_rpc_reference reference;
        if (hm_rpc_body_reference(body, i, &reference, &err) == 0) {
            volatile size_t length = strlen(reference.owner_address) + reference.descriptor_length;
            (void)length;
        }
    }
    if (body->spilled) {
        return;
    }
    uint8_t *copy = malloc(body->data_length == 0 ? 1 : body->data_length);
    size_t *offsets = calloc(body->object_count + 1u, sizeof(size_t));
    if (copy == NULL || offsets == NULL) {
        free(copy);
        free(offsets);
        return;
    }
    memcpy(copy, body->image, body->data_length);
    int valid = 1;
    for (uint32_t i = 0; i < body->object_count; i++) {
        uint64_t offset = hm_rpc_load64(body->image + hm_rpc_align8(body->data_length) + (size_t)i * 8u);
        valid = valid && offset <= body->data_length;
        offsets[i] = (size_t)offset;
    }
    IpcIo io;
    if (valid && hm_ipcio_init_reader(&io, copy, body->data_length, offsets, body->object_count) == 0) {
        int32_t value;
        while (ReadInt32(&io, &value)) {
        }
        hm_ipcio_release(&io);
    }
    free(copy);
    free(offsets);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint32_t kind = (data[0] & 0x7u) + 1u;
    uint32_t fd_count = data[0] >> 7;
    const uint8_t *payload = data + 1;
    uint32_t length = (uint32_t)(size - 1);
    uint8_t *owned = malloc(length == 0 ? 1 : length); /* exact size, so ASan sees any read past the frame */
    if (owned == NULL) {
        return 0;
    }
    memcpy(owned, payload, length);
    hm_error err;
    if (kind == HM_RPC_CALL || kind == HM_RPC_ONEWAY) {
        hm_rpc_call_frame frame;
        if (hm_rpc_parse_call(owned, length, fd_count, &frame, &err) == 0) {
            check_body(&frame.body);
        }
    } else if (kind == HM_RPC_REPLY) {
        hm_rpc_reply_frame frame;
        if (hm_rpc_parse_reply(owned, length, fd_count, &frame, &err) == 0) {
            check_body(&frame.body);
        }
    } else {
        int32_t pid;
        char address[HM_RPC_MAX_ADDRESS + 1];
        hm_rpc_parse_hello(owned, length, &pid, address, &err);
    }
    free(owned);
    return 0;
}
