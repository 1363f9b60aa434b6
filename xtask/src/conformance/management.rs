//! The deliberate differences of our management spec from the vendor's.

use super::{Correction, EVERY_OPERATION};

pub const CORRECTIONS: &[Correction] = &[
    Correction {
        operations: EVERY_OPERATION,
        aspect: "security",
        detail: "access token accepted → required",
        reason: "upstream offers the userpool ID and the management token as alternatives; every call needs \
                 both, as every vendor SDK sends them",
    },
    Correction {
        operations: &[
            "createDevice",
            "createVerifyDevice",
            "deleteDevice",
            "deleteDeviceByUser",
            "disableDevice",
            "disableDeviceByUser",
            "enableDevice",
            "enableDeviceByUser",
            "findLastLoginAppsByDeviceIds",
            "getDeviceStatus",
            "getVerifyConfigApp",
            "suspendDevice",
            "suspendDeviceByUser",
        ],
        aspect: "security",
        detail: "access token unused → required",
        reason: "upstream declares no security on these device calls, which manage the user pool like \
                 every other management call and need the same credentials",
    },
    Correction {
        operations: &["deleteDeviceByUser"],
        aspect: "operationId",
        detail: "vendor SDKs call it `deleteDevice`",
        reason: "two vendor controllers name their calls alike; the path (`-by-user`) tells them apart",
    },
    Correction {
        operations: &["disableDeviceByUser"],
        aspect: "operationId",
        detail: "vendor SDKs call it `disableDevice`",
        reason: "two vendor controllers name their calls alike; the path (`-by-user`) tells them apart",
    },
    Correction {
        operations: &["enableDeviceByUser"],
        aspect: "operationId",
        detail: "vendor SDKs call it `enableDevice`",
        reason: "two vendor controllers name their calls alike; the path (`-by-user`) tells them apart",
    },
    Correction {
        operations: &["suspendDeviceByUser"],
        aspect: "operationId",
        detail: "vendor SDKs call it `suspendDevice`",
        reason: "two vendor controllers name their calls alike; the path (`-by-user`) tells them apart",
    },
    Correction {
        operations: &["checkParamsNamespace", "createAdminRole"],
        aspect: "response data.message type",
        detail: "boolean → string",
        reason: "the text that explains a failed check; the vendor's Java SDK fails to decode it as a boolean",
    },
    Correction {
        operations: &["getAllDepartments", "listChildrenDepartments"],
        aspect: "response data.totalCount type",
        detail: "boolean → integer",
        reason: "the number of departments, as its example (10) shows",
    },
    Correction {
        operations: &["pubUserEvent", "verifyEvent"],
        aspect: "response data.errMsg type",
        detail: "boolean → string",
        reason: "an error message, as its example (text) shows",
    },
];
