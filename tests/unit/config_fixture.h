/* Unit-test fixture: a fresh struct ward_config per test, and a profile parsed from a string
 * as if it were the file "test.profile". Use setup/teardown as a checked fixture. */
#pragma once

#include <check.h>
#include <string.h>

#include "ward/config.h"
#include "ward/profile.h"

static struct ward_config c;
static struct ward_error e;

__attribute__((unused)) static void setup(void)
{
        memset(&e, 0, sizeof(e));
        ck_assert_int_eq(config_init(&c, &e), 0);
}

__attribute__((unused)) static void teardown(void)
{
        config_free(&c);
}

/* Parse text as the file "test.profile" on top of c; the result is the return value. */
__attribute__((unused)) static int load_text(const char *text)
{
        memset(&e, 0, sizeof(e));
        return profile_load_buffer(&c, text, strlen(text), "test.profile", &e);
}
