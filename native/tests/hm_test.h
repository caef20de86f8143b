/*
 * A very small test harness for the C units: each test executable lists its cases in main() with
 * HM_RUN, every failed check prints file:line and the expression, and the exit status is the number
 * of failed cases (ctest reports a non-zero status as a failure).
 */
#ifndef HARMONIA_HM_TEST_H
#define HARMONIA_HM_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hm_test_case_failed;
static int hm_test_cases_failed;
static int hm_test_cases_run;

#define HM_CHECK(cond)                                                                     \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
            hm_test_case_failed = 1;                                                       \
        }                                                                                  \
    } while (0)

#define HM_CHECK_INT_EQ(actual, expected)                                                  \
    do {                                                                                   \
        long long hm_a_ = (long long)(actual), hm_e_ = (long long)(expected);              \
        if (hm_a_ != hm_e_) {                                                              \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
                    #actual, hm_a_, #expected, hm_e_);                                     \
            hm_test_case_failed = 1;                                                       \
        }                                                                                  \
    } while (0)

#define HM_CHECK_STR_EQ(actual, expected)                                                  \
    do {                                                                                   \
        const char *hm_a_ = (actual), *hm_e_ = (expected);                                 \
        if (hm_a_ == NULL || hm_e_ == NULL || strcmp(hm_a_, hm_e_) != 0) {                 \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__,  \
                    #actual, hm_a_ ? hm_a_ : "(null)", hm_e_ ? hm_e_ : "(null)");          \
            hm_test_case_failed = 1;                                                       \
        }                                                                                  \
    } while (0)

#define HM_CHECK_STR_CONTAINS(text, part)                                                  \
    do {                                                                                   \
        const char *hm_t_ = (text), *hm_p_ = (part);                                       \
        if (hm_t_ == NULL || strstr(hm_t_, hm_p_) == NULL) {                               \
            fprintf(stderr, "%s:%d: %s == \"%s\" does not contain \"%s\"\n", __FILE__,      \
                    __LINE__, #text, hm_t_ ? hm_t_ : "(null)", hm_p_);                     \
            hm_test_case_failed = 1;                                                       \
        }                                                                                  \
    } while (0)

#define HM_RUN(test_fn)                                                                    \
    do {                                                                                   \
        hm_test_case_failed = 0;                                                           \
        test_fn();                                                                         \
        hm_test_cases_run++;                                                               \
        if (hm_test_case_failed)                                                           \
            hm_test_cases_failed++;                                                        \
        printf("%s %s\n", hm_test_case_failed ? "FAIL" : "ok  ", #test_fn);                \
    } while (0)

#define HM_TEST_SUMMARY()                                                                  \
    (printf("%d of %d cases passed\n", hm_test_cases_run - hm_test_cases_failed,           \
            hm_test_cases_run),                                                            \
     hm_test_cases_failed == 0 ? 0 : 1)

#endif /* HARMONIA_HM_TEST_H */
