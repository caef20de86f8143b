/*
 * One line per event on stderr, prefixed with the daemon's name and pid (as syslog and journald expect), written
 * with a single write so lines from the daemon and its children do not interleave.
 */
#include "appspawn.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void appspawn_log(const char *format, ...)
{
    char line[1024];
    int prefix = snprintf(line, sizeof line, "harmonia-appspawn[%d]: ", (int)getpid());
    va_list args;
    va_start(args, format);
    int body = vsnprintf(line + prefix, sizeof line - (size_t)prefix - 1, format, args);
    va_end(args);
    size_t length = (size_t)prefix + (body < 0 ? 0 : (size_t)body);
    if (length > sizeof line - 2)
        length = sizeof line - 2;
    line[length++] = '\n';
    ssize_t written = write(STDERR_FILENO, line, length);
    (void)written; /* nowhere to report a failed log write */
}
