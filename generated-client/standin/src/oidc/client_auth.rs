//! Client authentication at the token, introspection and revocation
//! endpoints, by the one method [`ClientAuth`] configures.

use aws_lc_rs::constant_time;
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::ClientAuth;
use crate::oidc::error::OAuthError;
use crate::params::Params;
use crate::server::Shared;

/// The name of a method, as OIDC client registration and discovery spell it.
pub(crate) fn method_name(method: ClientAuth) -> &'static str {
    match method {
        ClientAuth::ClientSecretPost => "client_secret_post",
        ClientAuth::ClientSecretBasic => "client_secret_basic",
        ClientAuth::None => "none",
    }
}

/// Accepts the request if it authenticates the app's client by the
/// configured method, and by that method only (RFC 6749 §2.3: one method
/// per request).
pub(crate) fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(), OAuthError> {
    let basic = basic_credentials(headers);
    let tried_basic = basic.is_some();
    let used = match (tried_basic, params.has("client_secret")) {
        (true, true) => {
            return Err(OAuthError::invalid_client(
                "the client authenticated with both HTTP Basic and client_secret in the body; \
                 use one method only",
                true,
            ));
        }
        (true, false) => ClientAuth::ClientSecretBasic,
        (false, true) => ClientAuth::ClientSecretPost,
        (false, false) => ClientAuth::None,
    };
    if used != shared.client_auth {
        return Err(OAuthError::invalid_client(
            format!(
                "this client authenticates with {}, but the request used {}",
                method_name(shared.client_auth),
                method_name(used)
            ),
            tried_basic,
        ));
    }
    let body_id = params.get("client_id");
    let (client_id, secret) = match basic {
        Some(Some((id, secret))) => {
            if body_id.is_some_and(|body_id| body_id != id) {
                return Err(OAuthError::invalid_client(
                    "client_id in the body differs from the one in the authorization header",
                    true,
                ));
            }
            (Some(id), Some(secret))
        }
        Some(None) => {
            return Err(OAuthError::invalid_client(
                "the authorization header is not Basic base64(client_id:client_secret)",
                true,
            ));
        }
        None => (
            body_id.map(str::to_owned),
            params.get("client_secret").map(str::to_owned),
        ),
    };
    let Some(client_id) = client_id else {
        return Err(OAuthError::invalid_client(
            "client_id is missing",
            tried_basic,
        ));
    };
    if client_id != shared.app_id {
        return Err(OAuthError::invalid_client(
            format!("unknown client_id {client_id:?}"),
            tried_basic,
        ));
    }
    let secret_matches = secret.is_none_or(|secret| {
        constant_time::verify_slices_are_equal(secret.as_bytes(), shared.app_secret.as_bytes())
            .is_ok()
    });
    if !secret_matches {
        return Err(OAuthError::invalid_client(
            "the client secret is wrong",
            tried_basic,
        ));
    }
    Ok(())
}

/// The credentials of an `Authorization: Basic` header: `None` without
/// one, `Some(None)` for one that cannot be read.
fn basic_credentials(headers: &HeaderMap) -> Option<Option<(String, String)>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    Some(decode_basic(encoded.trim()))
}

fn decode_basic(encoded: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id)?, form_decode(secret)?))
}

/// Undoes the form-encoding RFC 6749 §2.3.1 applies to both parts before
/// base64: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.bytes();
    while let Some(byte) = rest.next() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let high = char::from(rest.next()?).to_digit(16)?;
                let low = char::from(rest.next()?).to_digit(16)?;
                bytes.push(u8::try_from(high * 16 + low).ok()?);
            }
            _ => bytes.push(byte),
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_parts_are_form_decoded() {
        let encoded = STANDARD.encode("my+app:s%3Acret%25");
        assert_eq!(
            decode_basic(&encoded),
            Some(("my app".to_owned(), "s:cret%".to_owned()))
        );
        assert_eq!(decode_basic("!!"), None);
        assert_eq!(form_decode("%4"), None);
        assert_eq!(decode_basic(&STANDARD.encode("no-colon")), None);
    }
}
