/* `ward check` (score a profile or an OCI config.json against the policy rules) and
 * `ward hook` (an OCI runtime hook refusing containers beyond a policy profile). Both take
 * their arguments untouched from cli.c and return the process's exit status. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "ward/error.h"

/* A finding at or above --fail-on (check), or a violated rule (hook). */
#define WARD_EXIT_POLICY 1

struct ward_config;

/* `ward check`'s own flags, and what it needs to know of ward run's. */
struct ward_check_cli {
        const char *oci;     /* --oci FILE */
        const char *format;  /* --format text|json, checked by check.c */
        const char *fail_on; /* --fail-on SEVERITY, likewise */
        bool list_rules;
        const char *profile; /* the last --profile, NULL: none (ward run loads "default") */
        bool run_flags;      /* a flag of ward run's other than --profile was given */
        char run_text[1024]; /* ... those flags, for the report's first line */
};

/* `ward check`: k and c as cli_parse() left them (c is ward run's config for the same
 * line, unless --oci or --list-rules was given). */
int check_main(const struct ward_check_cli *k, const struct ward_config *c);
int hook_main(int argc, char **argv);

/* The OCI state `ward hook` reads on stdin (runtime spec "State"): "bundle" (absolute) is
 * required, "id" and "annotations" are used. Strings are copied bounded, and control
 * characters in id become '?' (one log message stays one line). */
struct hook_state {
        char id[256];
        char bundle[4096];
        struct json_t *doc;
        const struct json_t *annotations; /* in doc; NULL when absent */
};

/* Read and check the state from fd (a pipe; bounded like config.json). On error e names
 * the key; either way hook_state_free() releases st, which must start zeroed. */
int hook_state_read(int fd, struct hook_state *st, struct ward_error *e);
void hook_state_free(struct hook_state *st);

/* `ward run`: one line on out for each finding rated high or critical on the config it is
 * about to apply (policy_facts_at_run(): nothing read, no syscall). Prints nothing else and
 * never fails the run. */
void check_warn_run(const struct ward_config *c, FILE *out);

/* run_flags: ward run's flags, as cli.c lists them (check takes them all). */
void check_print_usage(FILE *out, const char *run_flags);
void hook_print_usage(FILE *out);
