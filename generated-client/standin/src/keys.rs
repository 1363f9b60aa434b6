//! The stand-in's RSA signing keys: the current one, and the one before it
//! while a rotation keeps it, published as a JWKS and used for RS256.

use aws_lc_rs::digest;
use aws_lc_rs::error::Unspecified;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{self, KeyPair as _};
use serde_json::{Map, Value, json};

use crate::jwt;

/// One RSA-2048 key and the public parts a JWK shows.
struct SigningKey {
    kid: String,
    pair: KeyPair,
    /// The modulus, big-endian without leading zeros.
    n: Vec<u8>,
    /// The public exponent, likewise.
    e: Vec<u8>,
}

impl SigningKey {
    fn generate() -> Result<Self, Unspecified> {
        let pair = KeyPair::generate(KeySize::Rsa2048)?;
        let public = pair.public_key();
        let n = public.modulus().big_endian_without_leading_zero().to_vec();
        let e = public.exponent().big_endian_without_leading_zero().to_vec();
        let kid = thumbprint(&n, &e);
        Ok(Self { kid, pair, n, e })
    }

    fn jwk(&self) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": jwt::b64(&self.n),
            "e": jwt::b64(&self.e),
        })
    }

    fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let public = PublicKeyComponents {
            n: self.n.as_slice(),
            e: self.e.as_slice(),
        };
        public
            .verify(&signature::RSA_PKCS1_2048_8192_SHA256, message, signature)
            .is_ok()
    }
}

impl std::fmt::Debug for SigningKey {
    // The private key stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The RFC 7638 thumbprint of an RSA public key: a `kid` that changes with
/// the key and that anyone holding the JWK can recompute.
fn thumbprint(n: &[u8], e: &[u8]) -> String {
    // The members in lexicographic order, no whitespace, as RFC 7638 asks.
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        jwt::b64(e),
        jwt::b64(n)
    );
    jwt::b64(digest::digest(&digest::SHA256, canonical.as_bytes()))
}

/// The keys the stand-in signs with and publishes.
#[derive(Debug)]
pub(crate) struct KeyRing {
    current: SigningKey,
    previous: Option<SigningKey>,
}

impl KeyRing {
    /// A ring with one fresh key.
    pub(crate) fn generate() -> Result<Self, Unspecified> {
        Ok(Self {
            current: SigningKey::generate()?,
            previous: None,
        })
    }

    /// The `kid` of the key that signs now.
    pub(crate) fn kid(&self) -> &str {
        &self.current.kid
    }

    /// Signs with a new key from now on. The old key stays published (and
    /// its tokens keep verifying) only with `keep_previous`; a key from
    /// before that is dropped either way. On failure nothing changes.
    pub(crate) fn rotate(&mut self, keep_previous: bool) -> Result<&str, Unspecified> {
        let next = SigningKey::generate()?;
        let old = std::mem::replace(&mut self.current, next);
        self.previous = keep_previous.then_some(old);
        Ok(&self.current.kid)
    }

    /// `{"keys": [...]}`: the current key first, then the kept one.
    pub(crate) fn jwks(&self) -> Value {
        let keys: Vec<Value> = std::iter::once(&self.current)
            .chain(&self.previous)
            .map(SigningKey::jwk)
            .collect();
        json!({ "keys": keys })
    }

    /// An RS256 JWT of exactly `claims`, signed with the current key.
    ///
    /// aws-lc fails to sign only when it cannot allocate; the token then
    /// carries an empty signature, which every verifier rejects, rather
    /// than the server stopping.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "RS256", "typ": "JWT", "kid": self.current.kid });
        let input = jwt::signing_input(&header, claims);
        let mut signature = vec![0; self.current.pair.public_modulus_len()];
        let signed = self.current.pair.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut signature,
        );
        if signed.is_err() {
            signature.clear();
        }
        format!("{input}.{}", jwt::b64(&signature))
    }

    /// The claims of an RS256 JWT signed by one of the published keys.
    /// Only the signature is checked: what the claims say is for the
    /// caller to judge.
    pub(crate) fn verify(&self, token: &str) -> Option<Map<String, Value>> {
        let parts = jwt::split(token)?;
        if parts.alg() != Some("RS256") {
            return None;
        }
        let kid = parts.header.get("kid").and_then(Value::as_str);
        let verified = std::iter::once(&self.current)
            .chain(&self.previous)
            .filter(|key| kid.is_none_or(|kid| kid == key.kid))
            .any(|key| key.verifies(parts.signing_input.as_bytes(), &parts.signature));
        verified.then_some(parts.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifies_and_rotates() {
        let mut ring = KeyRing::generate().unwrap();
        let first_kid = ring.kid().to_owned();
        let token = ring.sign(&json!({ "sub": "a" }));
        assert_eq!(ring.verify(&token).unwrap()["sub"], "a");
        let tampered = format!("{}x", &token[..token.len() - 1]);
        assert!(ring.verify(&tampered).is_none());

        ring.rotate(true).unwrap();
        assert_ne!(ring.kid(), first_kid);
        assert_eq!(ring.jwks()["keys"].as_array().unwrap().len(), 2);
        assert!(ring.verify(&token).is_some());

        ring.rotate(false).unwrap();
        assert_eq!(ring.jwks()["keys"].as_array().unwrap().len(), 1);
        assert!(ring.verify(&token).is_none());
    }
}
