/* core_fail(): filling a struct core_err. */
#include "core/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

int
core_fail(struct core_err *err, enum core_error code, const char *fmt, ...)
{
    if (err) {
        va_list ap;

        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}
