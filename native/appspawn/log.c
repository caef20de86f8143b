/*
 * One line per event on stderr, prefixed with the daemon's name and pid (as syslog and journald expect), written
 * with a single write so lines from the daemon and its children do not interleave. Request-supplied strings go
 * through appspawn_escape first, so the only line breaks in the log are the ones this file writes.
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

const char *appspawn_escape(const char *text, char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t at = 0; /* invariant: at + 4 <= size, so "..." and the NUL always fit */
    if (size < 4) {
        if (size > 0)
            buf[0] = '\0';
        return buf;
    }
    if (text == NULL)
        text = "(null)";
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        char escaped[4];
        size_t length = 0;
        if (*p == '\\' || *p == '\'') {
            escaped[length++] = '\\';
            escaped[length++] = (char)*p;
        } else if (*p == '\n' || *p == '\t' || *p == '\r') {
            escaped[length++] = '\\';
            escaped[length++] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
        } else if (*p < 0x20 || *p >= 0x7F) {
            escaped[length++] = '\\';
            escaped[length++] = 'x';
            escaped[length++] = hex[*p >> 4];
            escaped[length++] = hex[*p & 0xF];
        } else {
            escaped[length++] = (char)*p;
        }
        if (at + length + 4 > size) {
            memcpy(buf + at, "...", 3);
            at += 3;
            break;
        }
        memcpy(buf + at, escaped, length);
        at += length;
    }
    buf[at] = '\0';
    return buf;
}
