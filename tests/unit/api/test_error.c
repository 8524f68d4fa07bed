/* Unit tests of api/error.c: the domain error table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/error.h"

/* Every domain error has a row with a status and a type. */
static void
test_every_code_has_a_row(void **state)
{
    for (int c = CE_NONE + 1; c < CE__COUNT; c++) {
        const struct api_error_row *row = api_error_row(c);
        assert_non_null(row);
        if (!row->status || !row->type || !row->message) {
            fail_msg("enum core_error %d has no row in api/error.c", c);
        }
        assert_in_range(row->status, 400, 599);
    }
}

static void
test_known_rows(void **state)
{
    assert_int_equal(api_error_status(CE_BAD_REQUEST), 400);
    assert_string_equal(api_error_type(CE_BAD_REQUEST), "HTTPBadRequest");
    assert_int_equal(api_error_status(CE_ADMIN_REQUIRED), 403);
    assert_string_equal(api_error_type(CE_ADMIN_REQUIRED), "AdminRequired");
    assert_int_equal(api_error_status(CE_GATEWAY_NOT_FOUND), 404);
    assert_string_equal(api_error_type(CE_GATEWAY_NOT_FOUND),
                        "L2GatewayNotFound");
    assert_int_equal(api_error_status(CE_GATEWAY_IN_USE), 409);
    assert_int_equal(api_error_status(CE_TOO_LARGE), 413);
    assert_string_equal(api_error_type(CE_TOO_LARGE),
                        "HTTPRequestEntityTooLarge");
    assert_int_equal(api_error_status(CE_METHOD_NOT_ALLOWED), 405);
    assert_string_equal(api_error_type(CE_VNI_TAKEN), "TunnelIdInUse");
    assert_int_equal(api_error_status(CE_UNAUTHORIZED), 401);
}

/* CE_NONE and values outside the enum answer as an internal error. */
static void
test_fallback(void **state)
{
    assert_int_equal(api_error_status(CE_NONE), 500);
    assert_string_equal(api_error_type(CE_NONE), "HTTPInternalServerError");
    assert_int_equal(api_error_status((enum core_error)CE__COUNT), 500);
    assert_int_equal(api_error_status((enum core_error)-1), 500);
    assert_null(api_error_row((enum core_error)CE__COUNT));
    assert_string_equal(api_error_default_message(CE_INTERNAL),
                        "Request Failed: internal server error while "
                        "processing your request.");
}

static void
test_body(void **state)
{
    json_t *b = api_error_body("HTTPNotFound", "gone");
    char *s = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);

    assert_string_equal(s, "{\"NeutronError\":{\"detail\":\"\",\"message\":"
                           "\"gone\",\"type\":\"HTTPNotFound\"}}");
    free(s);
    json_decref(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_has_a_row),
        cmocka_unit_test(test_known_rows),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
