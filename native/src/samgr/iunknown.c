/*
 * The default IUnknown functions (iunknown.h). An API pointer is the `iUnknown` member of an IUnknownEntry, so the
 * entry (version, count) sits just before it.
 */
#include "iunknown.h"

#include <stdbool.h>

#include "ohos_errno.h"

static IUnknownEntry *entry_of(IUnknown *iUnknown)
{
    return GET_OBJECT(iUnknown, IUnknownEntry, iUnknown);
}

int IUNKNOWN_AddRef(IUnknown *iUnknown)
{
    if (iUnknown == NULL) {
        return EC_INVALID;
    }
    IUnknownEntry *entry = entry_of(iUnknown);
    int16 ref = __atomic_add_fetch(&entry->ref, 1, __ATOMIC_ACQ_REL);
    return ref;
}

int IUNKNOWN_QueryInterface(IUnknown *iUnknown, int ver, void **target)
{
    if (iUnknown == NULL || target == NULL) {
        return EC_INVALID;
    }
    IUnknownEntry *entry = entry_of(iUnknown);
    uint16 wanted = (uint16)ver;
    if (ver < 0 || ver > 0xFFFF || (entry->ver & wanted) != wanted) {
        return EC_INVALID;
    }
    /* The old version 0 is answered only by entries of version 0 or with the default bit. */
    if (wanted == 0 && entry->ver != 0 && (entry->ver & DEFAULT_VERSION) != DEFAULT_VERSION) {
        return EC_INVALID;
    }
    *target = iUnknown;
    iUnknown->AddRef(iUnknown);
    return EC_SUCCESS;
}

int IUNKNOWN_Release(IUnknown *iUnknown)
{
    if (iUnknown == NULL) {
        return EC_INVALID;
    }
    IUnknownEntry *entry = entry_of(iUnknown);
    int16 ref = __atomic_load_n(&entry->ref, __ATOMIC_ACQUIRE);
    for (;;) {
        if (ref <= 1) {
            return ref - 1; /* the last reference is the entry's own: statics are never freed */
        }
        if (__atomic_compare_exchange_n(&entry->ref, &ref, (int16)(ref - 1), false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            return ref - 1;
        }
    }
}
