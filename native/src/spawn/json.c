/*
 * The strict JSON reader declared in json.h. Every function leaves the cursor somewhere inside the input and
 * never reads past `end`; on a syntax error the caller abandons the parse, so the cursor position then does not
 * matter.
 */
#include "json.h"

#include <string.h>

void hm_json_init(hm_json_cursor *cursor, const void *data, size_t length)
{
    cursor->start = data;
    cursor->p = data;
    cursor->end = cursor->p + length;
    cursor->depth = 0;
}

size_t hm_json_offset(const hm_json_cursor *cursor)
{
    return (size_t)(cursor->p - cursor->start);
}

void hm_json_skip_space(hm_json_cursor *cursor)
{
    while (cursor->p < cursor->end &&
           (*cursor->p == ' ' || *cursor->p == '\t' || *cursor->p == '\n' || *cursor->p == '\r'))
        cursor->p++;
}

hm_json_kind hm_json_peek(hm_json_cursor *cursor)
{
    hm_json_skip_space(cursor);
    if (cursor->p >= cursor->end)
        return HM_JSON_ABSENT;
    switch (*cursor->p) {
    case '"':
        return HM_JSON_STRING;
    case '{':
        return HM_JSON_OBJECT;
    case '[':
        return HM_JSON_ARRAY;
    case 't':
    case 'f':
    case 'n':
        return HM_JSON_LITERAL;
    default:
        return (*cursor->p == '-' || (*cursor->p >= '0' && *cursor->p <= '9')) ? HM_JSON_NUMBER : HM_JSON_ABSENT;
    }
}

int hm_json_expect(hm_json_cursor *cursor, unsigned char c)
{
    hm_json_skip_space(cursor);
    if (cursor->p >= cursor->end || *cursor->p != c)
        return -1;
    cursor->p++;
    return 0;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the four hex digits after "\u"; -1 on a bad digit or end of input. */
static long read_hex4(hm_json_cursor *cursor)
{
    if (cursor->end - cursor->p < 4)
        return -1;
    long value = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_value(cursor->p[i]);
        if (digit < 0)
            return -1;
        value = value << 4 | digit;
    }
    cursor->p += 4;
    return value;
}

/* Reads a \u escape (the cursor is after the 'u'), joining a surrogate pair; the code point or -1. */
static long read_unicode_escape(hm_json_cursor *cursor)
{
    long first = read_hex4(cursor);
    if (first < 0 || (first >= 0xDC00 && first <= 0xDFFF))
        return -1;
    if (first < 0xD800 || first > 0xDBFF)
        return first;
    if (cursor->end - cursor->p < 2 || cursor->p[0] != '\\' || cursor->p[1] != 'u')
        return -1;
    cursor->p += 2;
    long second = read_hex4(cursor);
    if (second < 0xDC00 || second > 0xDFFF)
        return -1;
    return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
}

/* The length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0 when it is invalid. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
    unsigned char lead = p[0];
    size_t length;
    unsigned char min2 = 0x80, max2 = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            min2 = 0xA0; /* overlong */
        else if (lead == 0xED)
            max2 = 0x9F; /* UTF-16 surrogates */
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            min2 = 0x90; /* overlong */
        else if (lead == 0xF4)
            max2 = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if ((size_t)(end - p) < length || p[1] < min2 || p[1] > max2)
        return 0;
    for (size_t i = 2; i < length; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return length;
}

/* Appends decoded bytes to out while there is room, counting all of them. */
static void emit(char *out, size_t size, size_t *length, const unsigned char *bytes, size_t count)
{
    for (size_t i = 0; i < count; i++, (*length)++)
        if (size > 0 && *length < size - 1)
            out[*length] = (char)bytes[i];
}

static size_t encode_utf8(long code_point, unsigned char *out)
{
    if (code_point < 0x80) {
        out[0] = (unsigned char)code_point;
        return 1;
    }
    if (code_point < 0x800) {
        out[0] = (unsigned char)(0xC0 | (code_point >> 6));
        out[1] = (unsigned char)(0x80 | (code_point & 0x3F));
        return 2;
    }
    if (code_point < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (code_point >> 12));
        out[1] = (unsigned char)(0x80 | ((code_point >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (code_point & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (code_point >> 18));
    out[1] = (unsigned char)(0x80 | ((code_point >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((code_point >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (code_point & 0x3F));
    return 4;
}

static int read_escape(hm_json_cursor *cursor, unsigned char *decoded, size_t *ret_count)
{
    if (cursor->p >= cursor->end)
        return -1;
    unsigned char c = *cursor->p++;
    switch (c) {
    case '"':
    case '\\':
    case '/':
        decoded[0] = c;
        break;
    case 'b':
        decoded[0] = '\b';
        break;
    case 'f':
        decoded[0] = '\f';
        break;
    case 'n':
        decoded[0] = '\n';
        break;
    case 'r':
        decoded[0] = '\r';
        break;
    case 't':
        decoded[0] = '\t';
        break;
    case 'u': {
        long code_point = read_unicode_escape(cursor);
        if (code_point < 0)
            return -1;
        *ret_count = encode_utf8(code_point, decoded);
        return 0;
    }
    default:
        return -1;
    }
    *ret_count = 1;
    return 0;
}

int hm_json_read_string(hm_json_cursor *cursor, char *out, size_t size, size_t *ret_length, int *ret_has_nul)
{
    size_t length = 0;
    int has_nul = 0;
    if (hm_json_expect(cursor, '"') < 0)
        return -1;
    for (;;) {
        if (cursor->p >= cursor->end)
            return -1;
        unsigned char c = *cursor->p;
        if (c == '"') {
            cursor->p++;
            break;
        }
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            unsigned char decoded[4];
            size_t count = 0;
            cursor->p++;
            if (read_escape(cursor, decoded, &count) < 0)
                return -1;
            if (count == 1 && decoded[0] == 0)
                has_nul = 1;
            emit(out, size, &length, decoded, count);
        } else if (c < 0x80) {
            emit(out, size, &length, cursor->p++, 1);
        } else {
            size_t count = utf8_sequence(cursor->p, cursor->end);
            if (count == 0)
                return -1;
            emit(out, size, &length, cursor->p, count);
            cursor->p += count;
        }
    }
    if (size > 0)
        out[length < size - 1 ? length : size - 1] = '\0';
    if (ret_length)
        *ret_length = length;
    if (ret_has_nul)
        *ret_has_nul = has_nul;
    return 0;
}

static int is_digit(const hm_json_cursor *cursor)
{
    return cursor->p < cursor->end && *cursor->p >= '0' && *cursor->p <= '9';
}

/* The digits of a number as one virtual sequence: integer digits, then fraction digits, both inside the input. */
typedef struct digit_run {
    const unsigned char *integer;
    size_t integer_count;
    const unsigned char *fraction;
    size_t fraction_count;
} digit_run;

static unsigned char digit_at(const digit_run *run, size_t i)
{
    return i < run->integer_count ? run->integer[i] : run->fraction[i - run->integer_count];
}

/*
 * The value is D x 10^e, where D is the integer and fraction digits read as one integer and e is the exponent
 * minus the number of fraction digits. Leading zeros of D are dropped and trailing zeros move into e; the value
 * is then whole exactly when e >= 0 (or D is empty, i.e. zero). Exact, with no floating point and no buffer.
 */
static void classify(const digit_run *run, int64_t exponent, hm_json_number *number)
{
    size_t first = 0, last = run->integer_count + run->fraction_count;
    int64_t e = exponent - (int64_t)run->fraction_count;
    while (first < last && digit_at(run, first) == '0')
        first++;
    while (last > first && digit_at(run, last - 1) == '0') {
        last--;
        e++;
    }
    number->integral = 1;
    number->huge = 0;
    number->magnitude = 0;
    if (first == last)
        return;
    if (e < 0) {
        number->integral = 0;
        return;
    }
    /* More than 13 decimal digits exceed HM_JSON_INTEGER_MAX (about 1.1e12): stop before uint64 overflows. */
    if ((int64_t)(last - first) + e > 13) {
        number->huge = 1;
        return;
    }
    uint64_t value = 0;
    for (size_t i = first; i < last; i++)
        value = value * 10 + (uint64_t)(digit_at(run, i) - '0');
    for (int64_t i = 0; i < e; i++)
        value *= 10;
    if (value > HM_JSON_INTEGER_MAX)
        number->huge = 1;
    else
        number->magnitude = value;
}

static size_t skip_digits(hm_json_cursor *cursor)
{
    const unsigned char *begin = cursor->p;
    while (is_digit(cursor))
        cursor->p++;
    return (size_t)(cursor->p - begin);
}

int hm_json_read_number(hm_json_cursor *cursor, hm_json_number *ret_number)
{
    digit_run run = {NULL, 0, NULL, 0};
    int64_t exponent = 0;
    hm_json_number number = {0, 1, 0, 0};

    hm_json_skip_space(cursor);
    if (cursor->p < cursor->end && *cursor->p == '-') {
        number.negative = 1;
        cursor->p++;
    }
    run.integer = cursor->p;
    run.integer_count = skip_digits(cursor);
    if (run.integer_count == 0 || (run.integer[0] == '0' && run.integer_count > 1))
        return -1; /* no digit, or a leading zero */
    if (cursor->p < cursor->end && *cursor->p == '.') {
        cursor->p++;
        run.fraction = cursor->p;
        run.fraction_count = skip_digits(cursor);
        if (run.fraction_count == 0)
            return -1;
    }
    if (cursor->p < cursor->end && (*cursor->p == 'e' || *cursor->p == 'E')) {
        int exponent_negative = 0;
        cursor->p++;
        if (cursor->p < cursor->end && (*cursor->p == '+' || *cursor->p == '-'))
            exponent_negative = *cursor->p++ == '-';
        if (!is_digit(cursor))
            return -1;
        while (is_digit(cursor)) {
            int64_t d = *cursor->p++ - '0';
            /* Clamped far beyond any digit count that fits in memory: the class of the value stays exact. */
            if (exponent < INT64_C(1000000000000))
                exponent = exponent * 10 + d;
        }
        if (exponent_negative)
            exponent = -exponent;
    }
    classify(&run, exponent, &number);
    *ret_number = number;
    return 0;
}

static int skip_literal(hm_json_cursor *cursor)
{
    static const char *const literals[] = {"true", "false", "null"};
    for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
        size_t length = strlen(literals[i]);
        if ((size_t)(cursor->end - cursor->p) >= length && memcmp(cursor->p, literals[i], length) == 0) {
            cursor->p += length;
            return 0;
        }
    }
    return -1;
}

static int skip_container(hm_json_cursor *cursor, unsigned char open, unsigned char close)
{
    if (++cursor->depth > HM_JSON_MAX_DEPTH)
        return -1;
    if (hm_json_expect(cursor, open) < 0)
        return -1;
    if (hm_json_expect(cursor, close) == 0) {
        cursor->depth--;
        return 0;
    }
    for (;;) {
        if (open == '{') {
            if (hm_json_read_string(cursor, NULL, 0, NULL, NULL) < 0 || hm_json_expect(cursor, ':') < 0)
                return -1;
        }
        if (hm_json_skip_value(cursor) < 0)
            return -1;
        if (hm_json_expect(cursor, ',') == 0)
            continue;
        if (hm_json_expect(cursor, close) < 0)
            return -1;
        cursor->depth--;
        return 0;
    }
}

int hm_json_skip_value(hm_json_cursor *cursor)
{
    hm_json_number ignored;
    switch (hm_json_peek(cursor)) {
    case HM_JSON_STRING:
        return hm_json_read_string(cursor, NULL, 0, NULL, NULL);
    case HM_JSON_NUMBER:
        return hm_json_read_number(cursor, &ignored);
    case HM_JSON_OBJECT:
        return skip_container(cursor, '{', '}');
    case HM_JSON_ARRAY:
        return skip_container(cursor, '[', ']');
    case HM_JSON_LITERAL:
        return skip_literal(cursor);
    default:
        return -1;
    }
}
