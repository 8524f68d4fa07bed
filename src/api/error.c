/* The table from enum core_error to HTTP status and NeutronError type.
 * Types are Neutron's (neutron-lib, networking-l2gw) where one exists, and
 * l2gw's own names, in the same style, for what Neutron does not have. */
#include "api/error.h"

#include <stddef.h>

#define ROW(CODE, STATUS, TYPE, MSG) [CODE] = {STATUS, TYPE, MSG}

static const struct api_error_row rows[CE__COUNT] = {
    ROW(CE_NONE, 500, "HTTPInternalServerError",
        "Request Failed: internal server error while processing your "
        "request."),
    ROW(CE_BAD_REQUEST, 400, "HTTPBadRequest", "Bad request."),
    ROW(CE_INVALID_INPUT, 400, "InvalidInput", "Invalid input."),
    ROW(CE_UNAUTHORIZED, 401, "HTTPUnauthorized", "Authentication required"),
    ROW(CE_ADMIN_REQUIRED, 403, "AdminRequired",
        "User does not have admin privileges."),
    ROW(CE_FORBIDDEN, 403, "HTTPForbidden", "Access was denied to this "
        "resource."),
    ROW(CE_NOT_FOUND, 404, "HTTPNotFound", "The resource could not be found."),
    ROW(CE_NETWORK_NOT_FOUND, 404, "NetworkNotFound", "Network not found."),
    ROW(CE_PORT_NOT_FOUND, 404, "PortNotFound", "Port not found."),
    ROW(CE_HOST_NOT_FOUND, 404, "HostNotFound", "Host not found."),
    ROW(CE_GATEWAY_NOT_FOUND, 404, "L2GatewayNotFound",
        "L2 Gateway could not be found"),
    ROW(CE_CONNECTION_NOT_FOUND, 404, "L2GatewayConnectionNotFound",
        "The connection not found on the l2 gateway"),
    ROW(CE_DEVICE_NOT_FOUND, 404, "L2GatewayDeviceNotFound",
        "L2 Gateway Device could not be found."),
    ROW(CE_INTERFACE_NOT_FOUND, 404, "L2GatewayInterfaceNotFound",
        "L2 Gateway interface not found."),
    ROW(CE_VXLAN_SEGID_NOT_FOUND, 404, "VxlanSegmentationIDNotFound",
        "vxlan segmentation id not found for the network"),
    ROW(CE_SWITCH_NOT_FOUND, 404, "L2SwitchNotFound", "Switch not found."),
    ROW(CE_LEARNED_MAC_NOT_FOUND, 404, "L2LearnedMacNotFound",
        "Learned MAC not found."),
    ROW(CE_EXTENSION_NOT_FOUND, 404, "HTTPNotFound",
        "The resource could not be found."),
    ROW(CE_REMOTE_GATEWAY_NOT_FOUND, 404, "L2RemoteGatewayNotFound",
        "Remote gateway not found."),
    ROW(CE_REMOTE_CONNECTION_NOT_FOUND, 404,
        "L2RemoteGatewayConnectionNotFound",
        "Remote gateway connection not found."),
    ROW(CE_REMOTE_MAC_NOT_FOUND, 404, "L2RemoteMacNotFound",
        "Remote MAC not found."),
    ROW(CE_METHOD_NOT_ALLOWED, 405, "HTTPMethodNotAllowed",
        "The method is not allowed for this resource."),
    ROW(CE_GONE, 410, "HTTPGone", "The resource is gone."),
    ROW(CE_TOO_LARGE, 413, "HTTPRequestEntityTooLarge",
        "Request body too large."),
    ROW(CE_CONFLICT, 409, "HTTPConflict", "Conflict."),
    ROW(CE_SEGMENTATION_REQUIRED, 409, "L2GatewaySegmentationRequired",
        "L2 gateway segmentation id must be consistent for all the "
        "interfaces"),
    ROW(CE_SEGID_EXISTS, 409, "L2GatewaySegmentationIDExists",
        "The segmentation id is already specified in existing gateway "
        "interfaces."),
    ROW(CE_SEGID_NOT_EXISTS, 409, "L2GatewaySegmentationIDNotExists",
        "The segmentation id is not specified in existing gateway "
        "interfaces."),
    ROW(CE_GATEWAY_IN_USE, 409, "L2GatewayInUse",
        "L2 Gateway still has active mappings with one or more neutron "
        "networks."),
    ROW(CE_CONNECTION_EXISTS, 409, "L2GatewayConnectionExists",
        "The specified mapping exists on network gateway."),
    ROW(CE_SWITCH_FAULT, 409, "L2GatewayPhysicalSwitchFaultStatus",
        "Physical Switch reports a fault."),
    ROW(CE_PORT_FAULT, 409, "L2GatewayPhysicalPortFaultStatus",
        "Physical Port reports a fault."),
    ROW(CE_DUPLICATE_SEGID, 409, "L2GatewayDuplicateSegmentationID",
        "The segmentation id is already bound."),
    ROW(CE_DEVICE_AMBIGUOUS, 409, "L2GatewayDeviceAmbiguous",
        "The device name is reported by more than one switch database."),
    ROW(CE_VNI_IN_USE, 409, "L2GatewayVniInUse",
        "The VNI is already used on the switch."),
    ROW(CE_OVER_QUOTA, 409, "OverQuota", "Quota exceeded for resources."),
    ROW(CE_NETWORK_IN_USE, 409, "NetworkInUse",
        "Unable to complete operation on network. There are one or more "
        "ports still in use on the network."),
    ROW(CE_MAC_IN_USE, 409, "MacAddressInUse",
        "The MAC address is in use on the network."),
    ROW(CE_SWITCH_IN_USE, 409, "L2SwitchInUse",
        "The switch is still used by one or more connections."),
    /* neutron-lib's exception for a VXLAN VNI already taken by another
     * network ("Unable to create the network. The tunnel ID %s is in
     * use."). */
    ROW(CE_VNI_TAKEN, 409, "TunnelIdInUse",
        "Unable to create the network. The tunnel ID is in use."),
    /* ResourceExhausted → ServiceUnavailable in Neutron's fault map. */
    ROW(CE_NO_VNI_AVAILABLE, 503, "NoNetworkAvailable",
        "Unable to create the network. No tenant network is available for "
        "allocation."),
    ROW(CE_REMOTE_UNSUPPORTED, 409, "L2RemoteGatewayUnsupported",
        "The switch does not support per-locator tunnel keys."),
    ROW(CE_REMOTE_SEGID_IN_USE, 409, "L2RemoteGatewaySegmentationIdInUse",
        "The segmentation id is already in use on the switch."),
    ROW(CE_REMOTE_GATEWAY_IN_USE, 409, "L2RemoteGatewayInUse",
        "The remote gateway still has connections."),
    ROW(CE_REMOTE_CONNECTION_EXISTS, 409, "L2RemoteGatewayConnectionExists",
        "The remote gateway connection exists."),
    ROW(CE_REMOTE_MAC_EXISTS, 409, "L2RemoteMacExists",
        "The remote MAC exists."),
    ROW(CE_INTERNAL, 500, "HTTPInternalServerError",
        "Request Failed: internal server error while processing your "
        "request."),
    ROW(CE_UNAVAILABLE, 503, "HTTPServiceUnavailable",
        "The service is unavailable."),
};

const struct api_error_row *
api_error_row(enum core_error code)
{
    if ((int)code < CE_NONE || code >= CE__COUNT) {
        return NULL;
    }
    return &rows[code];
}

/* The row to answer with: CE_INTERNAL's for CE_NONE, an unknown code, or a
 * code the table lacks (the unit test makes sure there is none). */
static const struct api_error_row *
answer_row(enum core_error code)
{
    const struct api_error_row *row = api_error_row(code);

    if (!row || code == CE_NONE || !row->type) {
        return &rows[CE_INTERNAL];
    }
    return row;
}

int
api_error_status(enum core_error code)
{
    return answer_row(code)->status;
}

const char *
api_error_type(enum core_error code)
{
    return answer_row(code)->type;
}

const char *
api_error_default_message(enum core_error code)
{
    return answer_row(code)->message;
}

json_t *
api_error_body(const char *type, const char *message)
{
    return json_pack("{s:{s:s, s:s, s:s}}", "NeutronError", "type", type,
                     "message", message ? message : "", "detail", "");
}
