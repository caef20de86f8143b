/*
 * The daemon's pure parts: command-line configuration (every option at its limits), SELinux label rules and
 * derivation, and the children table. No privileges needed; runs under qemu-user for the ARM builds too.
 */
#include "appspawn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hm_test.h"

static int parse(appspawn_config *config, const char *first, ...)
{
    char *argv[16] = {"harmonia-appspawn"};
    int argc = 1;
    va_list args;
    va_start(args, first);
    for (const char *arg = first; arg != NULL && argc < 15; arg = va_arg(args, const char *))
        argv[argc++] = (char *)arg;
    va_end(args);
    argv[argc] = NULL;
    /* getopt prints refusals on stderr: silence them, the return value is what is checked. */
    fflush(stderr);
    int saved = dup(2);
    FILE *null = freopen("/dev/null", "w", stderr);
    int r = appspawn_config_parse(config, argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    (void)null;
    return r;
}

static void defaults_are_documented_values(void)
{
    appspawn_config c;
    HM_CHECK_INT_EQ(parse(&c, NULL), 0);
    HM_CHECK_STR_EQ(c.socket_path, HM_SPAWN_DEFAULT_SOCKET);
    HM_CHECK_INT_EQ(c.socket_mode, 0666);
    HM_CHECK_INT_EQ(c.allowed_count, 1);
    HM_CHECK_INT_EQ(c.allowed_uids[0], 0);
    HM_CHECK_INT_EQ(c.spawn_timeout_ms, 5000);
    HM_CHECK_INT_EQ(c.read_timeout_ms, 5000);
    HM_CHECK_INT_EQ(c.max_children, 1024);
    HM_CHECK_INT_EQ(c.prefork, 2);
    HM_CHECK_INT_EQ(c.selinux_mode, APPSPAWN_SELINUX_AUTO);
    HM_CHECK(c.lite_so_path == NULL);
    HM_CHECK(c.launcher_path != NULL && c.launcher_path[0] == '/');
}

static void numbers_are_checked_at_their_limits(void)
{
    appspawn_config c;
    HM_CHECK_INT_EQ(parse(&c, "--prefork", "16", NULL), 0);
    HM_CHECK_INT_EQ(c.prefork, 16);
    HM_CHECK_INT_EQ(parse(&c, "--prefork", "17", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--prefork", "0", NULL), 0);
    HM_CHECK_INT_EQ(parse(&c, "--prefork", "-1", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--spawn-timeout-ms", "0", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--spawn-timeout-ms", "1", NULL), 0);
    HM_CHECK_INT_EQ(parse(&c, "--spawn-timeout-ms", "600000", NULL), 0);
    HM_CHECK_INT_EQ(parse(&c, "--spawn-timeout-ms", "600001", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--spawn-timeout-ms", "12x", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--read-timeout-ms", "", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--max-children", "65536", NULL), 0);
    HM_CHECK_INT_EQ(parse(&c, "--max-children", "65537", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--socket-mode", "0660", NULL), 0);
    HM_CHECK_INT_EQ(c.socket_mode, 0660);
    HM_CHECK_INT_EQ(parse(&c, "--socket-mode", "0778", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--socket-mode", "1000", NULL), -EINVAL);
}

static void foundation_uids_join_root_on_the_allow_list(void)
{
    appspawn_config c;
    HM_CHECK_INT_EQ(parse(&c, "--foundation-uid", "5523", "--foundation-uid", "7", NULL), 0);
    HM_CHECK_INT_EQ(c.allowed_count, 3);
    HM_CHECK_INT_EQ(c.allowed_uids[0], 0);
    HM_CHECK_INT_EQ(c.allowed_uids[1], 5523);
    HM_CHECK_INT_EQ(c.allowed_uids[2], 7);
    HM_CHECK_INT_EQ(parse(&c, "--foundation-uid", "0", NULL), -EINVAL); /* root is always there */
    HM_CHECK_INT_EQ(parse(&c, "--foundation-uid", "2147483647", NULL), 0);
    HM_CHECK_INT_EQ(parse(&c, "--foundation-uid", "2147483648", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--foundation-uid", "1", "--foundation-uid", "2", "--foundation-uid", "3",
                          "--foundation-uid", "4", "--foundation-uid", "5", "--foundation-uid", "6",
                          "--foundation-uid", "7", NULL),
                    0);
    HM_CHECK_INT_EQ(c.allowed_count, 8);
}

static void paths_must_be_absolute_and_fit(void)
{
    appspawn_config c;
    char long_socket[120];
    memset(long_socket, 's', sizeof long_socket - 1);
    long_socket[0] = '/';
    long_socket[sizeof long_socket - 1] = '\0';
    HM_CHECK_INT_EQ(parse(&c, "--socket", "relative/sock", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--socket", long_socket, NULL), -EINVAL); /* 119 bytes: beyond sun_path */
    long_socket[107] = '\0';
    HM_CHECK_INT_EQ(parse(&c, "--socket", long_socket, NULL), 0); /* 107 bytes and a NUL fill sun_path */
    HM_CHECK_INT_EQ(parse(&c, "--launcher", "launcher", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--lite-so", "lib.so", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--lite-so", "/lib.so", NULL), 0);
    HM_CHECK_STR_EQ(c.lite_so_path, "/lib.so");
    HM_CHECK_INT_EQ(parse(&c, "--selinux-contexts", "x", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "--require-selinux", NULL), 0);
    HM_CHECK_INT_EQ(c.selinux_mode, APPSPAWN_SELINUX_REQUIRE);
    HM_CHECK_INT_EQ(parse(&c, "--no-such-option", NULL), -EINVAL);
    HM_CHECK_INT_EQ(parse(&c, "stray", NULL), -EINVAL);
}

static void default_labels_follow_apl(void)
{
    char context[APPSPAWN_CONTEXT_SIZE];
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, "normal", "a", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:normal_hap:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, "", "a", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:normal_hap:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, "system_basic", "a", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:system_basic_hap:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, "system_core", "a", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:system_core_hap:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, "System_core", "a", context, sizeof context), -EINVAL);
    HM_CHECK_INT_EQ(appspawn_selinux_context(NULL, "normal", "a", context, 10), -EINVAL); /* no room */
}

static char rules_path[64];

static int load(appspawn_contexts *contexts, const char *text, unsigned *line)
{
    FILE *file = fopen(rules_path, "w");
    if (file == NULL)
        return -EIO;
    fputs(text, file);
    fclose(file);
    return appspawn_contexts_load(contexts, rules_path, line);
}

static void rules_name_a_process_before_its_apl(void)
{
    static appspawn_contexts contexts;
    char context[APPSPAWN_CONTEXT_SIZE];
    unsigned line = 0;
    HM_CHECK_INT_EQ(load(&contexts,
                         "# comment\n\n  apl=normal domain=plain_app type=app_data\n"
                         "apl=normal name=com.ohos.launcher domain=launcher\n"
                         "apl=vendor_core domain=vendor\n",
                         &line),
                    0);
    HM_CHECK_INT_EQ(contexts.count, 3);
    HM_CHECK_INT_EQ(appspawn_selinux_context(&contexts, "normal", "com.ohos.launcher", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:launcher:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(&contexts, "normal", "com.other", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:plain_app:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(&contexts, "vendor_core", "x", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:vendor:s0");
    HM_CHECK_INT_EQ(appspawn_selinux_context(&contexts, "system_core", "x", context, sizeof context), 0);
    HM_CHECK_STR_EQ(context, "u:r:system_core_hap:s0");
}

static void bad_rules_name_their_line(void)
{
    static appspawn_contexts contexts;
    unsigned line = 0;
    HM_CHECK_INT_EQ(load(&contexts, "apl=normal domain=a\nname=x domain=b\n", &line), -EINVAL);
    HM_CHECK_INT_EQ(line, 2); /* no apl */
    HM_CHECK_INT_EQ(load(&contexts, "apl=normal\n", &line), -EINVAL);
    HM_CHECK_INT_EQ(line, 1); /* no domain */
    char text[512];
    snprintf(text, sizeof text, "apl=normal domain=%070d\n", 0); /* domain longer than 63 bytes */
    HM_CHECK_INT_EQ(load(&contexts, text, &line), -EINVAL);
    char *many = malloc(64 * 40);
    HM_CHECK(many != NULL);
    if (many) {
        many[0] = '\0';
        for (int i = 0; i <= APPSPAWN_MAX_CONTEXT_RULES; i++)
            strcat(many, "apl=a domain=b\n");
        HM_CHECK_INT_EQ(load(&contexts, many, &line), -EINVAL);
        HM_CHECK_INT_EQ(line, APPSPAWN_MAX_CONTEXT_RULES + 1);
        free(many);
    }
    HM_CHECK_INT_EQ(appspawn_contexts_load(&contexts, "/nonexistent/sehap_contexts", &line), -ENOENT);
}

static void children_table_is_bounded(void)
{
    appspawn_children children;
    HM_CHECK_INT_EQ(appspawn_children_init(&children, 2), 0);
    HM_CHECK_INT_EQ(appspawn_children_add(&children, 100, 1000, 0, "one"), 0);
    HM_CHECK_INT_EQ(appspawn_children_add(&children, 101, 1001, HM_SPAWN_DUMP_COLD, "two"), 0);
    HM_CHECK_INT_EQ(appspawn_children_add(&children, 102, 1002, 0, "three"), -EAGAIN);
    HM_CHECK_INT_EQ(children.count, 2);
    appspawn_child *found = appspawn_children_find(&children, 101);
    HM_CHECK(found != NULL && found->uid == 1001 && strcmp(found->name, "two") == 0);
    HM_CHECK(appspawn_children_find(&children, 0) == NULL);
    HM_CHECK(appspawn_children_find(&children, 999) == NULL);
    appspawn_children_remove(&children, 100);
    appspawn_children_remove(&children, 100); /* twice: no effect */
    HM_CHECK_INT_EQ(children.count, 1);
    HM_CHECK_INT_EQ(appspawn_children_add(&children, 102, 1002, 0, "three"), 0);
    HM_CHECK(appspawn_children_find(&children, 102) != NULL);
    appspawn_children_free(&children);
}

/* What the log shows of a request string: printable ASCII as it is, everything else escaped, never a raw line
 * break; a string too long for the buffer is cut with "..." and stays terminated. */
static void log_escape_leaves_no_raw_control_character(void)
{
    char out[64];
    HM_CHECK_STR_EQ(appspawn_escape("com.example:render-1", out, sizeof out), "com.example:render-1");
    HM_CHECK_STR_EQ(appspawn_escape("a\nb\rc\td", out, sizeof out), "a\\nb\\rc\\td");
    HM_CHECK_STR_EQ(appspawn_escape("it's a \\ path", out, sizeof out), "it\\'s a \\\\ path");
    HM_CHECK_STR_EQ(appspawn_escape("\x1b[2J\x7f\xc3\xa9", out, sizeof out), "\\x1b[2J\\x7f\\xc3\\xa9");
    HM_CHECK_STR_EQ(appspawn_escape(NULL, out, sizeof out), "(null)");
    char small[8];
    HM_CHECK_STR_EQ(appspawn_escape("abcdefghij", small, sizeof small), "abcd...");
    HM_CHECK_STR_EQ(appspawn_escape("\n\n\n\n", small, sizeof small), "\\n\\n...");
    HM_CHECK_STR_EQ(appspawn_escape("abc", small, 3), "");
    for (int c = 1; c < 256; c++) {
        char one[2] = {(char)c, 0};
        appspawn_escape(one, out, sizeof out);
        for (const char *p = out; *p; p++)
            HM_CHECK(*p >= 0x20 && *p < 0x7F);
    }
}

/* The app's environment is packed over the given memory, the rest zeroed; a memory too small is refused. */
static void app_environment_is_written_over_the_given_memory(void)
{
    extern char **environ;
    char **saved = environ;
    char memory[200];
    memset(memory, 'x', sizeof memory);
    appspawn_area area = {memory, sizeof memory};
    HM_CHECK_INT_EQ(appspawn_environment_write(area, 4294967295u), 0);
    HM_CHECK_STR_EQ(getenv("PATH"), HM_SPAWN_APP_PATH);
    HM_CHECK_INT_EQ(hm_spawn_access_token_id(), 4294967295u);
    HM_CHECK(environ[2] == NULL);
    size_t used = strlen(memory) + 1 + strlen(memory + strlen(memory) + 1) + 1;
    HM_CHECK_INT_EQ(used, appspawn_environment_size_max());
    for (size_t i = used; i < sizeof memory; i++)
        HM_CHECK(memory[i] == 0);
    environ = saved;
    area.size = appspawn_environment_size_max() - 1;
    HM_CHECK_INT_EQ(appspawn_environment_write(area, 4294967295u), -E2BIG);
    HM_CHECK(environ == saved);
    /* The reserve the daemon executes itself with is exactly the largest app environment. */
    char **reserve = appspawn_environment_reserve();
    HM_CHECK_INT_EQ(strlen(reserve[0]) + 1 + strlen(reserve[1]) + 1, appspawn_environment_size_max());
    HM_CHECK(reserve[2] == NULL);
}

int main(void)
{
    snprintf(rules_path, sizeof rules_path, "/tmp/hm-appspawn-rules-%d", (int)getpid());
    HM_RUN(defaults_are_documented_values);
    HM_RUN(numbers_are_checked_at_their_limits);
    HM_RUN(foundation_uids_join_root_on_the_allow_list);
    HM_RUN(paths_must_be_absolute_and_fit);
    HM_RUN(default_labels_follow_apl);
    HM_RUN(rules_name_a_process_before_its_apl);
    HM_RUN(bad_rules_name_their_line);
    HM_RUN(children_table_is_bounded);
    HM_RUN(log_escape_leaves_no_raw_control_character);
    HM_RUN(app_environment_is_written_over_the_given_memory);
    unlink(rules_path);
    return HM_TEST_SUMMARY();
}
