/* The launch file parser of the Java launcher (native/apps/java_launcher/launch_file.h). */
#include "hm_test.h"

#include <errno.h>

#include "launch_file.h"

static int parse(const char *source, hm_launch_file *file, unsigned *line)
{
    static char buf[HM_LAUNCH_FILE_MAX + 2];
    size_t length = strlen(source);
    memcpy(buf, source, length);
    *line = 999;
    return hm_launch_file_parse(buf, length, file, line);
}

static void a_complete_file_gives_argv_for_execv(void)
{
    hm_launch_file file;
    unsigned line;
    HM_CHECK_INT_EQ(parse("harmonia-launch 1\n# comment\ncwd /data/app\nexec /usr/bin/java\narg -Xshare:auto\n\n"
                          "arg \narg two words\narg\n",
                          &file, &line),
                    0);
    HM_CHECK_STR_EQ(file.cwd, "/data/app");
    HM_CHECK_STR_EQ(file.exec, "/usr/bin/java");
    HM_CHECK_INT_EQ(file.argc, 5);
    HM_CHECK_STR_EQ(file.argv[0], "/usr/bin/java");
    HM_CHECK_STR_EQ(file.argv[1], "-Xshare:auto");
    HM_CHECK_STR_EQ(file.argv[2], "");
    HM_CHECK_STR_EQ(file.argv[3], "two words");
    HM_CHECK_STR_EQ(file.argv[4], "");
    HM_CHECK(file.argv[5] == NULL);
}

static void a_file_without_final_newline_is_read_to_its_end(void)
{
    hm_launch_file file;
    unsigned line;
    HM_CHECK_INT_EQ(parse("harmonia-launch 1\ncwd /\nexec /bin/true", &file, &line), 0);
    HM_CHECK_STR_EQ(file.exec, "/bin/true");
    HM_CHECK_INT_EQ(file.argc, 1);
}

static void every_broken_rule_names_its_line(void)
{
    static const struct {
        const char *text;
        unsigned line;
    } cases[] = {
        {"", 0},
        {"harmonia-launch 2\ncwd /\nexec /x\n", 1},
        {"harmonia-launch 1\ncwd relative\nexec /x\n", 2},
        {"harmonia-launch 1\ncwd /\ncwd /\nexec /x\n", 3},
        {"harmonia-launch 1\ncwd /\nexec /x\nexec /y\n", 4},
        {"harmonia-launch 1\ncwd /\nexec /x\nenv A=B\n", 4},
        {"harmonia-launch 1\ncwd /\n", 0},
        {"harmonia-launch 1\nexec /x\n", 0},
        {"harmonia-launch 1\ncwd /\nexec \n", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hm_launch_file file;
        unsigned line;
        HM_CHECK_INT_EQ(parse(cases[i].text, &file, &line), -EBADMSG);
        HM_CHECK_INT_EQ(line, cases[i].line);
    }
}

static void limits_are_enforced(void)
{
    static char text[HM_LAUNCH_FILE_MAX + 2];
    hm_launch_file file;
    unsigned line = 7;
    size_t at = (size_t)snprintf(text, sizeof text, "harmonia-launch 1\ncwd /\nexec /x\n");
    for (unsigned i = 0; i <= HM_LAUNCH_MAX_ARGS; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, "arg %u\n", i);
    HM_CHECK_INT_EQ(hm_launch_file_parse(text, at, &file, &line), -EBADMSG);
    HM_CHECK_INT_EQ(line, 3 + HM_LAUNCH_MAX_ARGS + 1);

    memset(text, 'a', sizeof text);
    HM_CHECK_INT_EQ(hm_launch_file_parse(text, HM_LAUNCH_FILE_MAX + 1, &file, &line), -EBADMSG);
    HM_CHECK_INT_EQ(line, 0);

    char with_nul[] = "harmonia-launch 1\ncwd /\0\nexec /x\n";
    HM_CHECK_INT_EQ(hm_launch_file_parse(with_nul, sizeof with_nul - 1, &file, &line), -EBADMSG);
    HM_CHECK_INT_EQ(hm_launch_file_parse(NULL, 0, &file, &line), -EINVAL);
}

int main(void)
{
    HM_RUN(a_complete_file_gives_argv_for_execv);
    HM_RUN(a_file_without_final_newline_is_read_to_its_end);
    HM_RUN(every_broken_rule_names_its_line);
    HM_RUN(limits_are_enforced);
    return HM_TEST_SUMMARY();
}
