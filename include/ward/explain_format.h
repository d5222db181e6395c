/* Values as a profile would write them, for `ward explain`'s settings and its steps. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "ward/config.h"

/* "64M" when it divides evenly, else bytes. */
void explain_format_size(uint64_t bytes, char *buf, size_t len);

/* "10s", else "1500ms". */
void explain_format_duration(uint64_t ms, char *buf, size_t len);

/* "infinity", "64M" for byte limits, else the number. */
void explain_format_rlim(int res, rlim_t v, char *buf, size_t len);

/* "/tmp size=64M mode=1777 noexec", "SRC DST ro", "/dev/mqueue". */
void explain_format_mount(const struct ward_mount *m, char *buf, size_t len);
