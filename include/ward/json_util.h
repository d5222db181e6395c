/* Walking jansson documents with the JSON path of each value, for the errors of the
 * readers that name where in a document the problem is ("mounts[3].type"): oci_map*.c,
 * oci_facts.c and seccomp_json.c. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Room for a path; a longer one is cut, never overflows (errors keep 96 bytes of it). */
#define WARD_JSON_PATH_LEN 160

/* One element of an array with its path, "BASE[i]". */
struct ward_json_elem {
        size_t i;
        json_t *v;
        char path[WARD_JSON_PATH_LEN];
};

/* Element el->i of arr into el (value and path); false past the end. */
bool ward_json_elem_at(const json_t *arr, const char *base, struct ward_json_elem *el);

/* Every element of arr (none when arr is NULL or not an array), in order:
 *
 *     struct ward_json_elem el;
 *     ward_json_foreach(arr, "process.rlimits", &el)
 *     {
 *             if ((r = map_rlimit(x, el.path, el.v)) < 0)
 *                     return r;
 *     }
 */
#define ward_json_foreach(arr, base, el)                                                           \
        for ((el)->i = 0; ward_json_elem_at((arr), (base), (el)); (el)->i++)

/* printf into a path buffer of len bytes, cut to fit. */
__attribute__((format(printf, 3, 4))) void ward_json_path(char *buf, size_t len, const char *fmt,
                                                          ...);

/* For "expected X, found Y": "an object", "an array", "a string", "an integer", "a number",
 * "true", "false" or "null". */
const char *ward_json_type_name(const json_t *v);

/* jansson's integers stop at INT64_MAX, but the runtime spec's rlimits are uint64 and
 * "infinity" is written 18446744073709551615 (RLIM_INFINITY, as Go prints it). That literal
 * and WARD_JSON_UINT64_MAX_STAND_IN have the same 20 characters, so they are swapped in
 * place wherever one is a number token (never inside a string), keeping every line:column:
 * to_stand_in before a parse, the other way after a dump. Returns -1, or (changing nothing)
 * the offset of a token that already spells the target, which a swap would make ambiguous. */
#define WARD_JSON_UINT64_MAX_TEXT "18446744073709551615"
#define WARD_JSON_UINT64_MAX_STAND_IN INT64_MIN
ssize_t ward_json_swap_uint64_max(char *text, size_t len, bool to_stand_in);

/* The 1-based line and column of text[offset], counted as jansson counts them (characters). */
void ward_json_line_column(const char *text, size_t offset, int *line, int *column);
