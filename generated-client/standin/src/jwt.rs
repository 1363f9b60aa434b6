//! The compact form of a JWT (`header.claims.signature`, each base64url
//! without padding), HS256, and the SHA-256 helpers of OIDC and PKCE.
//!
//! Built by hand rather than with a JWT crate: the stand-in signs and checks
//! its own tokens only, and tests need exact control over what goes in them.

use aws_lc_rs::{digest, hmac};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

/// Bytes as base64url without padding.
pub(crate) fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A JSON value as base64url without padding.
fn b64_json(value: &Value) -> String {
    // A `Value` always serialises: its map keys are strings.
    b64(serde_json::to_vec(value).unwrap_or_default())
}

/// `base64url(header).base64url(claims)`, the part a signature covers.
pub(crate) fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64_json(header), b64_json(claims))
}

/// A JWT taken apart, its signature not checked yet.
#[derive(Debug)]
pub(crate) struct Parts<'a> {
    /// The decoded header.
    pub(crate) header: Map<String, Value>,
    /// The decoded claims.
    pub(crate) claims: Map<String, Value>,
    /// What the signature covers.
    pub(crate) signing_input: &'a str,
    /// The decoded signature.
    pub(crate) signature: Vec<u8>,
}

impl Parts<'_> {
    /// The header's `alg`, if it is a string.
    pub(crate) fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }
}

/// Takes a compact JWT apart; `None` unless it has three base64url parts
/// and the first two are JSON objects.
pub(crate) fn split(token: &str) -> Option<Parts<'_>> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, claims) = signing_input.split_once('.')?;
    let object = |part: &str| -> Option<Map<String, Value>> {
        let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(map) => Some(map),
            _ => None,
        }
    };
    Some(Parts {
        header: object(header)?,
        claims: object(claims)?,
        signing_input,
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

/// An HS256 JWT of `claims`, keyed with `secret`.
pub(crate) fn sign_hs256(secret: &str, claims: &Value) -> String {
    let input = signing_input(&json!({ "alg": "HS256", "typ": "JWT" }), claims);
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let tag = hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// The claims of an HS256 JWT whose signature `secret` makes.
pub(crate) fn verify_hs256(secret: &str, token: &str) -> Option<Map<String, Value>> {
    let parts = split(token)?;
    if parts.alg() != Some("HS256") {
        return None;
    }
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    hmac::verify(&key, parts.signing_input.as_bytes(), &parts.signature).ok()?;
    Some(parts.claims)
}

/// The PKCE `S256` challenge of a verifier: `BASE64URL(SHA256(verifier))`.
pub(crate) fn s256(verifier: &str) -> String {
    b64(digest::digest(&digest::SHA256, verifier.as_bytes()))
}

/// The `at_hash` of an access token in an ID token signed with a SHA-256
/// algorithm (RS256 or HS256): the left half of its SHA-256, base64url.
pub(crate) fn at_hash(access_token: &str) -> String {
    let hash = digest::digest(&digest::SHA256, access_token.as_bytes());
    let bytes = hash.as_ref();
    b64(&bytes[..bytes.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs256_round_trip_and_tampering() {
        let token = sign_hs256("secret", &json!({ "sub": "a" }));
        let claims = verify_hs256("secret", &token).unwrap();
        assert_eq!(claims["sub"], "a");
        assert!(verify_hs256("other", &token).is_none());
        let tampered = token.replacen('.', ".e30.", 1);
        assert!(verify_hs256("secret", &tampered).is_none());
        assert!(split("a.b").is_none());
    }

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn at_hash_is_half_of_sha256() {
        assert_eq!(at_hash("x").len(), 22);
        assert_ne!(at_hash("x"), at_hash("y"));
    }
}
