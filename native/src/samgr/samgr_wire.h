/*
 * The samgr wire protocol (docs/protocols.md, "samgr") as the C side writes and reads it: requests to the server
 * (ADD, GET, REMOVE), the policy list of an ADD reply, and the status-first replies of the server and of feature
 * calls. The readers take untrusted IpcIo bodies and refuse anything that breaks the layout, naming the field.
 */
#ifndef HARMONIA_SAMGR_WIRE_H
#define HARMONIA_SAMGR_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include <harmonia/queue.h>
#include <serializer.h>

enum {
    HM_SAMGR_ADD = 1,
    HM_SAMGR_GET = 2,
    HM_SAMGR_REMOVE = 3,
    HM_SAMGR_KIND_FEATURE = 2,
    HM_SAMGR_POLICY_RANGE = 1,
    HM_SAMGR_POLICY_FIXED = 2,
    HM_SAMGR_POLICY_ALL = 3,
};

#define HM_SAMGR_MAX_POLICIES 8u
#define HM_SAMGR_MAX_FIXED_UIDS 8u
#define HM_SAMGR_MAX_DETAIL 512u
#define HM_SAMGR_MAX_FUNC_ID 0x00FFFFFD
#define HM_SAMGR_STATS_CODE 0x00FFFFFFu

typedef struct hm_samgr_policy {
    uint32_t type;
    uint32_t uid_min;
    uint32_t uid_max;
    uint32_t uid_count;
    uint32_t uids[HM_SAMGR_MAX_FIXED_UIDS];
} hm_samgr_policy;

/* Writes the key of a samgr_lite feature (feature NULL: the default API). */
bool hm_samgr_write_key(IpcIo *io, const char *service, const char *feature);
/*
 * Reads a reply's status; for a failure also its detail (copied, NUL-terminated, into detail[detail_size]).
 * -EBADMSG with err filled when the bytes break the layout.
 */
int hm_samgr_read_status(IpcIo *io, int32_t *ret_status, char *detail, size_t detail_size, hm_error *err);
/* Reads a policy list: count 0..8, each rule checked; -EBADMSG otherwise. */
int hm_samgr_read_policies(IpcIo *io, hm_samgr_policy *policies, uint32_t *ret_count, hm_error *err);
/* Whether a uid is let in: any rule matches, and an empty list lets everyone in. */
bool hm_samgr_policies_allow(const hm_samgr_policy *policies, uint32_t count, uint32_t uid);
/* Whether the reader consumed every byte (the protocol refuses trailing bytes). */
bool hm_samgr_read_all(const IpcIo *io);

#endif /* HARMONIA_SAMGR_WIRE_H */
