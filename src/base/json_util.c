/* Walking jansson documents with the JSON path of each value (json_util.h). */
#include "ward/json_util.h"

#include <stdarg.h>
#include <stdio.h>

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
