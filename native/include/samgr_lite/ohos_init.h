/*
 * OpenHarmony's initialisation phases (utils_lite ohos_init.h) in their shared-library form: each macro makes the
 * function a constructor that runs when the program (or the library that holds it) is loaded, in phase order
 * (core, system services, system features, application services, application features, run), then by priority
 * 0..4 inside a phase (2 without _PRI). The function registers services and features; SAMGR_Bootstrap() in main
 * then starts them.
 */
#ifndef OHOS_INIT_H
#define OHOS_INIT_H

#define HM_OHOS_INIT_PHASE_CORE 110
#define HM_OHOS_INIT_PHASE_SYS_SERVICE 120
#define HM_OHOS_INIT_PHASE_SYS_FEATURE 130
#define HM_OHOS_INIT_PHASE_APP_SERVICE 140
#define HM_OHOS_INIT_PHASE_APP_FEATURE 150
#define HM_OHOS_INIT_PHASE_RUN 700

#define HM_OHOS_INIT_AT(func, order)                                                                         \
    static void __attribute__((constructor(order), used)) hm_ohos_init_##func(void)                          \
    {                                                                                                        \
        func();                                                                                              \
    }

#define CORE_INIT_PRI(func, priority) HM_OHOS_INIT_AT(func, HM_OHOS_INIT_PHASE_CORE + (priority))
#define SYS_SERVICE_INIT_PRI(func, priority) HM_OHOS_INIT_AT(func, HM_OHOS_INIT_PHASE_SYS_SERVICE + (priority))
#define SYS_FEATURE_INIT_PRI(func, priority) HM_OHOS_INIT_AT(func, HM_OHOS_INIT_PHASE_SYS_FEATURE + (priority))
#define SYSEX_SERVICE_INIT_PRI(func, priority) HM_OHOS_INIT_AT(func, HM_OHOS_INIT_PHASE_APP_SERVICE + (priority))
#define SYSEX_FEATURE_INIT_PRI(func, priority) HM_OHOS_INIT_AT(func, HM_OHOS_INIT_PHASE_APP_FEATURE + (priority))
#define APP_SERVICE_INIT_PRI(func, priority) SYSEX_SERVICE_INIT_PRI(func, priority)
#define APP_FEATURE_INIT_PRI(func, priority) SYSEX_FEATURE_INIT_PRI(func, priority)
#define SYS_RUN_PRI(func, priority) HM_OHOS_INIT_AT(func, HM_OHOS_INIT_PHASE_RUN + (priority))

#define CORE_INIT(func) CORE_INIT_PRI(func, 2)
#define SYS_SERVICE_INIT(func) SYS_SERVICE_INIT_PRI(func, 2)
#define SYS_FEATURE_INIT(func) SYS_FEATURE_INIT_PRI(func, 2)
#define SYSEX_SERVICE_INIT(func) SYSEX_SERVICE_INIT_PRI(func, 2)
#define SYSEX_FEATURE_INIT(func) SYSEX_FEATURE_INIT_PRI(func, 2)
#define APP_SERVICE_INIT(func) APP_SERVICE_INIT_PRI(func, 2)
#define APP_FEATURE_INIT(func) APP_FEATURE_INIT_PRI(func, 2)
#define SYS_RUN(func) SYS_RUN_PRI(func, 2)

#endif /* OHOS_INIT_H */
