/* Walking jansson documents with the JSON path of each value (json_util.h). */
#include "ward/json_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ward/util.h"

bool ward_json_elem_at(const json_t *arr, const char *base, struct ward_json_elem *el)
{
        if (el->i >= json_array_size(arr))
                return false;
        el->v = json_array_get(arr, el->i);
        ward_json_path(el->path, sizeof(el->path), "%s[%zu]", base, el->i);
        return true;
}

void ward_json_path(char *buf, size_t len, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf, len, fmt, ap);
        va_end(ap);
}

const char *ward_json_type_name(const json_t *v)
{
        static const char *const names[] = {"an object", "an array", "a string", "an integer",
                                            "a number",  "true",     "false",    "null"};
        return names[json_typeof(v) % ARRAY_SIZE(names)];
}

/* Length of the string token at s (from its opening quote to past the closing one). */
static size_t string_token_len(const char *s, size_t len)
{
        size_t i = 1;

        while (i < len && s[i] != '"')
                i += s[i] == '\\' ? 2 : 1;
        return i < len ? i + 1 : len;
}

/* The offset of the next number token from `from` on that is exactly tok (not the head or
 * tail of a longer number, never inside a string), or len. */
static size_t next_number(const char *text, size_t len, size_t from, const char *tok)
{
        const size_t n = strlen(tok);

        for (size_t i = from; i < len;) {
                if (text[i] == '"') {
                        i += string_token_len(text + i, len - i);
                        continue;
                }
                bool starts = i == 0 || !strchr("0123456789.-+eE", text[i - 1]);
                bool ends = i + n >= len || !strchr("0123456789.eE", text[i + n]);
                if (starts && ends && i + n <= len && memcmp(text + i, tok, n) == 0)
                        return i;
                i++;
        }
        return len;
}

ssize_t ward_json_swap_uint64_max(char *text, size_t len, bool to_stand_in)
{
        static const char max[] = WARD_JSON_UINT64_MAX_TEXT;
        char stand_in[sizeof(max)];
        const char *from = to_stand_in ? max : stand_in, *to = to_stand_in ? stand_in : max;
        size_t i;

        snprintf(stand_in, sizeof(stand_in), "%lld", (long long)WARD_JSON_UINT64_MAX_STAND_IN);
        /* A token already spelled as the target would be read as a swapped one. */
        if ((i = next_number(text, len, 0, to)) < len)
                return (ssize_t)i;
        for (i = 0; (i = next_number(text, len, i, from)) < len; i += sizeof(max) - 1)
                memcpy(text + i, to, sizeof(max) - 1);
        return -1;
}

void ward_json_line_column(const char *text, size_t offset, int *line, int *column)
{
        *line = 1, *column = 1;
        for (size_t i = 0; i < offset; i++) {
                if (text[i] == '\n')
                        ++*line, *column = 1;
                else if (((unsigned char)text[i] & 0xc0) != 0x80) /* not a UTF-8 tail byte */
                        ++*column;
        }
}
