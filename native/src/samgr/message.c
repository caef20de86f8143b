/*
 * Messages between services (message.h). A request is copied into the target task's queue and handled there by
 * MessageHandle (featureId < 0) or the feature's OnMessage. A request sent with a handler (MSG_CON) is answered
 * once per SAMGR_SendResponse, or with an empty response when the handler returns without answering; the answer
 * runs the sender's handler on the sender's task (MSG_ACK), or at once on the responder's thread when the sender
 * was no samgr task (or its queue cannot take it).
 *
 * Data ownership: request data with len > 0 lives until every copy that carries it is handled (the copies share a
 * counter, shared_ref, which the last one frees with the data); response data with len > 0 is freed once its
 * handler ran.
 */
#include "samgr_internal.h"

#include <stdlib.h>

void hm_exchange_free_data(hm_exchange *exchange)
{
    if (exchange->shared_ref != NULL) {
        if (__atomic_sub_fetch(exchange->shared_ref, 1, __ATOMIC_ACQ_REL) != 0) {
            return;
        }
        free(exchange->shared_ref);
        exchange->shared_ref = NULL;
    }
    if (exchange->request.len > 0) {
        free(exchange->request.data);
    }
}

static void free_response_data(Response *response)
{
    if (response->len > 0) {
        free(response->data);
    }
}

/* The task an identity names, checked against the registry (caller holds the lock); NULL when it names none. */
static hm_task *task_of(const Identity *identity)
{
    hm_service_impl *impl = hm_samgr_service_by_id(identity->serviceId);
    if (impl == NULL || impl->task == NULL || (void *)impl->task != identity->queueId) {
        return NULL;
    }
    if (identity->featureId >= 0 && hm_slots_at(&impl->features, identity->featureId) == NULL) {
        return NULL;
    }
    return impl->task;
}

/* Queues an exchange to the identity's task, or answers why not. */
static int32 send_to(const Identity *identity, const hm_exchange *exchange, bool forced)
{
    pthread_mutex_lock(&hm_samgr_lock);
    hm_task *task = task_of(identity);
    int32 rc = task == NULL ? EC_INVALID : hm_task_put(task, exchange, forced);
    pthread_mutex_unlock(&hm_samgr_lock);
    return rc;
}

int32 SAMGR_SendRequest(const Identity *identity, const Request *request, Handler handler)
{
    if (identity == NULL || request == NULL) {
        return EC_INVALID;
    }
    hm_exchange exchange = {
        .id = *identity,
        .request = *request,
        .type = handler == NULL ? HM_MSG_NON : HM_MSG_CON,
        .handler = handler,
        .origin = handler == NULL ? NULL : hm_task_current(),
    };
    return send_to(identity, &exchange, false);
}

/* Counts one more copy on a shared counter, made when *token is NULL. */
static uint32 *share(uint32 *token)
{
    if (token == NULL) {
        token = calloc(1, sizeof(*token));
        if (token == NULL) {
            return NULL;
        }
    }
    __atomic_add_fetch(token, 1, __ATOMIC_ACQ_REL);
    return token;
}

static void release_share(uint32 *token, bool made)
{
    if (__atomic_sub_fetch(token, 1, __ATOMIC_ACQ_REL) == 0 && made) {
        free(token);
    }
}

uint32 *SAMGR_SendSharedRequest(const Identity *identity, const Request *request, uint32 *token, Handler handler)
{
    if (identity == NULL || request == NULL) {
        return NULL;
    }
    uint32 *shared = share(token);
    if (shared == NULL) {
        return NULL;
    }
    hm_exchange exchange = {
        .id = *identity,
        .request = *request,
        .type = handler == NULL ? HM_MSG_NON : HM_MSG_CON,
        .handler = handler,
        .shared_ref = shared,
        .origin = handler == NULL ? NULL : hm_task_current(),
    };
    if (send_to(identity, &exchange, false) != EC_SUCCESS) {
        release_share(shared, token == NULL);
        return token == NULL ? NULL : token;
    }
    return shared;
}

int32 SAMGR_SendSharedDirectRequest(const Identity *id, const Request *req, const Response *resp, uint32 **ref,
                                    Handler handler)
{
    if (id == NULL || req == NULL || ref == NULL || handler == NULL) {
        return EC_INVALID;
    }
    uint32 *token = *ref;
    uint32 *shared = share(token);
    if (shared == NULL) {
        return EC_NOMEMORY;
    }
    hm_exchange exchange = {
        .id = *id,
        .request = *req,
        .type = HM_MSG_DIRECT,
        .handler = handler,
        .shared_ref = shared,
    };
    if (resp != NULL) {
        exchange.response = *resp;
    }
    int32 rc = send_to(id, &exchange, false);
    if (rc != EC_SUCCESS) {
        release_share(shared, token == NULL);
        return rc;
    }
    *ref = shared;
    return EC_SUCCESS;
}

/* Delivers the answer to an exchange being handled on this thread. */
static int32 respond(hm_exchange *exchange, const Response *response, hm_task *target)
{
    if (exchange->type != HM_MSG_CON || exchange->handler == NULL) {
        return EC_INVALID;
    }
    if (exchange->shared_ref == NULL) {
        exchange->shared_ref = share(NULL);
        if (exchange->shared_ref == NULL) {
            return EC_NOMEMORY;
        }
    }
    hm_exchange ack = {
        .id = exchange->id,
        .request = exchange->request,
        .response = response == NULL ? (Response){0} : *response,
        .type = HM_MSG_ACK,
        .handler = exchange->handler,
        .shared_ref = exchange->shared_ref,
    };
    share(ack.shared_ref);
    int32 rc = EC_INVALID;
    if (target != NULL) {
        pthread_mutex_lock(&hm_samgr_lock);
        rc = hm_task_alive(target) ? hm_task_put(target, &ack, true) : EC_INVALID;
        pthread_mutex_unlock(&hm_samgr_lock);
    }
    if (rc != EC_SUCCESS) {
        /* No task to take it (the sender was no task thread, or is gone): the handler runs here, now. */
        ack.handler(&ack.request, &ack.response);
        free_response_data(&ack.response);
        hm_exchange_free_data(&ack);
    }
    return EC_SUCCESS;
}

/* The exchange a request pointer belongs to: only the one this thread is handling can be answered. */
static hm_exchange *exchange_of(const Request *request)
{
    hm_exchange *current = hm_task_current_exchange();
    if (request == NULL || current == NULL || request != &current->request) {
        return NULL;
    }
    return current;
}

int32 SAMGR_SendResponse(const Request *request, const Response *response)
{
    hm_exchange *exchange = exchange_of(request);
    if (exchange == NULL) {
        return EC_INVALID;
    }
    exchange->answered = true;
    return respond(exchange, response, exchange->origin);
}

int32 SAMGR_SendResponseByIdentity(const Identity *id, const Request *request, const Response *response)
{
    hm_exchange *exchange = exchange_of(request);
    if (exchange == NULL || id == NULL || exchange->type == HM_MSG_NON) {
        return EC_INVALID;
    }
    pthread_mutex_lock(&hm_samgr_lock);
    hm_task *target = task_of(id);
    pthread_mutex_unlock(&hm_samgr_lock);
    if (target == NULL) {
        return EC_INVALID;
    }
    exchange->answered = true;
    return respond(exchange, response, target);
}

/* Handles one exchange on its task's thread. */
void hm_samgr_dispatch(hm_task *task, hm_exchange *exchange)
{
    switch (exchange->type) {
    case HM_MSG_CALL:
        exchange->call(exchange->arg);
        return;
    case HM_MSG_ACK:
        exchange->handler(&exchange->request, &exchange->response);
        free_response_data(&exchange->response);
        hm_exchange_free_data(exchange);
        return;
    case HM_MSG_DIRECT:
        exchange->handler(&exchange->request, &exchange->response);
        hm_exchange_free_data(exchange);
        return;
    default:
        break;
    }
    Service *service = NULL;
    Feature *feature = NULL;
    pthread_mutex_lock(&hm_samgr_lock);
    hm_service_impl *impl = hm_samgr_service_by_id(exchange->id.serviceId);
    if (impl != NULL && impl->task == task) {
        service = impl->service;
        if (exchange->id.featureId >= 0) {
            hm_feature_impl *entry = hm_slots_at(&impl->features, exchange->id.featureId);
            feature = entry == NULL ? NULL : entry->feature;
            service = feature == NULL ? NULL : service;
        }
    }
    pthread_mutex_unlock(&hm_samgr_lock);
    if (feature != NULL) {
        feature->OnMessage(feature, &exchange->request);
    } else if (service != NULL) {
        service->MessageHandle(service, &exchange->request);
    }
    /* The service (or feature) left while this waited: the sender still gets its one empty answer. */
    if (exchange->type == HM_MSG_CON && !exchange->answered) {
        exchange->answered = true;
        respond(exchange, NULL, exchange->origin);
    }
    hm_exchange_free_data(exchange);
}
