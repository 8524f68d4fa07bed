/* Domain errors.  Core functions return 0 or a negative errno; when the
 * failure is a domain rule (bad input, not found, conflict) they also fill a
 * struct core_err with a code from this enum and the exact message of
 * api.md.  The API maps each code to an HTTP status and a NeutronError type
 * in one table (api/error.c); nothing else does. */
#ifndef L2GW_CORE_ERROR_H
#define L2GW_CORE_ERROR_H

enum core_error {
    CE_NONE = 0,
    /* 400 */
    CE_BAD_REQUEST,                 /* HTTPBadRequest */
    CE_INVALID_INPUT,               /* InvalidInput */
    /* 401/403 */
    CE_UNAUTHORIZED,                /* HTTPUnauthorized */
    CE_ADMIN_REQUIRED,              /* AdminRequired */
    CE_FORBIDDEN,                   /* HTTPForbidden */
    /* 404 */
    CE_NOT_FOUND,                   /* HTTPNotFound (unknown URL) */
    CE_NETWORK_NOT_FOUND,           /* NetworkNotFound */
    CE_PORT_NOT_FOUND,              /* PortNotFound */
    CE_HOST_NOT_FOUND,              /* HostNotFound */
    CE_GATEWAY_NOT_FOUND,           /* L2GatewayNotFound */
    CE_CONNECTION_NOT_FOUND,        /* L2GatewayConnectionNotFound */
    CE_DEVICE_NOT_FOUND,            /* L2GatewayDeviceNotFound */
    CE_INTERFACE_NOT_FOUND,         /* L2GatewayInterfaceNotFound */
    CE_VXLAN_SEGID_NOT_FOUND,       /* VxlanSegmentationIDNotFound */
    CE_SWITCH_NOT_FOUND,            /* L2SwitchNotFound */
    CE_LEARNED_MAC_NOT_FOUND,       /* L2LearnedMacNotFound */
    CE_EXTENSION_NOT_FOUND,         /* HTTPNotFound */
    CE_REMOTE_GATEWAY_NOT_FOUND,    /* L2RemoteGatewayNotFound */
    CE_REMOTE_CONNECTION_NOT_FOUND, /* L2RemoteGatewayConnectionNotFound */
    CE_REMOTE_MAC_NOT_FOUND,        /* L2RemoteMacNotFound */
    /* 405, 410, 413 */
    CE_METHOD_NOT_ALLOWED,          /* HTTPMethodNotAllowed */
    CE_GONE,                        /* HTTPGone */
    CE_TOO_LARGE,                   /* HTTPRequestEntityTooLarge */
    /* 409 */
    CE_CONFLICT,                    /* HTTPConflict (generic duplicate) */
    CE_SEGMENTATION_REQUIRED,       /* L2GatewaySegmentationRequired */
    CE_SEGID_EXISTS,                /* L2GatewaySegmentationIDExists */
    CE_SEGID_NOT_EXISTS,            /* L2GatewaySegmentationIDNotExists */
    CE_GATEWAY_IN_USE,              /* L2GatewayInUse */
    CE_CONNECTION_EXISTS,           /* L2GatewayConnectionExists */
    CE_SWITCH_FAULT,                /* L2GatewayPhysicalSwitchFaultStatus */
    CE_PORT_FAULT,                  /* L2GatewayPhysicalPortFaultStatus */
    CE_DUPLICATE_SEGID,             /* L2GatewayDuplicateSegmentationID */
    CE_DEVICE_AMBIGUOUS,            /* L2GatewayDeviceAmbiguous */
    CE_VNI_IN_USE,                  /* L2GatewayVniInUse */
    CE_OVER_QUOTA,                  /* OverQuota */
    CE_NETWORK_IN_USE,              /* NetworkInUse */
    CE_MAC_IN_USE,                  /* MacAddressInUse */
    CE_SWITCH_IN_USE,               /* L2SwitchInUse */
    CE_VNI_TAKEN,                   /* SegmentationIdInUse? see api/error.c */
    CE_NO_VNI_AVAILABLE,            /* NoNetworkAvailable */
    CE_REMOTE_UNSUPPORTED,          /* L2RemoteGatewayUnsupported */
    CE_REMOTE_SEGID_IN_USE,         /* L2RemoteGatewaySegmentationIdInUse */
    CE_REMOTE_GATEWAY_IN_USE,       /* L2RemoteGatewayInUse */
    CE_REMOTE_CONNECTION_EXISTS,    /* L2RemoteGatewayConnectionExists */
    CE_REMOTE_MAC_EXISTS,           /* L2RemoteMacExists */
    /* 500, 503 */
    CE_INTERNAL,                    /* HTTPInternalServerError */
    CE_UNAVAILABLE,                 /* HTTPServiceUnavailable */
    CE__COUNT
};

struct core_err {
    enum core_error code;
    char msg[512];
};

/* Sets 'err' (if not NULL) to 'code' and the formatted message; returns
 * -EINVAL so that callers can write "return core_fail(err, ...);". */
int core_fail(struct core_err *err, enum core_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
