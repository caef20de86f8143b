/*
 * Messages between services: a Request goes to an Identity's task queue and is handled there (Service
 * MessageHandle or Feature OnMessage); a Response comes back to the sender's handler, on the sender's task (or at
 * once on the responder's thread when the sender was no samgr task).
 *
 * Ownership: request data with len > 0 is freed (free()) by samgr once handled, response data with len > 0 once
 * the handler ran; len 0 data is never freed. When a send fails the caller keeps its data.
 * Returns: EC_SUCCESS; EC_INVALID for a NULL or unknown identity or request, a queue that is gone, or a response
 * to a request sent without handler; EC_BUSBUSY when the queue is full (nothing waits for room).
 */
#ifndef LITE_MESSAGE_H
#define LITE_MESSAGE_H

#include <harmonia/export.h>

#include "common.h"

HM_EXTERN_C_BEGIN

typedef struct Identity Identity;
typedef struct Request Request;
typedef struct Response Response;

typedef void (*Handler)(const Request *request, const Response *response);

#pragma pack(1)
struct Identity {
    int16 serviceId;
    int16 featureId;
    MQueueId queueId;
};

struct Request {
    int16 msgId;
    int16 len;
    void *data;
    uint32 msgValue;
};

struct Response {
    void *data;
    int16 len;
    void *reply;
};
#pragma pack()

HM_API int32 SAMGR_SendRequest(const Identity *identity, const Request *request, Handler handler);
/*
 * Sends one request to several queues: *token counts the copies in flight (start with NULL; the returned pointer
 * is the token for the next send). The data is freed with the last copy.
 */
HM_API uint32 *SAMGR_SendSharedRequest(const Identity *identity, const Request *request, uint32 *token,
                                       Handler handler);
/* Runs `handler(request, response)` on the identity's task (no MessageHandle), counted by *ref as above. */
HM_API int32 SAMGR_SendSharedDirectRequest(const Identity *id, const Request *req, const Response *resp,
                                           uint32 **ref, Handler handler);
/* Answers a request from inside MessageHandle / OnMessage (request is the pointer samgr passed in). */
HM_API int32 SAMGR_SendResponse(const Request *request, const Response *response);
/* As SAMGR_SendResponse, with the handler run on another identity's task. */
HM_API int32 SAMGR_SendResponseByIdentity(const Identity *id, const Request *request, const Response *response);

HM_EXTERN_C_END

#endif /* LITE_MESSAGE_H */
