/* libFuzzer target for the client's --device parser (src/cli/device.c).
 *
 * Invariants checked beyond "no crash, no leak": a refusal always has a
 * message; an accepted spec gives a device with a non-empty name and at
 * least one interface, each with a non-empty name and, when it has
 * VLANs, only decimal strings within 0..DEVICE_VLAN_MAX. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_interface(const json_t *iface)
{
    const json_t *vlans = json_object_get(iface, "segmentation_id");
    const json_t *v;
    size_t i;

    if (json_string_length(json_object_get(iface, "name")) == 0)
        abort();
    json_array_foreach (vlans, i, v) {
        const char *s = json_string_value(v);
        if (!s || !*s || strspn(s, "0123456789") != strlen(s) ||
            strtol(s, NULL, 10) > DEVICE_VLAN_MAX)
            abort();
    }
    if (vlans && json_array_size(vlans) == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = malloc(size + 1), err[512] = "";
    json_t *dev, *ifs, *iface;
    size_t i;

    memcpy(spec, data, size);
    spec[size] = '\0';
    dev = device_parse(spec, err, sizeof err);
    if (!dev) {
        if (!err[0])
            abort();
    } else {
        ifs = json_object_get(dev, "interfaces");
        if (json_string_length(json_object_get(dev, "device_name")) == 0 ||
            json_array_size(ifs) == 0)
            abort();
        json_array_foreach (ifs, i, iface)
            check_interface(iface);
    }
    json_decref(dev);
    free(spec);
    return 0;
}
