/*
 * The character sets of the request's text fields; see names.h. Byte by byte and locale-free on purpose: the
 * rules are about bytes on the wire, never about what a locale calls a letter.
 */
#include "names.h"

static int is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int byte_allowed(hm_spawn_text kind, unsigned char c, size_t index)
{
    switch (kind) {
    case HM_SPAWN_TEXT_PROCESS_NAME:
        return is_letter(c) || is_digit(c) || c == '.' || c == '_' || c == ':' || c == '-';
    case HM_SPAWN_TEXT_BUNDLE_NAME:
        return is_letter(c) || (index > 0 && (is_digit(c) || c == '.' || c == '_'));
    case HM_SPAWN_TEXT_APL:
        return (c >= 'a' && c <= 'z') || c == '_';
    case HM_SPAWN_TEXT_PATH:
        return c >= 0x20 && c != 0x7F;
    case HM_SPAWN_TEXT_IDENTITY:
        return c > 0x20 && c < 0x7F;
    }
    return 0;
}

int hm_spawn_text_valid(hm_spawn_text kind, const char *s, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (!byte_allowed(kind, (unsigned char)s[i], i))
            return 0;
    return 1;
}

const char *hm_spawn_text_rule(hm_spawn_text kind)
{
    switch (kind) {
    case HM_SPAWN_TEXT_PROCESS_NAME:
        return "ASCII letters, digits, '.', '_', ':' and '-'";
    case HM_SPAWN_TEXT_BUNDLE_NAME:
        return "an ASCII letter, then letters, digits, '.' and '_'";
    case HM_SPAWN_TEXT_APL:
        return "lower-case ASCII letters and '_'";
    case HM_SPAWN_TEXT_PATH:
        return "no control characters";
    case HM_SPAWN_TEXT_IDENTITY:
        return "printable ASCII without spaces";
    }
    return "";
}
