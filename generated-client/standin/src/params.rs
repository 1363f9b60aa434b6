//! The parameters of protocol requests (OIDC, OAuth, CAS): a query string or
//! a form body, read the way RFC 6749 §3.1 asks.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Uri, header};

/// Request parameters by name. A parameter given with an empty value
/// counts as absent, and one given twice makes the request invalid (RFC
/// 6749 §3.1).
#[derive(Debug, Default)]
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Reads `name=value&…`; the error names a repeated parameter.
    pub(crate) fn parse(input: &[u8]) -> Result<Self, String> {
        let mut params = HashMap::new();
        for (name, value) in form_urlencoded::parse(input) {
            if value.is_empty() {
                continue;
            }
            if params
                .insert(name.clone().into_owned(), value.into_owned())
                .is_some()
            {
                return Err(format!("the {name} parameter is given more than once"));
            }
        }
        Ok(Self(params))
    }

    /// The parameters of a request's query string.
    pub(crate) fn of_query(uri: &Uri) -> Result<Self, String> {
        Self::parse(uri.query().unwrap_or_default().as_bytes())
    }

    /// The parameters of a form body (`application/x-www-form-urlencoded`).
    pub(crate) fn of_form(
        headers: &HeaderMap,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<Self, String> {
        let body = body.map_err(|rejection| {
            format!("cannot read the request body: {}", rejection.body_text())
        })?;
        let is_form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                mime.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !is_form {
            return Err(
                "the request body must be a form (Content-Type: application/x-www-form-urlencoded)"
                    .to_owned(),
            );
        }
        Self::parse(&body)
    }

    /// The value of `name`, unless absent or empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether `name` was given (with a value).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_absent_and_repeats_refused() {
        let params = Params::parse(b"a=1&b=&c=x+y%26").unwrap();
        assert_eq!(params.get("a"), Some("1"));
        assert_eq!(params.get("b"), None);
        assert_eq!(params.get("c"), Some("x y&"));
        assert!(Params::parse(b"a=1&a=2").unwrap_err().contains('a'));
    }
}
