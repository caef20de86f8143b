/*
 * OpenHarmony's basic types (utils_lite ohos_types.h), as samgr_lite's headers and users' code spell them.
 */
#ifndef OHOS_TYPES_H
#define OHOS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned char uint8;
typedef unsigned short uint16;
typedef unsigned int uint32;
typedef signed char int8;
typedef short int16;
typedef int int32;
typedef unsigned long long uint64;
typedef long long int64;
typedef int boolean;
typedef void *pHandle;
typedef unsigned int BOOL;

#ifndef TRUE
#define TRUE 1L
#endif
#ifndef FALSE
#define FALSE 0L
#endif

#endif /* OHOS_TYPES_H */
