/*
 * The character sets of the request's text fields (docs/protocols.md, section 3). Names are plain ASCII from a
 * small set, so a name can never carry a line break, a terminal escape or a quote into a log line, /proc/PID/cmdline
 * or a dump; paths may hold any byte except control characters (directories may have spaces or UTF-8 names), and
 * the daemon escapes them whenever it logs one. Internal to libharmonia (hidden symbols); shared by the AppProperty
 * record, the lite parser and the launcher.
 */
#ifndef HARMONIA_SPAWN_NAMES_H
#define HARMONIA_SPAWN_NAMES_H

#include <stddef.h>

typedef enum hm_spawn_text {
    HM_SPAWN_TEXT_PROCESS_NAME, /* letters, digits, '.', '_', ':', '-' */
    HM_SPAWN_TEXT_BUNDLE_NAME,  /* OpenHarmony's bundle names: a letter, then letters, digits, '.', '_' */
    HM_SPAWN_TEXT_APL,          /* lower-case letters and '_' (normal, system_basic, system_core) */
    HM_SPAWN_TEXT_PATH,         /* any byte but the control characters 0x01..0x1F and 0x7F */
    HM_SPAWN_TEXT_IDENTITY      /* printable ASCII without space: 0x21..0x7E */
} hm_spawn_text;

/* 1 when every one of the `length` bytes of s belongs to the set of `kind` (an empty string always does). */
int hm_spawn_text_valid(hm_spawn_text kind, const char *s, size_t length);

/* The set of `kind` as a phrase for error messages, e.g. "letters, digits, '.', '_', ':' and '-'". */
const char *hm_spawn_text_rule(hm_spawn_text kind);

#endif /* HARMONIA_SPAWN_NAMES_H */
