/* The one table from a domain error (core/error.h) to an HTTP status and a
 * NeutronError type, and the NeutronError body every error response has:
 *   {"NeutronError": {"type": "<Type>", "message": "<text>", "detail": ""}}
 * Nothing else in l2gw decides which status a domain error gets. */
#ifndef L2GW_API_ERROR_H
#define L2GW_API_ERROR_H

#include <jansson.h>

#include "core/error.h"

struct api_error_row {
    int status;          /* HTTP status */
    const char *type;    /* NeutronError "type" */
    const char *message; /* used when the error carries no message */
};

/* The table's row of 'code' as written (all zero if the table lacks it), or
 * NULL for a value outside the enum.  Borrowed (static). */
const struct api_error_row *api_error_row(enum core_error code);

/* Status, type and default message to answer 'code' with: those of
 * CE_INTERNAL for CE_NONE or a code without a row. */
int api_error_status(enum core_error code);
const char *api_error_type(enum core_error code);
const char *api_error_default_message(enum core_error code);

/* Returns a new NeutronError object with 'type' and 'message' (an empty
 * message is allowed).  Caller frees with json_decref(); NULL only when out
 * of memory. */
json_t *api_error_body(const char *type, const char *message);

#endif
