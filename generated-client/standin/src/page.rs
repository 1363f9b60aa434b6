//! Short HTML pages and redirects, for the endpoints a browser visits:
//! authorization, logout and CAS login.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A minimal HTML page with a title and one paragraph, escaped.
pub(crate) fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let title = escape(title);
    let message = escape(message);
    let html = format!(
        "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body>\n<h1>{title}</h1>\n<p>{message}</p>\n</body>\n</html>\n"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// A 400 page: what a browser is shown for a request that cannot be
/// answered with a redirect.
pub(crate) fn bad_request(message: &str) -> Response {
    page(StatusCode::BAD_REQUEST, "Bad request", message)
}

/// A `302 Found` to `location`, which must already be a valid URL.
pub(crate) fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        // Callers check their URLs first; a URL that is no header value is
        // still answered, not a panic.
        Err(_) => bad_request("the redirect URL contains characters a URL cannot hold"),
    }
}

/// Whether `url` is something to redirect a browser to: an absolute URL
/// with a scheme and a host, no fragment (RFC 6749 §3.1.2), and nothing a
/// `Location` header cannot carry.
pub(crate) fn is_redirect_url(url: &str) -> bool {
    let Ok(uri) = url.parse::<axum::http::Uri>() else {
        return false;
    };
    uri.scheme().is_some() && uri.authority().is_some() && !url.contains('#')
}

/// `url` with `pairs` added to its query string, form-encoded.
pub(crate) fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let separator = match url.find('?') {
        None => "?",
        Some(at) if at + 1 == url.len() || url.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{url}{separator}{}", encode(pairs))
}

/// `pairs` form-encoded, as a query string or fragment carries them.
pub(crate) fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Text made safe to put in HTML or XML, inside elements and quoted
/// attributes alike.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_appended_and_encoded() {
        let pairs = [("code", "a b"), ("state", "x&y=z")];
        assert_eq!(
            with_query("https://app.example/cb", &pairs),
            "https://app.example/cb?code=a+b&state=x%26y%3Dz"
        );
        assert_eq!(
            with_query("https://app.example/cb?k=v", &pairs[..1]),
            "https://app.example/cb?k=v&code=a+b"
        );
        assert_eq!(
            with_query("https://app.example/cb?", &pairs[..1]),
            "https://app.example/cb?code=a+b"
        );
    }

    #[test]
    fn redirect_urls_are_absolute_without_fragment() {
        assert!(is_redirect_url("http://127.0.0.1:9/cb?x=1"));
        assert!(!is_redirect_url("/cb"));
        assert!(!is_redirect_url("https://app.example/cb#frag"));
        assert!(!is_redirect_url("https://app.example/c b"));
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
