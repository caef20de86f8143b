/*
 * A strict, allocation-free JSON reader (RFC 8259) for small messages: a cursor over the input and functions that
 * read one token or skip one whole value. Strict means: no trailing commas, no comments, no leading zeros, no
 * NaN/Infinity, no raw control characters in strings, only valid UTF-8 (no overlong forms, no surrogates), valid
 * escapes only (a \u surrogate pair must be complete), nesting at most HM_JSON_MAX_DEPTH.
 * Internal to libharmonia (hidden symbols).
 */
#ifndef HARMONIA_SPAWN_JSON_H
#define HARMONIA_SPAWN_JSON_H

#include <stddef.h>
#include <stdint.h>

#define HM_JSON_MAX_DEPTH 64

typedef struct hm_json_cursor {
    const unsigned char *start;
    const unsigned char *p;
    const unsigned char *end;
    int depth;
} hm_json_cursor;

typedef enum hm_json_kind {
    HM_JSON_ABSENT = 0,
    HM_JSON_STRING,
    HM_JSON_NUMBER,
    HM_JSON_OBJECT,
    HM_JSON_ARRAY,
    HM_JSON_LITERAL /* true, false, null */
} hm_json_kind;

/* A number reduced to what integer rules need, computed exactly from the decimal text (no floating point). */
typedef struct hm_json_number {
    int negative;        /* a leading minus sign (also for -0) */
    int integral;        /* the value is a whole number */
    int huge;            /* integral but above HM_JSON_INTEGER_MAX in magnitude */
    uint64_t magnitude;  /* |value| when integral and not huge */
} hm_json_number;

#define HM_JSON_INTEGER_MAX UINT64_C(0xFFFFFFFFFF) /* 2^40 - 1: more than any id or capability needs */

void hm_json_init(hm_json_cursor *cursor, const void *data, size_t length);
void hm_json_skip_space(hm_json_cursor *cursor);
/* The kind of the value at the cursor (after skipping space), or HM_JSON_ABSENT at a character no value starts
 * with. */
hm_json_kind hm_json_peek(hm_json_cursor *cursor);
/* Consumes one expected byte after optional space; 0 or -1. */
int hm_json_expect(hm_json_cursor *cursor, unsigned char c);
/*
 * Reads a string. Up to size - 1 decoded bytes go to out (NUL-terminated when size > 0); *ret_length receives the
 * full decoded length and *ret_has_nul whether it contains U+0000. Returns 0 or -1 (syntax).
 */
int hm_json_read_string(hm_json_cursor *cursor, char *out, size_t size, size_t *ret_length, int *ret_has_nul);
/* Reads a number; 0 or -1 (syntax). */
int hm_json_read_number(hm_json_cursor *cursor, hm_json_number *ret_number);
/* Skips one whole value of any kind, checking its syntax; 0 or -1. */
int hm_json_skip_value(hm_json_cursor *cursor);
/* The offset of the cursor, for error messages. */
size_t hm_json_offset(const hm_json_cursor *cursor);

#endif /* HARMONIA_SPAWN_JSON_H */
