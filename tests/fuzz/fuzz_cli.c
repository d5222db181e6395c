/* libFuzzer target: the command line (src/cmd/cli.c cli_parse), profiles and flags together.
 * The input is the argument vector after "ward", arguments separated by NUL bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward/cli.h"
#include "ward/config.h"

enum { MAX_ARGS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
        int argc = 0;
        struct ward_config c;
        struct ward_error e;
        struct ward_cli cli;

        if (!copy)
                return 0;
        memcpy(copy, data, size);
        copy[size] = '\0';
        argv[argc++] = "ward";
        for (char *p = copy; p <= copy + size && argc <= MAX_ARGS; p += strlen(p) + 1)
                argv[argc++] = p;
        argv[argc] = NULL;
        memset(&e, 0, sizeof(e));
        memset(&cli, 0, sizeof(cli));
        if (config_init(&c, &e) == 0)
                cli_parse(argc, argv, &cli, &c, &e);
        config_free(&c);
        free(copy);
        return 0;
}
