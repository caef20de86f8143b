/*
 * IUnknown: the base of every API a service or feature offers. An API struct starts with INHERIT_IUNKNOWN (or
 * INHERIT_SERVER_IPROXY / INHERIT_CLIENT_IPROXY); the object that holds it is an entry: a version, a reference
 * count, then the API (INHERIT_IUNKNOWNENTRY). GET_IUNKNOWN(entry) is what samgr registers.
 *
 * QueryInterface(iUnknown, version, &target) succeeds when every bit of `version` is in the entry's version (0
 * asks for DEFAULT_VERSION), takes a reference and returns EC_SUCCESS; otherwise EC_INVALID. Release returns the
 * count left; the defaults never free (entries are usually static), client proxies are freed at 0.
 */
#ifndef LITE_IUNKOWN_H
#define LITE_IUNKOWN_H

#include <harmonia/export.h>

#include "common.h"

HM_EXTERN_C_BEGIN

typedef struct IUnknown IUnknown;

#define DEFAULT_VERSION 0x20

#define INHERIT_IUNKNOWN                                                                                     \
    int (*QueryInterface)(IUnknown * iUnknown, int version, void **target);                                  \
    int (*AddRef)(IUnknown * iUnknown);                                                                      \
    int (*Release)(IUnknown * iUnknown)

#define INHERIT_IUNKNOWNENTRY(T)                                                                             \
    uint16 ver;                                                                                              \
    int16 ref;                                                                                               \
    T iUnknown

#define DEFAULT_IUNKNOWN_IMPL                                                                                \
    .QueryInterface = IUNKNOWN_QueryInterface, .AddRef = IUNKNOWN_AddRef, .Release = IUNKNOWN_Release

#define IUNKNOWN_ENTRY_BEGIN(version)                                                                        \
    .ver = (version), .ref = 1, .iUnknown = {                                                                \
        DEFAULT_IUNKNOWN_IMPL

#define IUNKNOWN_ENTRY_END }

#define DEFAULT_IUNKNOWN_ENTRY_BEGIN IUNKNOWN_ENTRY_BEGIN(DEFAULT_VERSION)
#define DEFAULT_IUNKNOWN_ENTRY_END IUNKNOWN_ENTRY_END

#define GET_IUNKNOWN(T) (IUnknown *)(&((T).iUnknown))

struct IUnknown {
    int (*QueryInterface)(IUnknown *iUnknown, int version, void **target);
    int (*AddRef)(IUnknown *iUnknown);
    int (*Release)(IUnknown *iUnknown);
};

typedef struct IUnknownEntry {
    uint16 ver;
    int16 ref;
    IUnknown iUnknown;
} IUnknownEntry;

/* Adds a reference; returns the new count. */
HM_API int IUNKNOWN_AddRef(IUnknown *iUnknown);
/* See the top of this file. */
HM_API int IUNKNOWN_QueryInterface(IUnknown *iUnknown, int ver, void **target);
/* Drops a reference; returns the count left (the entry keeps at least 1: statics are never freed). */
HM_API int IUNKNOWN_Release(IUnknown *iUnknown);

HM_EXTERN_C_END

#endif /* LITE_IUNKOWN_H */
