/* Unit tests of cluster/lease: the even spread of switch databases. */
#include "cluster/lease.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define MAXR 16

static struct lease_row rows[MAXR];
static enum lease_action act[MAXR];
static const char *names[MAXR] = {"db0", "db1", "db2", "db3", "db4", "db5",
                                  "db6", "db7", "db8", "db9", "dba", "dbb",
                                  "dbc", "dbd", "dbe", "dbf"};

/* n rows, all servable, owners from 'owners' (NULL: free). */
static void setup_rows(size_t n, const char *const *owners)
{
    for (size_t i = 0; i < n; i++) {
        rows[i] = (struct lease_row){names[i], owners ? owners[i] : NULL,
                                     !owners || !owners[i], true};
    }
}

static size_t count(size_t n, enum lease_action a)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k += act[i] == a;
    }
    return k;
}

static void test_single_node_takes_all(void **state)
{
    const char *live[] = {"a"};
    setup_rows(5, NULL);
    assert_int_equal(lease_decide("a", live, 1, rows, 5, act), 5);
    assert_int_equal(count(5, LEASE_CLAIM), 5);
}

/* 3 nodes over 7 dbs: shares 3, 2, 2 by rank. */
static void test_shares_by_rank(void **state)
{
    const char *live[] = {"a", "b", "c"};
    setup_rows(7, NULL);
    assert_int_equal(lease_decide("a", live, 3, rows, 7, act), 3);
    assert_int_equal(count(7, LEASE_CLAIM), 3);
    assert_int_equal(lease_decide("b", live, 3, rows, 7, act), 2);
    assert_int_equal(lease_decide("c", live, 3, rows, 7, act), 2);
}

/* A node holding everything releases its surplus, the last by name. */
static void test_release_surplus(void **state)
{
    const char *live[] = {"a", "b"};
    const char *owners[] = {"a", "a", "a", "a"};
    setup_rows(4, owners);
    assert_int_equal(lease_decide("a", live, 2, rows, 4, act), 2);
    assert_int_equal(act[0], LEASE_KEEP);
    assert_int_equal(act[1], LEASE_KEEP);
    assert_int_equal(act[2], LEASE_RELEASE);
    assert_int_equal(act[3], LEASE_RELEASE);
    /* b takes nothing while they are held... */
    assert_int_equal(lease_decide("b", live, 2, rows, 4, act), 2);
    assert_int_equal(count(4, LEASE_CLAIM), 0);
    /* ...and the freed ones once a releases them. */
    rows[2].node = rows[3].node = NULL;
    rows[2].expired = rows[3].expired = true;
    lease_decide("b", live, 2, rows, 4, act);
    assert_int_equal(act[2], LEASE_CLAIM);
    assert_int_equal(act[3], LEASE_CLAIM);
}

/* The leases of a dead node expire; the survivors claim them. */
static void test_takeover_of_expired(void **state)
{
    const char *live[] = {"a", "c"};
    const char *owners[] = {"a", "b", "c", "b"};
    setup_rows(4, owners);
    rows[1].expired = rows[3].expired = true; /* b died */
    lease_decide("a", live, 2, rows, 4, act);
    assert_int_equal(act[0], LEASE_KEEP);
    assert_int_equal(act[1], LEASE_CLAIM);
    assert_int_equal(count(4, LEASE_CLAIM), 1);
    rows[1].node = "a";
    rows[1].expired = false;
    lease_decide("c", live, 2, rows, 4, act);
    assert_int_equal(act[2], LEASE_KEEP);
    assert_int_equal(act[3], LEASE_CLAIM);
}

/* A database this node cannot serve is neither claimed nor kept. */
static void test_unservable(void **state)
{
    const char *live[] = {"a"};
    const char *owners[] = {"a", NULL};
    setup_rows(2, owners);
    rows[0].servable = false;
    rows[1].servable = false;
    lease_decide("a", live, 1, rows, 2, act);
    assert_int_equal(act[0], LEASE_RELEASE);
    assert_int_equal(act[1], LEASE_NONE);
}

/* Our own lease that expired (we lost the database for a while) and that
 * nobody took is claimed again; one another node took stays theirs. */
static void test_own_expired(void **state)
{
    const char *live[] = {"a", "b"};
    const char *owners[] = {"a", "b"};
    setup_rows(2, owners);
    rows[0].expired = true;
    lease_decide("a", live, 2, rows, 2, act);
    assert_int_equal(act[0], LEASE_CLAIM);
    assert_int_equal(act[1], LEASE_NONE);
}

/* Simulates rounds of every node deciding over the shared table until
 * nothing changes: every db ends up with exactly one owner, evenly. */
static void test_converges(void **state)
{
    const char *live[] = {"a", "b", "c"};
    const char *owners[MAXR] = {0};
    size_t n = 11;

    for (size_t i = 0; i < n; i++) {
        owners[i] = "a"; /* a started first */
    }
    setup_rows(n, owners);
    for (int round = 0; round < 6; round++) {
        for (size_t k = 0; k < 3; k++) {
            lease_decide(live[k], live, 3, rows, n, act);
            for (size_t i = 0; i < n; i++) {
                if (act[i] == LEASE_CLAIM) {
                    rows[i].node = live[k];
                    rows[i].expired = false;
                } else if (act[i] == LEASE_RELEASE) {
                    rows[i].node = NULL;
                    rows[i].expired = true;
                }
            }
        }
    }
    size_t per[3] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_non_null(rows[i].node);
        for (size_t k = 0; k < 3; k++) {
            per[k] += !strcmp(rows[i].node, live[k]);
        }
    }
    assert_int_equal(per[0], 4);
    assert_int_equal(per[1], 4);
    assert_int_equal(per[2], 3);
}

/* A node not (yet) in the live list takes nothing new. */
static void test_not_live(void **state)
{
    const char *live[] = {"a"};
    setup_rows(3, NULL);
    assert_int_equal(lease_decide("z", live, 1, rows, 3, act), 0);
    assert_int_equal(count(3, LEASE_CLAIM), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_node_takes_all),
        cmocka_unit_test(test_shares_by_rank),
        cmocka_unit_test(test_release_surplus),
        cmocka_unit_test(test_takeover_of_expired),
        cmocka_unit_test(test_unservable),
        cmocka_unit_test(test_own_expired),
        cmocka_unit_test(test_converges),
        cmocka_unit_test(test_not_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
