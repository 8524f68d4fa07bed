/* Values as the OpenStack client prints them (Python notation).
 *
 * cliff puts str(value) in a table cell, where networking-l2gw's devices
 * and osc_lib's list-of-dict columns go through format_dict(): one object
 * per line as "key='value', ..." with sorted keys, nested objects as
 * "outer.inner='v'", null as "key=".  Strings print bare, integers in
 * decimal, reals as Python's repr(), booleans True/False, null None, and
 * lists and objects inside values in Python notation
 * ("[{'name': 'p1', 'segmentation_id': ['100']}]"). */
#ifndef L2GW_CLI_PYFMT_H
#define L2GW_CLI_PYFMT_H

#include <jansson.h>

/* The Python repr() of 'v' read as Python data ('text', 1, True, None,
 * [...], {...}).  Caller frees. */
char *pyfmt_repr(const json_t *v);

/* The table cell text of 'v' (NULL, a missing attribute: "").  A list of
 * objects is one format_dict() line per object, a list of scalars joined
 * with ", ", an object format_dict().  Caller frees. */
char *pyfmt_cell(const json_t *v);

/* The value/csv text of 'v' (cliff's machine_readable(), then str()):
 * strings as they are, other scalars as in a cell, lists and objects in
 * Python notation.  Caller frees. */
char *pyfmt_machine(const json_t *v);

#endif
