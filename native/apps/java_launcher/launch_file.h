/*
 * The launch file of a Java bundle: what the Java launcher library executes for an app process of that bundle. The
 * bundle manager writes it (root-owned, next to a copy of the launcher in the bundle's code folder); the launcher
 * reads it in the app process, under the bundle's uid, and executes the JVM it names.
 *
 * Format (UTF-8 text, lines end with '\n', at most HM_LAUNCH_FILE_MAX bytes, no NUL byte):
 *   harmonia-launch 1          the first line, exactly
 *   cwd <absolute path>        exactly one: the working directory (the bundle's data folder)
 *   exec <absolute path>       exactly one: the program (argv[0])
 *   arg <text>                 zero or more: argv[1..] in order; <text> may be empty and may hold spaces
 * Blank lines and lines starting with '#' are ignored. Any other line, a missing or repeated cwd/exec, a value too
 * long or too many args is refused with -EBADMSG and the 1-based number of the offending line (0: the whole file).
 */
#ifndef HARMONIA_LAUNCH_FILE_H
#define HARMONIA_LAUNCH_FILE_H

#include <stddef.h>

/* Largest launch file, in bytes. */
#define HM_LAUNCH_FILE_MAX 65536u
/* Most "arg" lines. */
#define HM_LAUNCH_MAX_ARGS 256u
/* Longest path (cwd, exec) in bytes, without the NUL. */
#define HM_LAUNCH_PATH_MAX 4095u

typedef struct hm_launch_file {
    const char *cwd;
    const char *exec;
    /* exec, then every arg, then NULL: ready for execv. */
    const char *argv[HM_LAUNCH_MAX_ARGS + 2];
    unsigned argc;
} hm_launch_file;

/*
 * Parses `text` (`length` bytes) in place: line ends become NULs and the result points into `text`, which must
 * hold length + 1 bytes (text[length] is written). Returns 0, or -EBADMSG with *ret_line set to the offending line;
 * -EINVAL for NULL arguments. *ret_file is written only on success.
 */
int hm_launch_file_parse(char *text, size_t length, hm_launch_file *ret_file, unsigned *ret_line);

#endif /* HARMONIA_LAUNCH_FILE_H */
