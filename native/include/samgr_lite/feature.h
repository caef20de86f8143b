/*
 * Feature: a part of a service with its own lifecycle and messages, run on its service's task
 * (INHERIT_FEATURE at the start of the user's struct).
 */
#ifndef LITE_FEATURE_H
#define LITE_FEATURE_H

#include "service.h"

HM_EXTERN_C_BEGIN

typedef struct Feature Feature;

struct Feature {
    const char *(*GetName)(Feature *feature);
    void (*OnInitialize)(Feature *feature, Service *parent, Identity identity);
    void (*OnStop)(Feature *feature, Identity identity);
    BOOL (*OnMessage)(Feature *feature, Request *request);
};

#define INHERIT_FEATURE                                                                                      \
    const char *(*GetName)(Feature * feature);                                                               \
    void (*OnInitialize)(Feature * feature, Service * parent, Identity identity);                            \
    void (*OnStop)(Feature * feature, Identity identity);                                                    \
    BOOL (*OnMessage)(Feature * feature, Request * request);                                                 \
    BOOL (*IsDistributed)(void)

HM_EXTERN_C_END

#endif /* LITE_FEATURE_H */
