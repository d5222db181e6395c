/* libFuzzer target: the INI profile reader (src/keys/profile.c), from text to a config. The file
 * name is in a directory that does not exist, so relative includes fail; Include=NAME
 * still reaches the shipped profiles through the search path. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ward/config.h"
#include "ward/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct ward_config c;
        struct ward_error e;

        memset(&e, 0, sizeof(e));
        if (config_init(&c, &e) == 0)
                profile_load_buffer(&c, (const char *)data, size, "/nonexistent/fuzz.profile", &e);
        config_free(&c);
        return 0;
}
