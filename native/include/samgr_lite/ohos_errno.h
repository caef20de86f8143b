/*
 * OpenHarmony's error codes (utils_lite ohos_errno.h): what samgr_lite's functions return. The numbers are the
 * protocol's too (docs/protocols.md, "samgr": every reply starts with one of them).
 */
#ifndef OHOS_ERRNO_H
#define OHOS_ERRNO_H

enum OHOSLiteErrorCode {
    EC_SUCCESS = 0,
    EC_FAILURE = -1,
    EC_BADPTR = -2,
    EC_NOMEMORY = -3,
    EC_ADDRESS = -4,
    EC_IOERROR = -5,
    EC_BUSBUSY = -6,
    EC_NORESPONCE = -7,
    EC_NODEVICE = -8,
    EC_INVALID = -9,
    EC_BUSY = -10,
    EC_NOSERVICE = -11,
    EC_PERMISSION = -12,
    EC_NOFILE = -13,
    EC_NOSPACE = -14,
    EC_NODIR = -15,
    EC_ROFILE = -16,
    EC_NAMETOOLONG = -17,
    EC_OPBLOCK = -18,
    EC_TIMEOUT = -19,
    EC_COMMU = -20,
    EC_PROTOCOL = -21,
    EC_CANCELED = -22,
    EC_NOKEY = -23,
    EC_NOHANDLER = -24,
    EC_FLOWCTRL = -25,
    EC_NOINIT = -26,
    EC_NORESOURCE = -27,
};

#endif /* OHOS_ERRNO_H */
