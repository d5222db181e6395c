/* Command-line flags: getopt_long with ward's rules (flags.h). */
#include "ward/flags.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ward/util.h"

/* Enough for every command's table (run's is the longest); a longer one loses suggestions
 * for its last flags, nothing else. */
#define FLAGS_MAX 64

static void blame(struct ward_error *e, const char *flag)
{
        snprintf(e->where, sizeof(e->where), "command line");
        snprintf(e->key, sizeof(e->key), "%.64s", flag);
}

static int unknown_flag(const char *text, const struct option *options, const char *command,
                        struct ward_error *e)
{
        const char *names[FLAGS_MAX + 1] = {NULL}, *closest;
        char flag[64], long_names[FLAGS_MAX][32];
        size_t n = 0;

        snprintf(flag, sizeof(flag), "%.*s", (int)strcspn(text, "="), text);
        for (; n < FLAGS_MAX && options[n].name; n++) {
                snprintf(long_names[n], sizeof(long_names[n]), "--%s", options[n].name);
                names[n] = long_names[n];
        }
        for (size_t i = 0; i < n; i++)
                if (strcmp(flag, names[i]) == 0 && strchr(text, '=')) {
                        ward_error_set(e, 0, "%s takes no value", flag);
                        blame(e, flag);
                        ward_error_hint(e, "write %s alone", flag);
                        return -EINVAL;
                }
        ward_error_set(e, 0, "unknown flag %s", flag);
        blame(e, flag);
        closest = strncmp(flag, "--", 2) == 0 ? ward_closest(flag, names) : NULL;
        if (closest)
                ward_error_hint(e, "did you mean %s? (ward %s --help lists every flag)", closest,
                                command);
        else
                ward_error_hint(e, "ward %s --help lists every flag", command);
        return -EINVAL;
}

static int missing_argument(const char *text, const char *command, struct ward_error *e)
{
        ward_error_set(e, 0, "%.64s needs a value", text);
        blame(e, text);
        ward_error_hint(e, "see ward %s --help", command);
        return -EINVAL;
}

static bool abbreviated(const char *text, const char *name)
{
        size_t len = strcspn(text + 2, "=");

        return strncmp(text, "--", 2) == 0 && (len != strlen(name) || strncmp(text + 2, name, len));
}

int flags_next(int argc, char **argv, const char *short_opts, const struct option *options,
               const char *command, struct ward_error *e)
{
        /* The argument getopt reads next: a long flag always starts one (optind 0: a reset). */
        int at = optind ? optind : 1, longindex = -1;
        int opt = getopt_long(argc, argv, short_opts, options, &longindex);

        if (opt == -1)
                return 0;
        if (longindex >= 0 && abbreviated(argv[at], options[longindex].name)) {
                unknown_flag(argv[at], options, command, e);
                ward_error_hint(e, "did you mean --%s? (flags cannot be abbreviated)",
                                options[longindex].name);
                return -EINVAL;
        }
        if (opt == '?')
                return unknown_flag(strncmp(argv[optind - 1], "--", 2) == 0 || !optopt
                                        ? argv[optind - 1]
                                        : (char[]){'-', (char)optopt, '\0'},
                                    options, command, e);
        if (opt == ':')
                return missing_argument(argv[optind - 1], command, e);
        return opt;
}
