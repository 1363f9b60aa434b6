//! Which fields and inputs hold secrets, which `Debug` output must not show:
//! strings the spec marks `format: password`, and strings whose names say
//! they are secrets, since specs rarely mark tokens, codes or keys.

use crate::model::TypeRef;

/// Words that make a name a secret's wherever they appear in it.
const SECRET_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "ticket",
    "recoverycode",
    "privatekey",
    "apikey",
    "accesskey",
    "otpauth",
    // The URI of an MFA QR code: `otpauth://...?secret=...`.
    "qrcodeuri",
    "cookie",
];

/// Names that are a secret's only as a whole: as part of a longer name
/// (`countrycode`, `codechallengemethod`) they rarely are.
const SECRET_NAMES: &[&str] = &["code", "passcode", "verifycode"];

/// What, right after a secret word, makes a name describe the secret rather
/// than hold it: `token_type`, `tokenEndpointAuthMethod`, `tokenExpiresIn`,
/// `id_token_signing_alg_values_supported`, `passwordEncryptType`,
/// `passwordLastSetAt`, `accessKeyId`.
const ABOUT_THE_SECRET: &[&str] = &[
    "alg", "count", "encrypt", "endpoint", "expire", "format", "id", "lastset", "length", "level",
    "lifetime", "policy", "security", "signed", "signing", "strength", "ttl", "type", "unit",
];

/// Whether a value of type `ty` on the wire as `wire_name` is a secret by
/// its name. Only strings (and lists of them) are: an object holding secrets
/// has fields of its own that say so.
pub(super) fn secret_by_name(wire_name: &str, ty: &TypeRef) -> bool {
    string_like(ty) && secret_name(wire_name)
}

fn string_like(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Array(item) => string_like(item),
        _ => false,
    }
}

/// Whether `wire_name` reads like the name of a secret, whatever its case
/// and separators.
fn secret_name(wire_name: &str) -> bool {
    let name: String = wire_name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.contains(&name.as_str()) || SECRET_WORDS.iter().any(|word| holds(&name, word))
}

/// Whether `word` appears in `name` at least once as the thing itself, not
/// followed by something about it.
fn holds(name: &str, word: &str) -> bool {
    name.match_indices(word).any(|(at, _)| {
        let after = name.get(at + word.len()..).unwrap_or_default();
        !ABOUT_THE_SECRET
            .iter()
            .any(|about| after.starts_with(about))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_secrets() {
        for name in [
            "access_token",
            "accessToken",
            "id_token",
            "refresh_token",
            "mfaToken",
            "id_token_hint",
            "passwordResetToken",
            "client_secret",
            "accessKeySecret",
            "app-secret",
            "newPassword",
            "passwd",
            "ticket",
            "recoveryCodes",
            "privateKey",
            "apiKey",
            "accessKey",
            "otpauthUri",
            "qrCodeUri",
            "cookie",
            "SetCookie",
            "code",
            "passCode",
            "verify_code",
            "tokens",
        ] {
            assert!(secret_name(name), "{name} should be a secret");
        }
    }

    #[test]
    fn names_about_secrets_or_of_other_things() {
        for name in [
            "token_type",
            "tokenType",
            "token_type_hint",
            "expire_in",
            "tokenExpiresIn",
            "token_endpoint",
            "token_endpoint_auth_methods_supported",
            "tokenEndpointAuthMethod",
            "id_token_signing_alg_values_supported",
            "id_token_encryption_alg_values_supported",
            "refreshTokenLifetime",
            "passwordEncryptType",
            "passwordLastSetAt",
            "passwordSecurityLevel",
            "accessKeyId",
            "ticketExpiresInUnit",
            "countryCode",
            "statusCode",
            "codeChallengeMethod",
            "username",
            "",
        ] {
            assert!(!secret_name(name), "{name} should not be a secret");
        }
    }

    #[test]
    fn only_strings_are_secrets_by_name() {
        let strings = TypeRef::Array(Box::new(TypeRef::String));
        assert!(secret_by_name("recoveryCodes", &strings));
        assert!(secret_by_name("token", &TypeRef::String));
        assert!(!secret_by_name("token", &TypeRef::Named("TokenSet".into())));
        assert!(!secret_by_name("code", &TypeRef::I64));
        assert!(!secret_by_name("cookie", &TypeRef::Bool));
    }
}
