/*
 * Readers and writers of the samgr wire protocol (samgr_wire.h).
 */
#include "samgr_wire.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

bool hm_samgr_write_key(IpcIo *io, const char *service, const char *feature)
{
    bool ok = WriteUint32(io, HM_SAMGR_KIND_FEATURE) && WriteString(io, service) && WriteBool(io, feature != NULL);
    return ok && (feature == NULL || WriteString(io, feature));
}

int hm_samgr_read_status(IpcIo *io, int32_t *ret_status, char *detail, size_t detail_size, hm_error *err)
{
    int32_t status;
    if (!ReadInt32(io, &status)) {
        return refuse(err, "the reply has no status");
    }
    *ret_status = status;
    if (detail != NULL && detail_size != 0) {
        detail[0] = '\0';
    }
    if (status == 0) {
        return 0;
    }
    size_t length = 0;
    const uint8_t *text = ReadString(io, &length);
    if (text == NULL) {
        return refuse(err, "the reply of status %" PRId32 " has no detail", status);
    }
    if (length > HM_SAMGR_MAX_DETAIL) {
        return refuse(err, "detail of %zu bytes (limit %u)", length, HM_SAMGR_MAX_DETAIL);
    }
    if (detail != NULL && detail_size != 0) {
        size_t copy = length < detail_size - 1 ? length : detail_size - 1;
        memcpy(detail, text, copy);
        detail[copy] = '\0';
    }
    return 0;
}

int hm_samgr_read_policies(IpcIo *io, hm_samgr_policy *policies, uint32_t *ret_count, hm_error *err)
{
    uint32_t count;
    if (!ReadUint32(io, &count)) {
        return refuse(err, "policy count missing");
    }
    if (count > HM_SAMGR_MAX_POLICIES) {
        return refuse(err, "policy count=%" PRIu32 " (limit %u, MAX_POLICY_NUM)", count, HM_SAMGR_MAX_POLICIES);
    }
    for (uint32_t i = 0; i < count; i++) {
        hm_samgr_policy *policy = &policies[i];
        memset(policy, 0, sizeof(*policy));
        if (!ReadUint32(io, &policy->type)) {
            return refuse(err, "policy %" PRIu32 ": type missing", i);
        }
        switch (policy->type) {
        case HM_SAMGR_POLICY_RANGE:
            if (!ReadUint32(io, &policy->uid_min) || !ReadUint32(io, &policy->uid_max)) {
                return refuse(err, "policy %" PRIu32 ": RANGE bounds missing", i);
            }
            if (policy->uid_min > policy->uid_max) {
                return refuse(err, "policy %" PRIu32 ": RANGE uid_min=%" PRIu32 " > uid_max=%" PRIu32, i,
                              policy->uid_min, policy->uid_max);
            }
            break;
        case HM_SAMGR_POLICY_FIXED:
            if (!ReadUint32(io, &policy->uid_count)) {
                return refuse(err, "policy %" PRIu32 ": FIXED count missing", i);
            }
            if (policy->uid_count < 1 || policy->uid_count > HM_SAMGR_MAX_FIXED_UIDS) {
                return refuse(err, "policy %" PRIu32 ": FIXED n=%" PRIu32 " (1..%u, UID_SIZE)", i,
                              policy->uid_count, HM_SAMGR_MAX_FIXED_UIDS);
            }
            for (uint32_t j = 0; j < policy->uid_count; j++) {
                if (!ReadUint32(io, &policy->uids[j])) {
                    return refuse(err, "policy %" PRIu32 ": FIXED uid %" PRIu32 " missing", i, j);
                }
            }
            break;
        case HM_SAMGR_POLICY_ALL:
            break;
        default:
            return refuse(err, "policy %" PRIu32 ": type=%" PRIu32 " (1 RANGE, 2 FIXED, 3 ALL)", i, policy->type);
        }
    }
    *ret_count = count;
    return 0;
}

bool hm_samgr_policies_allow(const hm_samgr_policy *policies, uint32_t count, uint32_t uid)
{
    if (count == 0) {
        return true;
    }
    for (uint32_t i = 0; i < count; i++) {
        const hm_samgr_policy *policy = &policies[i];
        if (policy->type == HM_SAMGR_POLICY_ALL ||
            (policy->type == HM_SAMGR_POLICY_RANGE && uid >= policy->uid_min && uid <= policy->uid_max)) {
            return true;
        }
        for (uint32_t j = 0; policy->type == HM_SAMGR_POLICY_FIXED && j < policy->uid_count; j++) {
            if (policy->uids[j] == uid) {
                return true;
            }
        }
    }
    return false;
}

bool hm_samgr_read_all(const IpcIo *io)
{
    return (io->flag & IPC_IO_OVERFLOW) == 0 && io->bufferLeft == 0;
}
