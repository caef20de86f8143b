/*
 * Symbol visibility for libharmonia. The library is built with hidden visibility by default;
 * HM_API marks the few functions that form its ABI. It is the only export macro in the project.
 */
#ifndef HARMONIA_EXPORT_H
#define HARMONIA_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define HM_API __attribute__((visibility("default")))
#else
#define HM_API
#endif

#ifdef __cplusplus
#define HM_EXTERN_C_BEGIN extern "C" {
#define HM_EXTERN_C_END }
#else
#define HM_EXTERN_C_BEGIN
#define HM_EXTERN_C_END
#endif

#endif /* HARMONIA_EXPORT_H */
