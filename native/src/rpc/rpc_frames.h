/*
 * The RPC frames of docs/architecture.md section 6.3, byte by byte, and their decoders. Every frame is one raw
 * channel message whose code is its kind; numbers are little-endian (the library refuses big-endian hosts). The
 * decoders are pure: they check a received payload against its length and the limits below and describe it, or
 * refuse it with a sentence naming the field, its value and the limit. Nothing here touches a connection, so the
 * fuzz target drives exactly what the endpoint runs.
 */
#ifndef HARMONIA_RPC_FRAMES_H
#define HARMONIA_RPC_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonia/queue.h>

enum {
    HM_RPC_HELLO = 1,
    HM_RPC_CALL = 2,
    HM_RPC_ONEWAY = 3,
    HM_RPC_REPLY = 4,
    HM_RPC_ACQUIRE = 5,
    HM_RPC_ACQUIRE_SYNC = 6,
    HM_RPC_RELEASE = 7,
    HM_RPC_TRANSFER_DONE = 8,
};

#define HM_RPC_CALL_HEADER 48u
#define HM_RPC_CHAIN_ENTRY 16u
#define HM_RPC_MAX_CHAIN 4u
#define HM_RPC_REPLY_HEADER 32u
#define HM_RPC_ACQUIRE_LENGTH 32u
#define HM_RPC_RELEASE_LENGTH 16u
#define HM_RPC_TRANSFER_DONE_LENGTH 8u
#define HM_RPC_HELLO_HEADER 16u
#define HM_RPC_REF_HEADER 48u
#define HM_RPC_MAX_ADDRESS 107u
#define HM_RPC_MAX_DESCRIPTOR 1024u
#define HM_RPC_MAX_OBJECTS 1024u
#define HM_RPC_MAX_DATA (1u << 30)
#define HM_RPC_BODY_SPILLED 0x80000000u
#define HM_RPC_OPTION_FLAGS 0xffffu

/* One reference entry, decoded. The descriptor points into the frame (not NUL-terminated). */
typedef struct hm_rpc_reference {
    uint64_t object_id;
    uint64_t secret_low;
    uint64_t secret_high;
    uint64_t transfer_id;
    int32_t owner_pid;
    char owner_address[HM_RPC_MAX_ADDRESS + 1];
    const char *descriptor;
    uint16_t descriptor_length;
} hm_rpc_reference;

/* A body, checked against the frame: the data and table image (NULL when spilled), then the references. */
typedef struct hm_rpc_body {
    bool spilled;
    uint32_t data_length;
    uint32_t object_count;
    uint32_t ref_count;
    const uint8_t *image;
    const uint8_t *refs;
    uint32_t refs_length;
} hm_rpc_body;

typedef struct hm_rpc_call_frame {
    uint64_t call_id;
    uint64_t object_id;
    uint64_t nested_for;
    uint32_t code;
    uint32_t flags;
    uint32_t chain_count;
    uint64_t chain[HM_RPC_MAX_CHAIN][2];
    hm_rpc_body body;
} hm_rpc_call_frame;

typedef struct hm_rpc_reply_frame {
    uint64_t call_id;
    int32_t status;
    uint32_t flags;
    hm_rpc_body body;
} hm_rpc_reply_frame;

static inline uint32_t hm_rpc_align8(uint32_t length)
{
    return (length + 7u) & ~7u;
}

/* Little-endian loads and stores at any alignment. */
uint64_t hm_rpc_load64(const uint8_t *at);
uint32_t hm_rpc_load32(const uint8_t *at);
uint16_t hm_rpc_load16(const uint8_t *at);
void hm_rpc_store64(uint8_t *at, uint64_t value);
void hm_rpc_store32(uint8_t *at, uint32_t value);
void hm_rpc_store16(uint8_t *at, uint16_t value);

/* Decoders: 0, or -EBADMSG with err filled. fd_count is how many fds came with the frame. */
int hm_rpc_parse_call(const uint8_t *payload, uint32_t length, uint32_t fd_count, hm_rpc_call_frame *ret_frame,
                      hm_error *err);
int hm_rpc_parse_reply(const uint8_t *payload, uint32_t length, uint32_t fd_count, hm_rpc_reply_frame *ret_frame,
                       hm_error *err);
/* HELLO: the peer's pid and its endpoint address (NUL-terminated into address[HM_RPC_MAX_ADDRESS + 1]). */
int hm_rpc_parse_hello(const uint8_t *payload, uint32_t length, int32_t *ret_pid, char *address, hm_error *err);
/* The index-th reference of a body (walking the entries before it). */
int hm_rpc_body_reference(const hm_rpc_body *body, uint32_t index, hm_rpc_reference *ret_reference,
                          hm_error *err);
/* Bytes a reference entry takes for an address and a descriptor of these lengths. */
uint32_t hm_rpc_reference_length(size_t address_length, size_t descriptor_length);
/* Writes a reference entry at `at` (hm_rpc_reference_length bytes, zero padded). */
void hm_rpc_write_reference(uint8_t *at, const hm_rpc_reference *reference, const char *descriptor,
                            uint16_t descriptor_length);

#endif /* HARMONIA_RPC_FRAMES_H */
