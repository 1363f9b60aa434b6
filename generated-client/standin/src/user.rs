//! The one user the stand-in knows, and the claims it shows about them.
//!
//! Whoever scans a QR code, approves a push login, signs in at the
//! authorization endpoint or holds a bearer token is this user.

use serde_json::{Map, Value, json};

/// The demo user's `sub` and user ID.
pub(crate) const ID: &str = "standin-demo-user";
/// The demo user's display name (`name`).
pub(crate) const NAME: &str = "Demo User";
/// The demo user's username (`preferred_username`), and the CAS `user`.
pub(crate) const USERNAME: &str = "demo";
/// The ID of the stand-in's one user pool.
pub(crate) const USERPOOL_ID: &str = "standin-userpool";
/// The user pool's display name.
pub(crate) const USERPOOL_NAME: &str = "Stand-in User Pool";
/// When the demo user last changed, as GenAuth sends `updated_at`: an RFC
/// 3339 string rather than the seconds OIDC Core describes.
const UPDATED_AT: &str = "2024-01-01T00:00:00.000Z";

/// Whether a space-separated scope list contains `wanted`.
pub(crate) fn has_scope(scope: &str, wanted: &str) -> bool {
    scope.split_whitespace().any(|s| s == wanted)
}

/// The claims the scopes in `scope` release, as GenAuth's userinfo and ID
/// tokens carry them: the standard claims of each scope, unknown values as
/// `null`, plus GenAuth's `username`, `external_id` and `unionid` with
/// `profile`. `sub` is not included.
pub(crate) fn claims(scope: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    let mut add = |group: Value| {
        if let Value::Object(group) = group {
            claims.extend(group);
        }
    };
    if has_scope(scope, "profile") {
        add(json!({
            "name": NAME,
            "preferred_username": USERNAME,
            "nickname": null,
            "given_name": null,
            "middle_name": null,
            "family_name": null,
            "picture": null,
            "profile": null,
            "website": null,
            "gender": "U",
            "birthdate": null,
            "zoneinfo": null,
            "locale": null,
            "updated_at": UPDATED_AT,
            "username": USERNAME,
            "external_id": null,
            "unionid": null,
        }));
    }
    if has_scope(scope, "email") {
        add(json!({ "email": "demo@example.com", "email_verified": true }));
    }
    if has_scope(scope, "phone") {
        add(json!({ "phone_number": null, "phone_number_verified": false }));
    }
    if has_scope(scope, "address") {
        add(json!({
            "address": { "country": null, "postal_code": null, "region": null, "formatted": null },
        }));
    }
    claims
}

/// Everything known about the demo user, for the CAS `attributes`: the
/// claims of every scope and `sub`, as GenAuth's CAS IdP sends them.
pub(crate) fn all_claims() -> Map<String, Value> {
    let mut claims = claims("profile email phone address");
    claims.insert("sub".to_owned(), ID.into());
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_follow_the_scopes() {
        let none = claims("openid");
        assert!(none.is_empty());
        let profile = claims("openid profile");
        assert_eq!(profile["name"], NAME);
        assert!(profile.get("email").is_none());
        let email = claims("email");
        assert_eq!(email["email_verified"], true);
        assert!(email.get("name").is_none());
        assert!(!has_scope("openid profile", "pro"));
    }
}
