#include "samgr_internal.h"
void hm_samgr_api_ready(const char *service, const char *feature, IUnknown *api, const Identity *identity)
{ (void)service; (void)feature; (void)api; (void)identity; }
void hm_samgr_api_gone(const char *service, const char *feature, IUnknown *api)
{ (void)service; (void)feature; (void)api; }
IUnknown *hm_samgr_remote_api(const char *service, const char *feature)
{ (void)service; (void)feature; return NULL; }
