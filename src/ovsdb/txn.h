/* Builder for RFC 7047 "transact" requests (section 5.2) and parser for
 * their replies (section 4.1.3).
 *
 * A txn collects operations; txn_params() gives the params array
 * [<db-name>, <operation>*] to send with session_transact().  The reply's
 * "result" then goes to txn_result_parse(), which reports per operation:
 * the UUID of each insert (also by its uuid-name), counts, selected rows,
 * and the first failure with its index, "error" and "details".  When every
 * operation succeeded but the commit failed (e.g. an index or
 * referential-integrity violation), the server appends one more result
 * element holding the error; its index is then txn_n_ops(). */
#ifndef L2GW_OVSDB_TXN_H
#define L2GW_OVSDB_TXN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Hard limit of operations in one transaction (the switch manager splits
 * large work far below this). */
#define TXN_MAX_OPS 100000

struct txn;
struct txn_result;

/* Creates an empty transaction on 'database'.  Caller frees with
 * txn_destroy().  NULL when out of memory. */
struct txn *txn_create(const char *database);
void txn_destroy(struct txn *txn);

size_t txn_n_ops(const struct txn *txn);

/* Operations.  Each takes ownership of its json_t arguments (also on
 * failure) and returns the new operation's index (>= 0), or a negative
 * errno: -EINVAL for a bad argument, -EEXIST for a uuid-name used twice,
 * -E2BIG over TXN_MAX_OPS, -ENOMEM.  'where' is an array of conditions
 * (see txn_cond()); NULL means [] (every row). */

/* "insert" of 'row' (a JSON object of column values) into 'table', with
 * 'uuid_name' (an <id>, or NULL) to refer to the new row as
 * ["named-uuid", uuid_name] from other operations of the transaction. */
int txn_insert(struct txn *txn, const char *table, json_t *row,
               const char *uuid_name);
int txn_update(struct txn *txn, const char *table, json_t *where,
               json_t *row);
/* 'mutations' is an array of txn_mutation() values. */
int txn_mutate(struct txn *txn, const char *table, json_t *where,
               json_t *mutations);
int txn_delete(struct txn *txn, const char *table, json_t *where);
/* 'columns' is an array of column names, or NULL for all. */
int txn_select(struct txn *txn, const char *table, json_t *where,
               json_t *columns);
/* "wait" until the rows matching 'where' projected on 'columns' are
 * ('until' "==") or are not ("!=") exactly 'rows'; 'timeout_ms' < 0 means
 * no timeout. */
int txn_wait(struct txn *txn, const char *table, json_t *where,
             json_t *columns, const char *until, json_t *rows,
             long long timeout_ms);
int txn_comment(struct txn *txn, const char *comment);
int txn_commit(struct txn *txn, bool durable);

/* Appends a ready-made operation object (taken). */
int txn_add_op(struct txn *txn, json_t *op);

/* The operation name ("insert", ...) and table of operation 'i', or NULL. */
const char *txn_op_name(const struct txn *txn, size_t i);
const char *txn_op_table(const struct txn *txn, size_t i);

/* The uuid-name of insert 'i', or NULL. */
const char *txn_op_uuid_name(const struct txn *txn, size_t i);

/* [database, op...]: a new reference (caller json_decref()s). */
json_t *txn_params(const struct txn *txn);

/* ---- Conditions and mutations: each returns a new value (caller owns)
 * or NULL; each takes ownership of 'value'. ---- */

/* [column, function, value]; function is one of ==, !=, <, <=, >, >=,
 * includes, excludes. */
json_t *txn_cond(const char *column, const char *function, json_t *value);

/* [["_uuid", "==", ["uuid", uuid]]]; NULL if 'uuid' is not a UUID. */
json_t *txn_where_uuid(const char *uuid);

/* [column, mutator, value]; mutator is one of +=, -=, *=, /=, %=, insert,
 * delete. */
json_t *txn_mutation(const char *column, const char *mutator, json_t *value);

/* ---- Replies ---- */

/* Parses the reply to the transaction: 'result' is the reply's "result"
 * (an array) and 'rpc_error' its "error" (NULL or JSON null when none);
 * both borrowed.  Stores a new result in '*out' (caller frees with
 * txn_result_destroy()) and returns 0, or -EPROTO if 'result' is not an
 * array of objects and nulls (then '*out' still describes the problem). */
int txn_result_parse(const struct txn *txn, const json_t *result,
                     const json_t *rpc_error, struct txn_result **out);
void txn_result_destroy(struct txn_result *res);

/* True if every operation and the commit succeeded. */
bool txn_result_ok(const struct txn_result *res);

/* Index of the failed operation; txn_n_ops() for a commit failure; -1 for
 * a JSON-RPC level error or a malformed reply; meaningless when ok. */
long long txn_result_failed_op(const struct txn_result *res);

/* The failure's "error" and "details" (borrowed from 'res'; "" if none). */
const char *txn_result_error(const struct txn_result *res);
const char *txn_result_details(const struct txn_result *res);

/* The UUID of the row inserted by operation 'op', or by the insert whose
 * uuid-name is 'name'; NULL if none. */
const char *txn_result_insert_uuid(const struct txn_result *res, size_t op);
const char *txn_result_uuid_for_name(const struct txn_result *res,
                                     const char *name);

/* "count" of an update, mutate or delete; -1 if none. */
long long txn_result_count(const struct txn_result *res, size_t op);

/* "rows" of a select (borrowed), or NULL. */
const json_t *txn_result_rows(const struct txn_result *res, size_t op);

/* The result element of operation 'op' (borrowed; NULL when the server
 * did not execute it). */
const json_t *txn_result_op(const struct txn_result *res, size_t op);

#endif
