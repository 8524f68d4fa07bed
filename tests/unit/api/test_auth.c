/* Unit tests of api/auth.c: noauth headers and the token file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/auth.h"
#include "api/http.h"
#include "core/error.h"
#include "lib/config.h"

/* Identifies a request carrying 'headers' (JSON object text). */
static int
identify(struct auth *a, const char *headers, struct api_caller *caller,
         struct core_err *err)
{
    json_t *h = json_loads(headers, 0, NULL);
    struct http_request req = {.method = "GET", .path = "/", .headers = h};

    assert_non_null(h);
    memset(caller, 0, sizeof *caller);
    memset(err, 0, sizeof *err);
    int rc = auth_identify(a, &req, caller, err);
    json_decref(h);
    return rc;
}

static void
test_roles(void **state)
{
    assert_true(auth_roles_admin("admin"));
    assert_true(auth_roles_admin("member, Admin "));
    assert_true(auth_roles_admin("reader,ADMIN"));
    assert_false(auth_roles_admin("member"));
    assert_false(auth_roles_admin("administrator,xadmin"));
    assert_false(auth_roles_admin(""));
    assert_false(auth_roles_admin(NULL));
}

static void
test_noauth(void **state)
{
    struct config cfg;
    struct auth *a;
    struct api_caller c;
    struct core_err err;

    config_init(&cfg);
    cfg.auth_strategy = CONFIG_AUTH_NOAUTH;
    assert_int_equal(auth_create(&cfg, &a), 0);

    assert_int_equal(identify(a, "{}", &c, &err), 0);
    assert_string_equal(c.project_id, "admin");
    assert_true(c.is_admin);

    assert_int_equal(identify(a, "{\"x-project-id\": \"p1\", \"X-Roles\": "
                                 "\"member\"}", &c, &err), 0);
    assert_string_equal(c.project_id, "p1");
    assert_false(c.is_admin);

    assert_int_equal(identify(a, "{\"X-Tenant-Id\": \"t1\", \"X-Roles\": "
                                 "\"member,admin\"}", &c, &err), 0);
    assert_string_equal(c.project_id, "t1");
    assert_true(c.is_admin);

    char big[400];
    memset(big, 'x', 300);
    strcpy(big + 300, "\"}");
    char headers[500];
    snprintf(headers, sizeof headers, "{\"X-Project-Id\": \"%s", big);
    assert_int_equal(identify(a, headers, &c, &err), -EACCES);
    assert_int_equal(err.code, CE_BAD_REQUEST);

    /* Control characters and bad UTF-8 are no project. */
    assert_int_equal(identify(a, "{\"X-Project-Id\": \"a\\u0001b\"}", &c,
                              &err), -EACCES);
    assert_int_equal(err.code, CE_BAD_REQUEST);
    json_t *h = json_object();
    json_object_set_new(h, "X-Project-Id", json_stringn_nocheck("a\xff", 2));
    struct http_request req = {.method = "GET", .path = "/", .headers = h};
    assert_int_equal(auth_identify(a, &req, &c, &err), -EACCES);
    json_decref(h);

    auth_destroy(a);
    config_destroy(&cfg);
}

static void
write_file(const char *path, const char *text, time_t mtime)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void
test_token(void **state)
{
    char path[] = "/tmp/l2gw-test-tokens-XXXXXX";
    int fd = mkstemp(path);
    struct config cfg;
    struct auth *a;
    struct api_caller c;
    struct core_err err;

    assert_true(fd >= 0);
    close(fd);
    write_file(path, "# tokens\nt1 p1 admin\n\n  t2\tp2 member,reader # x\n"
                     "broken\nt4 p4\n", 1000000);
    config_init(&cfg);
    cfg.auth_strategy = CONFIG_AUTH_TOKEN;
    cfg.auth_token_file = strdup(path);
    assert_int_equal(auth_create(&cfg, &a), 0);

    assert_int_equal(identify(a, "{\"X-Auth-Token\": \"t1\"}", &c, &err), 0);
    assert_string_equal(c.project_id, "p1");
    assert_true(c.is_admin);
    assert_int_equal(identify(a, "{\"X-Auth-Token\": \"t2\"}", &c, &err), 0);
    assert_string_equal(c.project_id, "p2");
    assert_false(c.is_admin);
    assert_int_equal(identify(a, "{\"X-Auth-Token\": \"t4\"}", &c, &err), 0);
    assert_false(c.is_admin);

    /* Missing, empty, unknown or partial tokens: 401. */
    const char *bad[] = {"{}", "{\"X-Auth-Token\": \"\"}",
                         "{\"X-Auth-Token\": \"t3\"}",
                         "{\"X-Auth-Token\": \"t\"}",
                         "{\"X-Auth-Token\": \"t11\"}",
                         "{\"X-Auth-Token\": \"broken\"}",
                         "{\"X-Project-Id\": \"p1\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(identify(a, bad[i], &c, &err), -EACCES);
        assert_int_equal(err.code, CE_UNAUTHORIZED);
        assert_string_equal(err.msg, "Authentication required");
    }

    /* A changed file is read again. */
    write_file(path, "t3 p3 admin\n", 2000000);
    assert_int_equal(identify(a, "{\"X-Auth-Token\": \"t3\"}", &c, &err), 0);
    assert_string_equal(c.project_id, "p3");
    assert_int_equal(identify(a, "{\"X-Auth-Token\": \"t1\"}", &c, &err),
                     -EACCES);

    /* A removed file lets nobody in. */
    unlink(path);
    assert_int_equal(identify(a, "{\"X-Auth-Token\": \"t3\"}", &c, &err),
                     -EACCES);
    auth_destroy(a);

    /* And the daemon does not start without it. */
    assert_int_not_equal(auth_create(&cfg, &a), 0);
    config_destroy(&cfg);
}

static void
test_refused_strategies(void **state)
{
    struct config cfg;
    struct auth *a = NULL;

    config_init(&cfg);
    cfg.auth_strategy = CONFIG_AUTH_KEYSTONE;
    assert_int_equal(auth_create(&cfg, &a), -ENOTSUP);
    cfg.auth_strategy = CONFIG_AUTH_TOKEN;
    assert_int_equal(auth_create(&cfg, &a), -EINVAL);  /* no token file */
    assert_null(a);
    config_destroy(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_noauth),
        cmocka_unit_test(test_token),
        cmocka_unit_test(test_refused_strategies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
