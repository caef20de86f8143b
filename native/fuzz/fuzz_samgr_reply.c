/*
 * The samgr wire readers of the C side (samgr_wire.h) on arbitrary IpcIo bodies, as a hostile samgr server or
 * provider sends them: a reply's status and detail, an ADD reply's policy list, and the policy check over what was
 * accepted. Only the readers' own refusals may come out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <harmonia/ipcio.h>

#include "samgr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size == 0 ? 1 : size);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    IpcIo io;
    if (hm_ipcio_init_reader(&io, copy, size, NULL, 0) == 0) {
        hm_error err;
        int32_t status;
        char detail[64];
        if (hm_samgr_read_status(&io, &status, detail, sizeof(detail), &err) == 0 && status == 0) {
            hm_samgr_policy policies[HM_SAMGR_MAX_POLICIES];
            uint32_t count = 0;
            if (hm_samgr_read_policies(&io, policies, &count, &err) == 0) {
                hm_samgr_policies_allow(policies, count, 10001);
                hm_samgr_policies_allow(policies, count, 0);
                (void)hm_samgr_read_all(&io);
            }
        }
        hm_ipcio_release(&io);
    }
    free(copy);
    return 0;
}
