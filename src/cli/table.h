/* The table layout of the OpenStack client (cliff over prettytable):
 * +---+ borders, one space of padding, a title row, cells that span
 * several lines, columns as wide as their widest line (no wrapping, as
 * cliff without --max-width). */
#ifndef L2GW_CLI_TABLE_H
#define L2GW_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Widest table written, in columns. */
#define TABLE_MAX_COLUMNS 256

/* Writes a table of 'nrows' rows of 'ncols' cells ('cells' row-major, all
 * borrowed; a cell may hold '\n' for more lines) to 'fp'; right[i]
 * right-aligns column i and its title, the others are left-aligned.  No
 * rows (or more than TABLE_MAX_COLUMNS columns): only a newline, as cliff
 * prints an empty list. */
void table_write(FILE *fp, const char *const *titles, const bool *right,
                 size_t ncols, const char *const *cells, size_t nrows);

#endif
