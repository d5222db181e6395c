/* `ward check` (score a profile or an OCI config.json against the policy rules) and
 * `ward hook` (an OCI runtime hook refusing containers beyond a policy profile). Both take
 * their arguments untouched from cli.c and return the process's exit status. */
#pragma once

#include <stdio.h>

/* A finding at or above --fail-on (check), or a violated rule (hook). */
#define WARD_EXIT_POLICY 1

int check_main(int argc, char **argv);
int hook_main(int argc, char **argv);

void check_print_usage(FILE *out);
void hook_print_usage(FILE *out);
