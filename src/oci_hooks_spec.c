/* A bundle's hooks as settings (oci_hooks_spec.h): copied in, freed with the config. */
#include "ward/oci_hooks_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ward/util.h"

static char **copy_strings(char *const *list)
{
        size_t n = 0;
        char **copy;

        while (list && list[n])
                n++;
        if (!(copy = calloc(n + 1, sizeof(*copy))))
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (!(copy[i] = strdup(list[i]))) {
                        while (i--)
                                free(copy[i]);
                        free(copy);
                        return NULL;
                }
        return copy;
}

static void free_strings(char **list)
{
        for (size_t i = 0; list && list[i]; i++)
                free(list[i]);
        free(list);
}

static void free_hook(struct ward_oci_hook *h)
{
        free(h->path);
        free_strings(h->argv);
        free_strings(h->envp);
}

int oci_hooks_add(struct ward_oci_hook **list, size_t *n, const struct ward_oci_hook *h)
{
        struct ward_oci_hook *grown = ward_grow(*list, *n, sizeof(*grown)), copy = *h;

        if (!grown)
                return -ENOMEM;
        *list = grown;
        copy.path = strdup(h->path);
        copy.argv = copy_strings(h->argv);
        copy.envp = copy_strings(h->envp);
        if (!copy.path || !copy.argv || !copy.envp) {
                free_hook(&copy);
                return -ENOMEM;
        }
        grown[(*n)++] = copy;
        return 0;
}

void oci_hooks_free(struct ward_oci_hooks *h)
{
        if (!h)
                return;
        for (size_t i = 0; i < h->n_create; i++)
                free_hook(&h->create[i]);
        for (size_t i = 0; i < h->n_poststop; i++)
                free_hook(&h->poststop[i]);
        free(h->create);
        free(h->poststop);
        free(h->bundle);
        free(h->annotations);
        free(h);
}
