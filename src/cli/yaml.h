/* JSON values as block-style YAML, the way PyYAML's safe_dump writes them
 * (lists under a key not indented, keys in the object's order): strings
 * plain when YAML reads them back as the same string, else single-quoted,
 * or double-quoted with escapes when they hold control characters. */
#ifndef L2GW_CLI_YAML_H
#define L2GW_CLI_YAML_H

#include <jansson.h>
#include <stdio.h>

/* Writes 'v' and a final newline to 'fp'. */
void yaml_write(FILE *fp, const json_t *v);

#endif
