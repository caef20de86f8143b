/*
 * Decoders of the RPC frames (rpc_frames.h). Every length and count is checked against the bytes that are there
 * before anything past it is read; the references of a body are walked entry by entry, each inside the frame.
 */
#include "rpc_frames.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

uint64_t hm_rpc_load64(const uint8_t *at)
{
    uint64_t value;
    memcpy(&value, at, sizeof(value));
    return value;
}

uint32_t hm_rpc_load32(const uint8_t *at)
{
    uint32_t value;
    memcpy(&value, at, sizeof(value));
    return value;
}

uint16_t hm_rpc_load16(const uint8_t *at)
{
    uint16_t value;
    memcpy(&value, at, sizeof(value));
    return value;
}

void hm_rpc_store64(uint8_t *at, uint64_t value)
{
    memcpy(at, &value, sizeof(value));
}

void hm_rpc_store32(uint8_t *at, uint32_t value)
{
    memcpy(at, &value, sizeof(value));
}

void hm_rpc_store16(uint8_t *at, uint16_t value)
{
    memcpy(at, &value, sizeof(value));
}

__attribute__((format(printf, 2, 3))) static int refuse(hm_error *err, const char *format, ...)
{
    if (err != NULL) {
        va_list args;
        va_start(args, format);
        vsnprintf(err->message, sizeof(err->message), format, args);
        va_end(args);
    }
    return -EBADMSG;
}

static int parse_body(const uint8_t *at, uint32_t left, uint32_t flags, uint32_t data_length,
                      uint32_t object_count, uint32_t ref_count, uint32_t fd_count, hm_rpc_body *body,
                      hm_error *err)
{
    if (data_length > HM_RPC_MAX_DATA || object_count > HM_RPC_MAX_OBJECTS || ref_count > object_count) {
        return refuse(err, "data_length=%" PRIu32 " (limit %u), object_count=%" PRIu32 " (limit %u), ref_count=%"
                      PRIu32 " (at most object_count)", data_length, HM_RPC_MAX_DATA, object_count,
                      HM_RPC_MAX_OBJECTS, ref_count);
    }
    body->spilled = (flags & HM_RPC_BODY_SPILLED) != 0;
    body->data_length = data_length;
    body->object_count = object_count;
    body->ref_count = ref_count;
    body->image = NULL;
    if (body->spilled) {
        if (fd_count == 0) {
            return refuse(err, "a spilled body came without its memfd");
        }
    } else {
        uint64_t image = (uint64_t)hm_rpc_align8(data_length) + (uint64_t)object_count * 8u;
        if (image > left) {
            return refuse(err, "data_length=%" PRIu32 " and object_count=%" PRIu32 " need %" PRIu64
                          " bytes, the frame has %" PRIu32, data_length, object_count, image, left);
        }
        body->image = at;
        at += image;
        left -= (uint32_t)image;
    }
    body->refs = at;
    body->refs_length = left;
    /* Every entry must be inside the frame: walk them now, so later reads cannot fail. */
    uint32_t offset = 0;
    for (uint32_t i = 0; i < ref_count; i++) {
        if (left - offset < HM_RPC_REF_HEADER) {
            return refuse(err, "reference %" PRIu32 " at body byte %" PRIu32 " runs past the frame", i, offset);
        }
        uint16_t address_length = hm_rpc_load16(at + offset + 36);
        uint16_t descriptor_length = hm_rpc_load16(at + offset + 38);
        if (address_length < 1 || address_length > HM_RPC_MAX_ADDRESS ||
            descriptor_length > HM_RPC_MAX_DESCRIPTOR) {
            return refuse(err, "reference %" PRIu32 ": address_length=%u (1..%u), descriptor_length=%u (0..%u)", i,
                          address_length, HM_RPC_MAX_ADDRESS, descriptor_length, HM_RPC_MAX_DESCRIPTOR);
        }
        uint32_t entry = hm_rpc_reference_length(address_length, descriptor_length);
        if (HM_RPC_REF_HEADER + (uint32_t)address_length + descriptor_length > left - offset) {
            return refuse(err, "reference %" PRIu32 " of %" PRIu32 " bytes runs past the frame (%" PRIu32 " left)",
                          i, entry, left - offset);
        }
        offset += entry > left - offset ? left - offset : entry;
    }
    return 0;
}

int hm_rpc_parse_call(const uint8_t *payload, uint32_t length, uint32_t fd_count, hm_rpc_call_frame *frame,
                      hm_error *err)
{
    if (length < HM_RPC_CALL_HEADER) {
        return refuse(err, "a request of %" PRIu32 " bytes, the header alone needs %u", length, HM_RPC_CALL_HEADER);
    }
    frame->call_id = hm_rpc_load64(payload);
    frame->object_id = hm_rpc_load64(payload + 8);
    frame->nested_for = hm_rpc_load64(payload + 16);
    frame->code = hm_rpc_load32(payload + 24);
    frame->flags = hm_rpc_load32(payload + 28);
    uint32_t data_length = hm_rpc_load32(payload + 32);
    uint32_t object_count = hm_rpc_load32(payload + 36);
    uint32_t ref_count = hm_rpc_load32(payload + 40);
    uint32_t chain_count = hm_rpc_load32(payload + 44);
    if (chain_count > HM_RPC_MAX_CHAIN || HM_RPC_CALL_HEADER + chain_count * HM_RPC_CHAIN_ENTRY > length) {
        return refuse(err, "a request with %" PRIu32 " chain entries (limit %u) in %" PRIu32 " bytes", chain_count,
                      HM_RPC_MAX_CHAIN, length);
    }
    frame->chain_count = chain_count;
    for (uint32_t i = 0; i < chain_count; i++) {
        frame->chain[i][0] = hm_rpc_load64(payload + HM_RPC_CALL_HEADER + i * HM_RPC_CHAIN_ENTRY);
        frame->chain[i][1] = hm_rpc_load64(payload + HM_RPC_CALL_HEADER + i * HM_RPC_CHAIN_ENTRY + 8);
    }
    uint32_t header = HM_RPC_CALL_HEADER + chain_count * HM_RPC_CHAIN_ENTRY;
    return parse_body(payload + header, length - header, frame->flags, data_length, object_count, ref_count,
                      fd_count, &frame->body, err);
}

int hm_rpc_parse_reply(const uint8_t *payload, uint32_t length, uint32_t fd_count, hm_rpc_reply_frame *frame,
                       hm_error *err)
{
    if (length < HM_RPC_REPLY_HEADER) {
        return refuse(err, "a reply of %" PRIu32 " bytes, the header alone needs %u", length, HM_RPC_REPLY_HEADER);
    }
    frame->call_id = hm_rpc_load64(payload);
    frame->status = (int32_t)hm_rpc_load32(payload + 8);
    frame->flags = hm_rpc_load32(payload + 12);
    return parse_body(payload + HM_RPC_REPLY_HEADER, length - HM_RPC_REPLY_HEADER, frame->flags,
                      hm_rpc_load32(payload + 16), hm_rpc_load32(payload + 20), hm_rpc_load32(payload + 24),
                      fd_count, &frame->body, err);
}

int hm_rpc_parse_hello(const uint8_t *payload, uint32_t length, int32_t *ret_pid, char *address, hm_error *err)
{
    if (length < HM_RPC_HELLO_HEADER) {
        return refuse(err, "HELLO of %" PRIu32 " bytes (at least %u)", length, HM_RPC_HELLO_HEADER);
    }
    uint16_t address_length = hm_rpc_load16(payload + 12);
    if (address_length < 1 || address_length > HM_RPC_MAX_ADDRESS ||
        HM_RPC_HELLO_HEADER + (uint32_t)address_length > length) {
        return refuse(err, "HELLO with an address of %u bytes (1..%u) in %" PRIu32, address_length,
                      HM_RPC_MAX_ADDRESS, length);
    }
    *ret_pid = (int32_t)hm_rpc_load32(payload + 8);
    memcpy(address, payload + HM_RPC_HELLO_HEADER, address_length);
    address[address_length] = '\0';
    return 0;
}

int hm_rpc_body_reference(const hm_rpc_body *body, uint32_t index, hm_rpc_reference *reference, hm_error *err)
{
    if (index >= body->ref_count) {
        return refuse(err, "handle %" PRIu32 " names no reference of this message (1..%" PRIu32 ")", index + 1,
                      body->ref_count);
    }
    const uint8_t *at = body->refs;
    for (uint32_t i = 0; i < index; i++) {
        at += hm_rpc_reference_length(hm_rpc_load16(at + 36), hm_rpc_load16(at + 38));
    }
    uint16_t address_length = hm_rpc_load16(at + 36);
    reference->object_id = hm_rpc_load64(at);
    reference->secret_low = hm_rpc_load64(at + 8);
    reference->secret_high = hm_rpc_load64(at + 16);
    reference->transfer_id = hm_rpc_load64(at + 24);
    reference->owner_pid = (int32_t)hm_rpc_load32(at + 32);
    memcpy(reference->owner_address, at + HM_RPC_REF_HEADER, address_length);
    reference->owner_address[address_length] = '\0';
    if (memchr(reference->owner_address, '\0', address_length) != NULL) {
        return refuse(err, "reference %" PRIu32 ": its address holds a NUL byte", index);
    }
    reference->descriptor = (const char *)at + HM_RPC_REF_HEADER + address_length;
    reference->descriptor_length = hm_rpc_load16(at + 38);
    return 0;
}

uint32_t hm_rpc_reference_length(size_t address_length, size_t descriptor_length)
{
    return hm_rpc_align8((uint32_t)(HM_RPC_REF_HEADER + address_length + descriptor_length));
}

void hm_rpc_write_reference(uint8_t *at, const hm_rpc_reference *reference, const char *descriptor,
                            uint16_t descriptor_length)
{
    size_t address_length = strlen(reference->owner_address);
    uint32_t length = hm_rpc_reference_length(address_length, descriptor_length);
    memset(at, 0, length);
    hm_rpc_store64(at, reference->object_id);
    hm_rpc_store64(at + 8, reference->secret_low);
    hm_rpc_store64(at + 16, reference->secret_high);
    hm_rpc_store64(at + 24, reference->transfer_id);
    hm_rpc_store32(at + 32, (uint32_t)reference->owner_pid);
    hm_rpc_store16(at + 36, (uint16_t)address_length);
    hm_rpc_store16(at + 38, descriptor_length);
    memcpy(at + HM_RPC_REF_HEADER, reference->owner_address, address_length);
    memcpy(at + HM_RPC_REF_HEADER + address_length, descriptor, descriptor_length);
}
