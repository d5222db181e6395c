/* config.json's hooks: prestart and createRuntime run on the host before the sandbox is
 * built, poststop after it; ward runs those (oci_hooks.c). The others run inside the
 * container or after its start, which ward's setup does not stop for: refused
 * (oci_map_internal.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oci_map_internal.h"
#include "ward/oci_hooks.h"
#include "ward/util.h"

static int hook_strings(struct oci *x, const char *path, json_t *arr, char ***out)
{
        struct ward_json_elem el;
        const char *s;
        int r;

        if ((r = oci_want(x, path, arr, JSON_ARRAY)) < 0)
                return r;
        if (!(*out = calloc(json_array_size(arr) + 1, sizeof(**out))))
                return oci_nomem(x);
        ward_json_foreach(arr, path, &el)
        {
                if ((r = oci_get_string(x, el.path, el.v, &s)) < 0)
                        return r;
                if (!((*out)[el.i] = strdup(s)))
                        return oci_nomem(x);
        }
        return 0;
}

static void hook_release(struct ward_oci_hook *h)
{
        for (size_t i = 0; h->argv && h->argv[i]; i++)
                free(h->argv[i]);
        for (size_t i = 0; h->envp && h->envp[i]; i++)
                free(h->envp[i]);
        free(h->argv);
        free(h->envp);
}

static int hook_fields(struct oci *x, const char *path, json_t *obj, struct ward_oci_hook *h)
{
        static const char *const keys[] = {"path", "args", "env", "timeout", NULL};
        json_t *args = json_object_get(obj, "args"), *env = json_object_get(obj, "env");
        json_t *timeout = json_object_get(obj, "timeout");
        const char *hook_path;
        char p[PATH_LEN];
        uint32_t t;
        int r;

        ward_json_path(p, sizeof(p), "%s.path", path);
        if ((r = oci_want(x, path, obj, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, path, obj, keys)) < 0)
                return r;
        if (!json_object_get(obj, "path"))
                return oci_bad(x, p, "missing");
        if ((r = oci_get_string(x, p, json_object_get(obj, "path"), &hook_path)) < 0 ||
            (r = oci_absolute(x, p, hook_path)) < 0)
                return r;
        h->path = (char *)hook_path;
        ward_json_path(p, sizeof(p), "%s.args", path);
        if (args && (r = hook_strings(x, p, args, &h->argv)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.env", path);
        if (env && (r = hook_strings(x, p, env, &h->envp)) < 0)
                return r;
        ward_json_path(p, sizeof(p), "%s.timeout", path);
        if (timeout && ((r = oci_get_u32(x, p, timeout, &t)) < 0 || t == 0 || t > 3600))
                return r < 0 ? r : oci_bad(x, p, "a timeout must be 1 to 3600 seconds");
        h->timeout_s = timeout ? t : WARD_OCI_HOOK_TIMEOUT_S;
        return 0;
}

/* One hook into list; argv defaults to { path }, env to empty. */
static int map_hook(struct oci *x, const char *path, json_t *obj, struct ward_oci_hook **list,
                    size_t *n)
{
        struct ward_oci_hook h = {0};
        int r = hook_fields(x, path, obj, &h);

        if (r >= 0) {
                char *argv0[2] = {h.path, NULL}, *no_env[1] = {NULL};
                struct ward_oci_hook use = h;
                if (!use.argv || !use.argv[0])
                        use.argv = argv0;
                if (!use.envp)
                        use.envp = no_env;
                ward_json_path(use.name, sizeof(use.name), "%s", path); /* cut to fit */
                if (oci_hooks_add(list, n, &use) < 0)
                        r = oci_nomem(x);
        }
        hook_release(&h);
        return r;
}

static int hooks_state(struct oci *x, json_t *annotations)
{
        struct ward_oci_hooks *h = x->c->oci_hooks;

        h->origin = x->o;
        if (!(h->bundle = strdup(x->dir)))
                return oci_nomem(x);
        if (annotations && !(h->annotations = json_dumps(annotations, JSON_COMPACT)))
                return oci_nomem(x);
        return 0;
}

static int map_hook_list(struct oci *x, const char *kind, json_t *arr)
{
        struct ward_oci_hooks *h = x->c->oci_hooks;
        bool post = strcmp(kind, "poststop") == 0;
        struct ward_json_elem el;
        char p[PATH_LEN];
        int r;

        ward_json_path(p, sizeof(p), "hooks.%s", kind);
        if ((r = oci_want(x, p, arr, JSON_ARRAY)) < 0)
                return r;
        ward_json_foreach(arr, p, &el)
        {
                if ((r = map_hook(x, el.path, el.v, post ? &h->poststop : &h->create,
                                  post ? &h->n_poststop : &h->n_create)) < 0)
                        return r;
        }
        return 0;
}

int oci_map_hooks(struct oci *x, json_t *hooks, json_t *annotations)
{
        static const char *const kinds[] = {
            "prestart",       "createRuntime", "poststop", "createContainer",
            "startContainer", "poststart",     NULL};
        char p[PATH_LEN];
        int r;

        if (!hooks)
                return 0;
        if ((r = oci_want(x, "hooks", hooks, JSON_OBJECT)) < 0 ||
            (r = oci_only_keys(x, "hooks", hooks, kinds)) < 0)
                return r;
        if (!(x->c->oci_hooks = calloc(1, sizeof(*x->c->oci_hooks))))
                return oci_nomem(x);
        if ((r = hooks_state(x, annotations)) < 0)
                return r;
        for (size_t i = 0; kinds[i]; i++) {
                json_t *arr = json_object_get(hooks, kinds[i]);
                if (!arr)
                        continue;
                if (i < 3) {
                        if ((r = map_hook_list(x, kinds[i], arr)) < 0)
                                return r;
                        continue;
                }
                ward_json_path(p, sizeof(p), "hooks.%s", kinds[i]);
                if ((r = oci_want(x, p, arr, JSON_ARRAY)) < 0)
                        return r;
                ward_json_path(p, sizeof(p), "hooks.%s[0]", kinds[i]);
                if (json_array_size(arr))
                        return oci_unsupported(x, p,
                                               "ward runs prestart, createRuntime and "
                                               "poststop hooks only");
        }
        return 0;
}
