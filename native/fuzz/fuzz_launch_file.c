/*
 * libFuzzer target for the Java launcher's launch file parser (hm_launch_file_parse). Besides the sanitizers'
 * checks it asserts: an accepted file gives absolute cwd and exec, argv[0] is exec, argv ends with NULL, and every
 * pointer lies inside the buffer.
 */
#include "launch_file.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const char *p, const char *buf, size_t size)
{
    return p >= buf && p <= buf + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[HM_LAUNCH_FILE_MAX + 2];
    hm_launch_file file;
    unsigned line = 0;
    if (size > HM_LAUNCH_FILE_MAX + 1)
        size = HM_LAUNCH_FILE_MAX + 1;
    memcpy(buf, data, size);
    if (hm_launch_file_parse(buf, size, &file, &line) != 0)
        return 0;
    if (file.cwd[0] != '/' || file.exec[0] != '/' || file.argv[0] != file.exec || file.argv[file.argc] != NULL ||
        file.argc > HM_LAUNCH_MAX_ARGS + 1 || !inside(file.cwd, buf, size) || !inside(file.exec, buf, size))
        __builtin_trap();
    for (unsigned i = 0; i < file.argc; i++)
        if (!inside(file.argv[i], buf, size))
            __builtin_trap();
    return 0;
}
