//! What of a response may be shown in errors, `Debug` output and traces.
//!
//! A server can put anything anywhere, so values from a body are never
//! shown: only its shape (keys, types, lengths), the envelope's
//! human-readable `message` and `requestId` with anything that looks like a
//! token taken out, and the numbers `statusCode` and `apiCode`.

use std::fmt::Write;

use serde_json::Value;

/// Key fragments that mark a value as a credential. The generator marks
/// model fields by the same rule, so that what `Debug` hides in a model and
/// what it hides in free-form JSON agree.
const SECRET_KEYS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "ticket",
    "authorization",
    "credential",
    "recoverycode",
    "privatekey",
    "apikey",
    "accesskey",
    "otpauth",
    "qrcodeuri",
    "cookie",
];

/// What, right after a fragment, makes a key describe the secret rather
/// than hold it: `token_type`, `tokenExpiresIn`, `accessKeyId`.
const ABOUT_THE_SECRET: &[&str] = &[
    "alg", "count", "encrypt", "endpoint", "expire", "format", "id", "lastset", "length", "level",
    "lifetime", "policy", "security", "signed", "signing", "strength", "ttl", "type", "unit",
];

/// Keys that are a one-time code as a whole (`statusCode` and the like are not).
const SECRET_CODE_KEYS: &[&str] = &["code", "passcode", "verifycode"];

/// Parameters whose value a URL or message may carry as `name=value`.
const SECRET_PARAMETERS: &[&str] = &[
    "secret",
    "token",
    "access_token",
    "id_token",
    "refresh_token",
    "ticket",
    "password",
    "code",
];

/// What hidden text is replaced with.
pub const REDACTED: &str = "<redacted>";

/// How deep and how wide a shape is described.
const SHAPE_DEPTH: usize = 3;
const SHAPE_KEYS: usize = 12;
/// The longest key a shape names; longer keys are shown as `<key>`.
const SHAPE_KEY_CHARS: usize = 40;
/// The longest message kept from a response.
const MESSAGE_CHARS: usize = 300;

/// Whether a value under `key` is a credential.
pub fn is_secret_key(key: &str) -> bool {
    let key: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_CODE_KEYS.contains(&key.as_str())
        || SECRET_KEYS.iter().any(|fragment| {
            key.match_indices(fragment).any(|(at, _)| {
                let after = key.get(at + fragment.len()..).unwrap_or_default();
                !ABOUT_THE_SECRET
                    .iter()
                    .any(|about| after.starts_with(about))
            })
        })
}

/// Replaces the values of credential-looking keys, and token-like strings,
/// at any depth, with `<redacted>`.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if is_secret_key(key) && !item.is_null() {
                    *item = Value::String(REDACTED.to_owned());
                } else {
                    redact(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        Value::String(text) if looks_like_token(text) => *text = REDACTED.to_owned(),
        _ => {}
    }
}

/// Text from a response made safe to show: control characters removed, any
/// token-like word and any `secret=…`-like parameter replaced, and cut short.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MESSAGE_CHARS));
    let mut word = String::new();
    let mut hide_next = false;
    let flush = |word: &mut String, out: &mut String, hide: bool| {
        if !word.is_empty() {
            if hide || looks_like_token(word) {
                out.push_str(REDACTED);
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if is_token_char(c) && c != '=' {
            word.push(c);
            continue;
        }
        let parameter = c == '=' && is_secret_parameter(&word);
        flush(&mut word, &mut out, hide_next);
        hide_next = parameter;
        if c.is_control() || is_invisible(c) {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    flush(&mut word, &mut out, hide_next);
    cut(out, MESSAGE_CHARS)
}

fn is_secret_parameter(word: &str) -> bool {
    let name = word
        .rsplit(['?', '&', ';', ' '])
        .next()
        .unwrap_or(word)
        .to_ascii_lowercase();
    SECRET_PARAMETERS.contains(&name.as_str()) || is_secret_key(&name)
}

/// Characters of the words tokens are made of (Base64, Base64URL, hex, JWT).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=')
}

/// Characters that change how text is displayed without showing themselves.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2028}' | '\u{2029}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Whether `text` reads like a credential rather than a word or an ID: at
/// least 16 token characters mixing upper case, lower case and digits (JWTs,
/// opaque tokens, Base32/Base64 secrets), or a dotted JWT. UUIDs and other
/// all-lower-case hex IDs, like request IDs, are not.
pub fn looks_like_token(text: &str) -> bool {
    let text = text.trim();
    if text.chars().count() < 16 || !text.chars().all(is_token_char) {
        return false;
    }
    let upper = text.chars().filter(char::is_ascii_uppercase).count();
    let lower = text.chars().filter(char::is_ascii_lowercase).count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let jwt = text.starts_with("eyJ") && text.matches('.').count() >= 1;
    let mixed = upper > 0 && lower > 0 && digits > 0;
    // Base32 secrets (TOTP) are upper case and digits only.
    let base32 = lower == 0 && upper >= 8 && digits > 0;
    jwt || mixed || base32
}

/// A request ID from a response, unless it looks like a credential.
pub fn request_id(text: &str) -> String {
    if looks_like_token(text) {
        REDACTED.to_owned()
    } else {
        scrub(text)
    }
}

/// The shape of a body for an error message: for JSON, its keys, types and
/// lengths; otherwise its kind and size, and an HTML page's title.
pub fn body_shape(body: &[u8], content_type: Option<&str>) -> String {
    if body.is_empty() {
        return "empty".to_owned();
    }
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        return value_shape(&value);
    }
    let text = std::str::from_utf8(body).ok();
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    let html = essence.as_deref() == Some("text/html")
        || text.is_some_and(|t| {
            let start = t.trim_start().get(..16).unwrap_or_default();
            start.to_ascii_lowercase().starts_with("<!doctype html") || start.starts_with("<html")
        });
    let size = body.len();
    match (html, text) {
        (true, Some(text)) => match html_title(text) {
            Some(title) => format!("an HTML page of {size} bytes titled {title:?}"),
            None => format!("an HTML page of {size} bytes"),
        },
        (_, Some(text)) if looks_like_json(text) => {
            format!("malformed JSON of {size} bytes")
        }
        (_, Some(_)) => match essence {
            Some(kind) => format!("{} of {size} bytes", scrub(&kind)),
            None => format!("text of {size} bytes"),
        },
        (_, None) => format!("{size} bytes of binary data"),
    }
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.get(..text.len().min(4096))?.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title = scrub(text.get(start..end)?.trim());
    (!title.is_empty()).then(|| cut(title, 80))
}

/// The shape of a JSON value: `{statusCode: number, data: {token: string(36)}}`.
pub fn value_shape(value: &Value) -> String {
    let mut out = String::new();
    write_shape(&mut out, value, 0);
    out
}

fn write_shape(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(_) => out.push_str("boolean"),
        Value::Number(_) => out.push_str("number"),
        Value::String(s) => {
            let _ = write!(out, "string({})", s.chars().count());
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) if depth >= SHAPE_DEPTH => {
            let _ = write!(out, "[{} items]", items.len());
        }
        Value::Array(items) => {
            out.push('[');
            write_shape(out, &items[0], depth + 1);
            if items.len() > 1 {
                let _ = write!(out, ", … {} items", items.len());
            }
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) if depth >= SHAPE_DEPTH => {
            let _ = write!(out, "{{{} keys}}", map.len());
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index == SHAPE_KEYS {
                    let _ = write!(out, ", … {} more keys", map.len() - SHAPE_KEYS);
                    break;
                }
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&shown_key(key));
                out.push_str(": ");
                write_shape(out, item, depth + 1);
            }
            out.push('}');
        }
    }
}

/// A key as a shape or a JSON pointer may name it: short, plain keys as
/// they are, anything else as `<key>`.
pub fn shown_key(key: &str) -> String {
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '@'));
    if plain && !key.is_empty() && key.len() <= SHAPE_KEY_CHARS && !looks_like_token(key) {
        key.to_owned()
    } else {
        "<key>".to_owned()
    }
}

fn cut(mut text: String, chars: usize) -> String {
    if let Some((index, _)) = text.char_indices().nth(chars) {
        text.truncate(index);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_recognised_and_harmless_ones_are_not() {
        for key in [
            "access_token",
            "id_token",
            "refresh_token",
            "mfaToken",
            "accessToken",
            "ticket",
            "client_secret",
            "password",
            "recoveryCode",
            "qrCodeUri",
            "code",
            "passCode",
            "Authorization",
            "set-cookie",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "token_type",
            "tokenType",
            "expire_in",
            "statusCode",
            "apiCode",
            "message",
            "qrcodeId",
            "token_endpoint_auth_method",
            "tokenExpiresIn",
            "accessKeyId",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn tokens_look_like_tokens_and_ids_do_not() {
        for token in [
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "Xk29dLq8ZpW3vN7bT1cR",
            "JBSWY3DPEHPK3PXP",
            "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX",
        ] {
            assert!(looks_like_token(token), "{token}");
        }
        for word in [
            "934108e5-9fbf-4d24-8da1-c330328abd6c",
            "Operation",
            "successful",
            "sign_in_by_push",
            "0123456789abcdef0123",
            "Invalid-Credentials",
        ] {
            assert!(!looks_like_token(word), "{word}");
        }
    }

    #[test]
    fn scrubbing_hides_tokens_and_secret_parameters_in_text() {
        let text =
            "token Xk29dLq8ZpW3vN7bT1cR is bad; see otpauth://totp/a?secret=abc&issuer=x\u{202E}!";
        let shown = scrub(text);
        assert_eq!(
            shown,
            "token <redacted> is bad; see otpauth://totp/a?secret=<redacted>&issuer=x !"
        );
        assert_eq!(scrub("Operation successful"), "Operation successful");
        assert_eq!(scrub(&"a".repeat(1000)).chars().count(), MESSAGE_CHARS + 1);
    }

    #[test]
    fn shapes_show_keys_types_and_lengths_only() {
        // One key per object: whether keys keep their order depends on
        // serde_json's features, which the workspace unifies.
        let value = serde_json::json!({
            "data": { "access_token": "secret-value" }
        });
        assert_eq!(value_shape(&value), "{data: {access_token: string(12)}}");
        let value = serde_json::json!([[1, 2, 3], { "Xk29dLq8ZpW3vN7bT1cR": true }, null]);
        assert_eq!(value_shape(&value), "[[number, … 3 items], … 3 items]");
        let value = serde_json::json!({ "Xk29dLq8ZpW3vN7bT1cR": [{ "n": null }] });
        assert_eq!(value_shape(&value), "{<key>: [{n: null}]}");
    }

    #[test]
    fn non_json_bodies_are_described_by_kind_and_size() {
        let html = b"<html><head><title>502 Bad Gateway</title></head></html>";
        assert_eq!(
            body_shape(html, Some("text/html")),
            format!(
                "an HTML page of {} bytes titled \"502 Bad Gateway\"",
                html.len()
            )
        );
        assert_eq!(
            body_shape(br#"{"a":"b"#, Some("application/json")),
            "malformed JSON of 7 bytes"
        );
        assert_eq!(body_shape(b"", None), "empty");
        assert_eq!(body_shape(&[0xff, 0xfe], None), "2 bytes of binary data");
    }
}
