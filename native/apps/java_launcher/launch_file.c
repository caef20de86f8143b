/*
 * The launch file parser (the format is in launch_file.h). One pass over the lines; nothing is allocated: the
 * result points into the caller's buffer, whose line ends become NULs.
 */
#include "launch_file.h"

#include <errno.h>
#include <string.h>

#define MAGIC "harmonia-launch 1"

static int refuse(unsigned line, unsigned *ret_line)
{
    if (ret_line != NULL)
        *ret_line = line;
    return -EBADMSG;
}

static int is_absolute_path(const char *value)
{
    size_t length = strlen(value);
    return value[0] == '/' && length <= HM_LAUNCH_PATH_MAX;
}

int hm_launch_file_parse(char *text, size_t length, hm_launch_file *ret_file, unsigned *ret_line)
{
    hm_launch_file file;
    unsigned line = 0;
    size_t at = 0;
    if (text == NULL || ret_file == NULL)
        return -EINVAL;
    if (length > HM_LAUNCH_FILE_MAX || memchr(text, '\0', length) != NULL)
        return refuse(0, ret_line);
    text[length] = '\0';
    memset(&file, 0, sizeof file);
    file.argc = 1; /* argv[0] is exec, set at the end */
    while (at < length) {
        char *start = text + at;
        char *end = memchr(start, '\n', length - at);
        if (end == NULL)
            end = text + length;
        *end = '\0';
        at = (size_t)(end - text) + 1;
        line++;
        if (line == 1) {
            if (strcmp(start, MAGIC) != 0)
                return refuse(line, ret_line);
            continue;
        }
        if (start[0] == '\0' || start[0] == '#')
            continue;
        if (strncmp(start, "cwd ", 4) == 0) {
            if (file.cwd != NULL || !is_absolute_path(start + 4))
                return refuse(line, ret_line);
            file.cwd = start + 4;
        } else if (strncmp(start, "exec ", 5) == 0) {
            if (file.exec != NULL || !is_absolute_path(start + 5))
                return refuse(line, ret_line);
            file.exec = start + 5;
        } else if (strncmp(start, "arg ", 4) == 0 || strcmp(start, "arg") == 0) {
            if (file.argc > HM_LAUNCH_MAX_ARGS)
                return refuse(line, ret_line);
            file.argv[file.argc++] = start[3] == '\0' ? start + 3 : start + 4;
        } else {
            return refuse(line, ret_line);
        }
    }
    if (line == 0 || file.cwd == NULL || file.exec == NULL)
        return refuse(0, ret_line);
    file.argv[0] = file.exec;
    file.argv[file.argc] = NULL;
    *ret_file = file;
    return 0;
}
