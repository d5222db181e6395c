/* The key table: one row per setting ward knows. It drives the profile reader
 * (profile_apply), ward run's flags that set exactly one key (cli.c), `ward help keys`, and
 * the checks that man/ward.profile.5, --help and the OCI mapping list the same keys
 * (tests/integration/test_key_table.sh). To add a setting: a parser in key_values.c and one
 * row here; see ARCHITECTURE.md "Keys". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define WARD_KEYS_MAX 128 /* rows of the table; keys.c asserts it */

#include "ward/key_row.h"

const struct ward_key *keys_table(size_t *n);
const struct ward_key *keys_find(const char *section, const char *key);
/* The first row whose key is named key, in any section: "Hostname= goes in [Namespaces]". */
const struct ward_key *keys_find_any_section(const char *key);
bool keys_section_known(const char *section);
/* The sections in order, NULL-terminated. */
extern const char *const ward_key_sections[];

/* explain's settings: every row's show, in the table's order. */
void keys_explain(const struct ward_config *c, FILE *out);

/* `ward help keys`: the table as text (format "text") or tab-separated ("tsv"). */
int keys_print(const char *format);
