/* The typed reads of the config.json reader (oci_map_internal.h): a value of the wrong
 * type, a key ward does not map or a value it cannot honor is an error naming the JSON
 * path as the key and config.json as the place. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "oci_map_internal.h"
#include "ward/path.h"
#include "ward/util.h"

int oci_bad(struct oci *x, const char *path, const char *fmt, ...)
{
        char why[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
        return ward_error_at(x->e, &x->o, path, 0, "%s", why);
}

int oci_unsupported(struct oci *x, const char *path, const char *why)
{
        oci_bad(x, path, "not supported by ward%s%s", why ? ": " : "", why ? why : "");
        ward_error_hint(x->e,
                        "remove %s from config.json; ward refuses what it cannot apply "
                        "rather than ignore it (see BUNDLES in ward(1))",
                        path);
        return -EINVAL;
}

int oci_nomem(struct oci *x)
{
        return ward_error_set(x->e, ENOMEM, "out of memory");
}

int oci_want(struct oci *x, const char *path, const json_t *v, json_type t)
{
        static const char *const wanted[] = {"an object", "an array",  "a string",  "an integer",
                                             "a number",  "a boolean", "a boolean", "null"};

        if (json_typeof(v) == t || (t == JSON_TRUE && json_is_boolean(v)))
                return 0;
        oci_bad(x, path, "expected %s, found %s", wanted[t % ARRAY_SIZE(wanted)],
                ward_json_type_name(v));
        ward_error_hint(x->e, "see the OCI runtime spec for the type of %s", path);
        return -EINVAL;
}

int oci_only_keys(struct oci *x, const char *path, json_t *obj, const char *const *allowed)
{
        const char *k;
        json_t *v;
        char p[PATH_LEN];

        json_object_foreach(obj, k, v)
        {
                size_t i = 0;
                while (allowed[i] && strcmp(allowed[i], k) != 0)
                        i++;
                if (allowed[i])
                        continue;
                ward_json_path(p, sizeof(p), "%s%s%.60s", path, path[0] ? "." : "", k);
                return oci_unsupported(x, p, NULL);
        }
        return 0;
}

int oci_must_be_empty(struct oci *x, const char *path, json_t *v, const char *why)
{
        if (!v || json_is_null(v) || json_is_false(v) ||
            (json_is_string(v) && json_string_length(v) == 0) ||
            (json_is_array(v) && json_array_size(v) == 0) ||
            (json_is_object(v) && json_object_size(v) == 0) ||
            (json_is_integer(v) && json_integer_value(v) == 0))
                return 0;
        return oci_unsupported(x, path, why);
}

int oci_get_string(struct oci *x, const char *path, json_t *v, const char **out)
{
        int r = oci_want(x, path, v, JSON_STRING);

        if (r < 0)
                return r;
        if (strlen(json_string_value(v)) != json_string_length(v))
                return oci_bad(x, path, "a NUL byte inside the string");
        *out = json_string_value(v);
        return 0;
}

const char *oci_int_text(const json_t *v, char buf[24])
{
        if (json_integer_value(v) == WARD_JSON_UINT64_MAX_STAND_IN)
                return WARD_JSON_UINT64_MAX_TEXT;
        snprintf(buf, 24, "%lld", (long long)json_integer_value(v));
        return buf;
}

int oci_get_u32(struct oci *x, const char *path, json_t *v, uint32_t *out)
{
        int r = oci_want(x, path, v, JSON_INTEGER);
        char buf[24];

        if (r < 0)
                return r;
        if (json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX - 1)
                return oci_bad(x, path, "%s is out of range", oci_int_text(v, buf));
        *out = (uint32_t)json_integer_value(v);
        return 0;
}

int oci_get_bool(struct oci *x, const char *path, json_t *v, bool *out)
{
        int r = oci_want(x, path, v, JSON_TRUE);

        if (r >= 0)
                *out = json_is_true(v);
        return r;
}

int oci_absolute(struct oci *x, const char *path, const char *s)
{
        if (s[0] != '/')
                return oci_bad(x, path, "\"%.200s\" is not an absolute path", s);
        return 0;
}

int oci_sandbox_path(struct oci *x, const char *path, const char *s, char *out)
{
        const char *why = "is too long";
        int r = strlen(s) < PATH_MAX ? 0 : -ENAMETOOLONG;

        if (r >= 0) {
                strcpy(out, s);
                r = ward_path_normalize(out, &why);
        }
        if (r < 0) {
                oci_bad(x, path, "\"%.200s\" %s: refused", s, why);
                ward_error_hint(x->e, "write it from / without \"..\": a check would see one "
                                      "place and the mount land in another");
        }
        return r < 0 ? -EINVAL : 0;
}

struct ward_origin oci_origin_fixed(const struct oci *x, const char *key)
{
        struct ward_origin o = x->o;

        o.key = key;
        return o;
}

int oci_origin_at(struct oci *x, const char *key, struct ward_origin *out)
{
        *out = x->o;
        /* Kept, not interned: every key is new (one per element), and a search for an equal
         * string would make a bundle of many mounts quadratic. */
        if (!(out->key = config_keep(x->c, key)))
                return oci_nomem(x);
        return 0;
}
