/* The prettytable layout of cliff's table formatter: see table.h. */
#include "cli/table.h"

#include <string.h>

/* Display width of 'n' bytes of UTF-8 (code points). */
static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;

    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            w++;
    return w;
}

static size_t cell_width(const char *s)
{
    size_t w = 0;

    while (s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        size_t lw = text_width(s, n);
        w = lw > w ? lw : w;
        s = nl ? nl + 1 : NULL;
    }
    return w;
}

static size_t line_count(const char *s)
{
    size_t n = 1;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void border(FILE *fp, const size_t *w, size_t ncols)
{
    fputc('+', fp);
    for (size_t c = 0; c < ncols; c++) {
        for (size_t i = 0; i < w[c] + 2; i++)
            fputc('-', fp);
        fputc('+', fp);
    }
    fputc('\n', fp);
}

/* Writes line 'line' of cell 's' padded to 'width'. */
static void cell_line(FILE *fp, const char *s, size_t line, size_t width,
                      bool right)
{
    size_t n;

    for (; line > 0 && s; line--) {
        s = strchr(s, '\n');
        s = s ? s + 1 : NULL;
    }
    if (!s)
        s = "";
    n = strchr(s, '\n') ? (size_t)(strchr(s, '\n') - s) : strlen(s);
    size_t pad = width - text_width(s, n);
    fprintf(fp, " %*s%.*s%*s |", right ? (int)pad : 0, "", (int)n, s,
            right ? 0 : (int)pad, "");
}

static void table_row(FILE *fp, const char *const *row, const size_t *w,
                      const bool *right, size_t ncols)
{
    size_t lines = 1;

    for (size_t c = 0; c < ncols; c++) {
        size_t l = line_count(row[c]);
        lines = l > lines ? l : lines;
    }
    for (size_t l = 0; l < lines; l++) {
        fputc('|', fp);
        for (size_t c = 0; c < ncols; c++)
            cell_line(fp, row[c], l, w[c], right[c]);
        fputc('\n', fp);
    }
}

void table_write(FILE *fp, const char *const *titles, const bool *right,
                 size_t ncols, const char *const *cells, size_t nrows)
{
    size_t w[TABLE_MAX_COLUMNS];

    if (nrows == 0 || ncols == 0 || ncols > TABLE_MAX_COLUMNS) {
        fputc('\n', fp);
        return;
    }
    for (size_t c = 0; c < ncols; c++) {
        w[c] = cell_width(titles[c]);
        for (size_t r = 0; r < nrows; r++) {
            size_t cw = cell_width(cells[r * ncols + c]);
            w[c] = cw > w[c] ? cw : w[c];
        }
    }
    border(fp, w, ncols);
    table_row(fp, titles, w, right, ncols);
    border(fp, w, ncols);
    for (size_t r = 0; r < nrows; r++)
        table_row(fp, cells + r * ncols, w, right, ncols);
    border(fp, w, ncols);
}
