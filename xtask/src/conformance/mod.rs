//! `cargo xtask conformance`: our specs against the vendor's own
//! descriptions of the authentication and management APIs, operation by
//! operation.
//!
//! For every operation the vendor's SDKs expose (those not flagged
//! `x-authing-hidden-from-sdk`) it compares the method and path, the method
//! name, the request fields (parameters and body properties, through nested
//! objects) with their required flags, types and enum values, the response
//! `data` fields with their types and enum values, and whether the bearer
//! token is needed. A difference is accepted only when it is one of our
//! deliberate corrections, listed with the reason (in [`CORRECTIONS`] for
//! the authentication API, [`management::CORRECTIONS`] for the management API).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use heck::ToLowerCamelCase;
use serde_json::Value;

use crate::regen::{MANAGEMENT_SPEC, SPEC, workspace_root};
use crate::spec_facts::{self, Field, Operation};

mod management;

/// The vendor's authentication API description.
pub const UPSTREAM: &str = "../shared/upstream/authing-v3-authentication-openapi.json";

/// One of our specs and the vendor's description it follows.
pub struct Api {
    pub name: &'static str,
    /// Our spec, relative to the workspace root.
    pub ours: &'static str,
    /// The vendor's, relative to the workspace root.
    pub upstream: &'static str,
    /// Our name of the bearer token's security scheme (upstream's is `bearer`).
    pub token: &'static str,
    /// How many operations the vendor's SDKs expose.
    pub sdk_operations: usize,
    pub corrections: &'static [Correction],
}

/// The authentication API.
pub const AUTHENTICATION: Api = Api {
    name: "authentication",
    ours: SPEC,
    upstream: UPSTREAM,
    token: "accessToken",
    sdk_operations: 86,
    corrections: CORRECTIONS,
};

/// The management API.
pub const MANAGEMENT: Api = Api {
    name: "management",
    ours: MANAGEMENT_SPEC,
    upstream: "../shared/upstream/authing-v3-management-openapi.json",
    token: "managementToken",
    sdk_operations: 414,
    corrections: management::CORRECTIONS,
};

/// One way our spec differs from the vendor's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// Our operationId (or the vendor's name, for an operation we lack).
    pub operation: String,
    /// What differs, such as `request body.options.context type`.
    pub aspect: String,
    /// Upstream's value and ours.
    pub detail: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.operation, self.aspect, self.detail)
    }
}

/// The two specs, ready to compare.
pub struct Specs {
    ours: Value,
    upstream: Value,
    token: &'static str,
}

impl Specs {
    /// Reads both specs; `None` when the upstream description is not there.
    pub fn load(root: &Path, api: &Api) -> Result<Option<Self>, String> {
        let upstream_path: PathBuf = root.join(api.upstream);
        if !upstream_path.exists() {
            return Ok(None);
        }
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let upstream = serde_json::from_str(&read(&upstream_path)?)
            .map_err(|e| format!("{}: {e}", api.upstream))?;
        let ours = serde_yaml::from_str(&read(&root.join(api.ours))?)
            .map_err(|e| format!("{}: {e}", api.ours))?;
        Ok(Some(Self {
            ours,
            upstream,
            token: api.token,
        }))
    }

    /// Every difference, sorted.
    pub fn differences(&self) -> Vec<Difference> {
        let by_place = |spec: &Value, sdk_only: bool| -> BTreeMap<(String, String), Operation> {
            spec_facts::operations(spec)
                .into_iter()
                .filter(|op| !(sdk_only && op.hidden_from_sdk))
                .map(|op| ((op.method.clone(), op.path.clone()), op))
                .collect()
        };
        let ours = by_place(&self.ours, false);
        let upstream = by_place(&self.upstream, true);
        let mut found = BTreeSet::new();
        for (key, up) in &upstream {
            let vendor = vendor_name(&up.id);
            let Some(our) = ours.get(key) else {
                found.insert(diff(
                    &vendor,
                    "operation",
                    format!("{} {} is missing", key.0.to_uppercase(), key.1),
                ));
                continue;
            };
            let name = our.id.clone();
            if name != vendor {
                found.insert(diff(
                    &name,
                    "operationId",
                    format!("vendor SDKs call it `{vendor}`"),
                ));
            }
            found.extend(compare(&name, "request", &up.request, &our.request, true));
            if up.request_media != our.request_media {
                let list =
                    |media: &BTreeSet<String>| media.iter().cloned().collect::<Vec<_>>().join(", ");
                found.insert(diff(
                    &name,
                    "request body media types",
                    format!("{} → {}", list(&up.request_media), list(&our.request_media)),
                ));
            }
            found.extend(compare(
                &name,
                "response",
                &data_fields(&up.response),
                &data_fields(&our.response),
                false,
            ));
            let (theirs, mine) = (uses(up, "bearer"), uses(our, self.token));
            if theirs != mine {
                found.insert(diff(
                    &name,
                    "security",
                    format!("access token {theirs} → {mine}"),
                ));
            }
            // Upstream defines no Basic scheme, so any use of ours is a difference.
            let basic = uses(our, "clientSecretBasic");
            if basic != "unused" {
                found.insert(diff(
                    &name,
                    "security",
                    format!("client secret (HTTP Basic) unused → {basic}"),
                ));
            }
            if up.data_required != our.data_required {
                found.insert(diff(
                    &name,
                    "response data required",
                    format!("{} → {}", up.data_required, our.data_required),
                ));
            }
        }
        for (key, our) in &ours {
            if !upstream.contains_key(key) {
                found.insert(diff(
                    &our.id,
                    "operation",
                    format!("{} {} is not upstream", key.0.to_uppercase(), key.1),
                ));
            }
        }
        found.into_iter().collect()
    }

    /// How many operations upstream exposes to SDKs.
    pub fn sdk_operations(&self) -> usize {
        spec_facts::operations(&self.upstream)
            .iter()
            .filter(|op| !op.hidden_from_sdk)
            .count()
    }
}

fn diff(operation: &str, aspect: &str, detail: String) -> Difference {
    Difference {
        operation: operation.to_owned(),
        aspect: aspect.to_owned(),
        detail,
    }
}

/// The differences between upstream's fields and ours. A whole number that
/// upstream types as `number` and we as `integer` is our global rule, not a
/// difference.
fn compare(
    operation: &str,
    side: &str,
    theirs: &BTreeMap<String, Field>,
    mine: &BTreeMap<String, Field>,
    compare_required: bool,
) -> Vec<Difference> {
    let mut out = Vec::new();
    for path in theirs.keys().chain(mine.keys()).collect::<BTreeSet<_>>() {
        let aspect = |what: &str| format!("{side} {path}{what}");
        match (theirs.get(path), mine.get(path)) {
            (Some(_), None) => out.push(diff(operation, &aspect(""), "missing".into())),
            (None, Some(_)) => out.push(diff(operation, &aspect(""), "not upstream".into())),
            (Some(t), Some(m)) => {
                if compare_required && t.required != m.required {
                    out.push(diff(
                        operation,
                        &aspect(" required"),
                        format!("{} → {}", t.required, m.required),
                    ));
                }
                if t.json_type != m.json_type
                    && !(t.json_type == "number" && m.json_type == "integer")
                {
                    out.push(diff(
                        operation,
                        &aspect(" type"),
                        format!("{} → {}", t.json_type, m.json_type),
                    ));
                }
                if t.values.is_some() && t.values != m.values {
                    out.push(diff(
                        operation,
                        &aspect(" enum"),
                        format!("{:?} → {:?}", t.values, m.values),
                    ));
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// The fields inside the envelope's `data`, or the whole body when there is no envelope.
fn data_fields(response: &BTreeMap<String, Field>) -> BTreeMap<String, Field> {
    if !response.contains_key("data") {
        return response.clone();
    }
    response
        .iter()
        .filter(|(path, _)| path.starts_with("data.") || path.starts_with("data[]"))
        .map(|(path, field)| (path.clone(), field.clone()))
        .collect()
}

/// The vendor SDKs' method name: the operationId after its controller
/// prefix, in camel case (`SignInV3Controller_getQRCodeStatus` → `getQrCodeStatus`).
fn vendor_name(operation_id: &str) -> String {
    operation_id
        .rsplit('_')
        .next()
        .unwrap_or(operation_id)
        .to_lower_camel_case()
}

/// How an operation uses a security scheme: `required` (in every way to
/// authenticate it), `accepted` (in some) or `unused`.
fn uses(operation: &Operation, scheme: &str) -> &'static str {
    let with = operation
        .security
        .iter()
        .filter(|a| a.contains(scheme))
        .count();
    match with {
        0 => "unused",
        n if n == operation.security.len() => "required",
        _ => "accepted",
    }
}

pub fn run() -> Result<(), String> {
    let root = workspace_root();
    let mut failed = Vec::new();
    for api in [AUTHENTICATION, MANAGEMENT] {
        let Some(specs) = Specs::load(&root, &api)? else {
            return Err(format!(
                "{} is absent; nothing to compare with",
                api.upstream
            ));
        };
        let differences = specs.differences();
        let (unexplained, stale) = unexplained(api.corrections, &differences);
        println!(
            "{}: {} SDK operations compared; {} differences, all but {} of them listed corrections",
            api.name,
            specs.sdk_operations(),
            differences.len(),
            unexplained.len()
        );
        for correction in api.corrections {
            println!(
                "corrected: {}: {} ({} operations): {}",
                correction.aspect,
                correction.detail,
                correction.operations.len(),
                correction
                    .reason
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        for difference in &unexplained {
            println!("UNEXPLAINED {difference}");
        }
        for correction in &stale {
            println!("STALE correction {correction}");
        }
        if specs.sdk_operations() != api.sdk_operations {
            println!(
                "the vendor's SDKs expose {} operations, not {}",
                specs.sdk_operations(),
                api.sdk_operations
            );
        }
        if !unexplained.is_empty()
            || !stale.is_empty()
            || specs.sdk_operations() != api.sdk_operations
        {
            failed.push(api.name);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the {} spec differs from upstream in ways not listed as corrections",
            failed.join(" and ")
        ))
    }
}

/// The operations of a correction that applies to every operation.
pub const EVERY_OPERATION: &[&str] = &["*"];

/// A deliberate difference from the vendor's description, and why.
pub struct Correction {
    pub operations: &'static [&'static str],
    pub aspect: &'static str,
    pub detail: &'static str,
    pub reason: &'static str,
}

/// Every way our spec is meant to differ from the vendor's. The spec carries
/// a `# Corrected:` comment at each of these places.
pub const CORRECTIONS: &[Correction] = &[
    Correction {
        operations: &[
            "bindEmail",
            "bindPhone",
            "checkValidCredentialsByCredIds",
            "deleteAccount",
            "getProfile",
            "getSecurityLevel",
            "initRegisterOptions",
            "list",
            "listCredentialsByPage",
            "listPublicAccountsForSwitchLoggedIn",
            "removeAllCredentials",
            "removeCredential",
            "revoke",
            "unbind",
            "unbindEmail",
            "unbindPhone",
            "updateEmail",
            "updatePassword",
            "updatePhone",
            "updateProfile",
            "verifyDeleteAccountRequest",
            "verifyRegister",
            "verifyUpdateEmailRequest",
            "verifyUpdatePhoneRequest",
        ],
        aspect: "security",
        detail: "access token accepted → required",
        reason: "upstream lists the app id (or an undefined userpool scheme) and the token as alternatives; \
                 these calls act for the signed-in user and need the token",
    },
    Correction {
        operations: &[
            "changePushCodeStatus",
            "changeQrCodeStatus",
            "geneFastpassQrcodeInfo",
            "switchLoginByUser",
        ],
        aspect: "security",
        detail: "access token unused → required",
        reason: "upstream's description requires a signed-in user but its security lists only the app id",
    },
    Correction {
        operations: &["getCountryList", "getSystemInfo", "sendEmail", "sendSms"],
        aspect: "security",
        detail: "access token required → unused",
        reason: "public information and sign-in/sign-up codes are needed before anyone is signed in; \
                 upstream requires a token no signed-out caller has (a token, when set, is still sent)",
    },
    Correction {
        operations: &[
            "exchangeTokenSetWithQrCodeTicket",
            "signInByCredentials",
            "signInByMobile",
        ],
        aspect: "security",
        detail: "client secret (HTTP Basic) unused → accepted",
        reason: "applications set to client_secret_basic must send HTTP Basic credentials to these token-issuing \
                 calls, as upstream's own description and every vendor SDK do; upstream's security omits it",
    },
    Correction {
        operations: &["geneFastpassQrcodeInfo"],
        aspect: "response data required",
        detail: "false → true",
        reason: "every other response requires `data`; a successful call returns it",
    },
    Correction {
        operations: &["getAppLoginQrCodeStatus"],
        aspect: "operationId",
        detail: "vendor SDKs call it `getQrCodeStatus`",
        reason: "the newest vendor SDK (node 4.x) renamed it, as `getQrCodeStatus` now names /get-qrcode-status",
    },
    Correction {
        operations: &["getWechatMpAccessToken", "getWechatMpAccessTokenInfo"],
        aspect: "response data.expiresAt type",
        detail: "string → integer",
        reason: "upstream describes a Unix time in seconds and gives a number as its example",
    },
    Correction {
        operations: &["signInByPush"],
        aspect: "request body.options.context type",
        detail: "string → object",
        reason: "upstream types it as a string but gives an object as its example; the pipeline receives an object",
    },
];

/// The differences no correction explains, and the corrections that explain
/// nothing any more.
pub fn unexplained<'a>(
    corrections: &[Correction],
    differences: &'a [Difference],
) -> (Vec<&'a Difference>, Vec<String>) {
    let names = |c: &Correction, operation: &str| {
        c.operations == EVERY_OPERATION || c.operations.contains(&operation)
    };
    let explains = |c: &Correction, d: &Difference| {
        c.aspect == d.aspect && c.detail == d.detail && names(c, &d.operation)
    };
    let unexplained = differences
        .iter()
        .filter(|d| !corrections.iter().any(|c| explains(c, d)))
        .collect();
    let stale = corrections
        .iter()
        .flat_map(|c| c.operations.iter().map(move |op| (c, *op)))
        .filter(|(c, op)| {
            !differences
                .iter()
                .any(|d| (*op == "*" || d.operation == *op) && explains(c, d))
        })
        .map(|(c, op)| format!("{op}: {}: {}", c.aspect, c.detail))
        .collect();
    (unexplained, stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_spec_matches_the_vendors_but_for_listed_corrections() {
        matches_but_for_corrections(&AUTHENTICATION);
    }

    #[test]
    fn our_management_spec_matches_the_vendors_but_for_listed_corrections() {
        matches_but_for_corrections(&MANAGEMENT);
    }

    fn matches_but_for_corrections(api: &Api) {
        let root = workspace_root();
        let Some(specs) = Specs::load(&root, api).expect("the specs are readable") else {
            eprintln!(
                "SKIPPED: {} is absent, so there is nothing to compare our spec with",
                api.upstream
            );
            return;
        };
        assert_eq!(
            specs.sdk_operations(),
            api.sdk_operations,
            "the vendor's SDKs expose {} operations",
            api.sdk_operations
        );
        let differences = specs.differences();
        let (unexplained, stale) = unexplained(api.corrections, &differences);
        let list = |items: Vec<String>| items.join("\n  ");
        assert!(
            unexplained.is_empty(),
            "differences from upstream that are not listed corrections:\n  {}",
            list(unexplained.iter().map(|d| d.to_string()).collect())
        );
        assert!(
            stale.is_empty(),
            "listed corrections that no longer apply:\n  {}",
            list(stale)
        );
    }

    #[test]
    fn vendor_names_follow_the_vendors_casing() {
        let name = vendor_name;
        assert_eq!(
            name("SignInV3Controller_getQRCodeStatus"),
            "getQrCodeStatus"
        );
        assert_eq!(
            name("AuthenticatorDeviceV3Controller_RemoveAllCredentials"),
            "removeAllCredentials"
        );
        assert_eq!(
            name("SignInV3Controller_exchangeTokenSetWithQRCodeTicket"),
            "exchangeTokenSetWithQrCodeTicket"
        );
        assert_eq!(name("ProfileV3Controller_list"), "list");
    }

    #[test]
    fn a_difference_is_noticed() {
        let ours = serde_json::json!({"paths": {"/a": {"post": {"operationId": "doA", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}, "y": {"type": "string", "enum": ["A"]}}}}}}}}}});
        let upstream = serde_json::json!({"paths": {"/a": {"post": {"operationId": "C_doA", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "string", "enum": ["A", "B"]}, "z": {"type": "string"}}}}}}}}}});
        let specs = Specs {
            ours,
            upstream,
            token: "accessToken",
        };
        let found: Vec<String> = specs.differences().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            found,
            [
                "doA: request body.x required: false → true",
                "doA: request body.x type: number → string",
                "doA: request body.y enum: Some([\"A\", \"B\"]) → Some([\"A\"])",
                "doA: request body.z: missing",
            ]
        );
    }
}
