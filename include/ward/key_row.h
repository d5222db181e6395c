/* One row of the key table (keys.h): the type alone, so that the parsers (key_values.h)
 * and the shows read their row without including the table they are named in. */
#pragma once

#include <stddef.h>

struct ward_config;
struct ward_setting; /* key_values.h: one Key=value being applied */
struct ward_key_out; /* key_values.h: where explain's lines go */

enum ward_flag_arg {
        WARD_FLAG_NONE,     /* --keep-groups: sets flag_value */
        WARD_FLAG_REQUIRED, /* --hostname NAME */
        WARD_FLAG_OPTIONAL, /* --read-only[=try]: flag_value without one */
};

struct ward_key {
        const char *section;
        const char *key;
        int (*parse)(const struct ward_setting *s); /* NULL: Include=, the file loader's */
        int arg;                                    /* for parse: a Limit key's RLIMIT_* */
        /* ward run's flag that sets exactly this key (docker's spelling), or NULL */
        const char *flag;
        char short_flag;
        enum ward_flag_arg flag_arg;
        const char *flag_value;
        const char *no_flag; /* a second flag that sets the key to "no": --no-init */
        /* docker spells some values another way ("-1" for no limit): the profile's spelling
         * of arg, in buf when it must be rewritten; NULL with errno set when it cannot be */
        const char *(*from_flag)(const char *arg, char *buf, size_t len);
        /* other command-line spellings, handled in cli.c because they are not one key's
         * value as given (-v SRC:DST, --ulimit NAME=N, ...); "" when none */
        const char *also;
        const char *oci;     /* the config.json member it maps to and from; "" when none */
        const char *example; /* a valid value other than the default, for docs and tests */
        /* `ward explain`'s lines for it (keys_show.c); NULL: shown with another key's */
        void (*show)(const struct ward_config *c, struct ward_key_out *o);
};
