//! Media types: what a response is documented to carry, and whether the
//! `Content-Type` it arrives with fits.
//!
//! The check is lenient where servers are careless and strict where a
//! mismatch means the answer is something else: a missing or `*/*` type
//! says nothing, so the body is read as documented; a JSON result may
//! arrive as `text/plain` (a common misconfiguration; the JSON decoder then
//! decides), but not as an HTML page or a file; a text or binary result
//! that arrives as JSON or HTML the spec does not document is an error
//! object or error page, not the result.

/// The kind of body a successful response is documented to carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    /// A JSON value.
    Json,
    /// Text, of one of the listed media types.
    Text(&'static [&'static str]),
    /// Bytes, of one of the listed media types.
    Binary(&'static [&'static str]),
}

impl Expected {
    /// The listed media types, for the `Accept` header; none for JSON,
    /// which the client has always asked for by default.
    pub(crate) fn media_types(self) -> &'static [&'static str] {
        match self {
            Self::Json => &[],
            Self::Text(types) | Self::Binary(types) => types,
        }
    }

    /// What the operation expects, as an error message names it.
    pub(crate) fn describe(self) -> String {
        match self {
            Self::Json => "JSON".to_owned(),
            Self::Text(types) | Self::Binary(types) if types.is_empty() => "a file".to_owned(),
            Self::Text(types) | Self::Binary(types) => types.join(" or "),
        }
    }

    /// Whether a response of `content_type` carries what is expected.
    /// Compares without allocating: it runs on every response.
    pub(crate) fn fits(self, content_type: Option<&str>) -> bool {
        let Some(arrived) = content_type.and_then(essence_of) else {
            return true;
        };
        if arrived == "*/*" || self.media_types().iter().any(|t| matches(t, arrived)) {
            return true;
        }
        match self {
            Self::Json => is_json(arrived) || arrived.eq_ignore_ascii_case("text/plain"),
            Self::Text(_) | Self::Binary(_) => {
                !is_json(arrived) && !arrived.eq_ignore_ascii_case("text/html")
            }
        }
    }
}

/// The media type without its parameters, as written; `None` when empty.
fn essence_of(content_type: &str) -> Option<&str> {
    let essence = content_type.split(';').next()?.trim();
    (!essence.is_empty()).then_some(essence)
}

/// The media type without its parameters, lower-cased; `None` when empty.
pub(crate) fn essence(content_type: &str) -> Option<String> {
    essence_of(content_type).map(str::to_ascii_lowercase)
}

/// The media type as an error may show it: its essence, with anything but
/// the characters of a media type left out, and cut short.
pub(crate) fn shown(content_type: &str) -> String {
    essence(content_type)
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "/+.-_*".contains(*c))
        .take(100)
        .collect()
}

fn is_json(essence: &str) -> bool {
    let suffix = essence
        .len()
        .checked_sub("+json".len())
        .and_then(|at| essence.get(at..));
    essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("text/json")
        || suffix.is_some_and(|s| s.eq_ignore_ascii_case("+json"))
}

/// Whether `documented` (possibly `type/*` or `*/*`) covers `arrived`,
/// both essences, compared without regard to case.
fn matches(documented: &str, arrived: &str) -> bool {
    let Some(documented) = essence_of(documented) else {
        return false;
    };
    match documented.strip_suffix("/*") {
        Some("*") => true,
        Some(kind) => arrived
            .split('/')
            .next()
            .is_some_and(|a| a.eq_ignore_ascii_case(kind)),
        None => documented.eq_ignore_ascii_case(arrived),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: Expected = Expected::Binary(&["application/pdf"]);
    const IMAGE: Expected = Expected::Binary(&["image/*"]);
    const TEXT: Expected = Expected::Text(&["text/plain"]);

    #[test]
    fn a_missing_or_uninformative_content_type_is_read_as_documented() {
        for expected in [Expected::Json, PDF, TEXT] {
            assert!(expected.fits(None));
            assert!(expected.fits(Some("")));
            assert!(expected.fits(Some("*/*")));
        }
    }

    #[test]
    fn parameters_and_case_do_not_matter() {
        assert!(Expected::Json.fits(Some("Application/JSON; charset=UTF-8")));
        assert!(Expected::Json.fits(Some("application/problem+json")));
        assert!(PDF.fits(Some("application/PDF;name=x")));
        assert!(IMAGE.fits(Some("image/png")));
    }

    #[test]
    fn json_may_come_as_plain_text_but_not_as_a_page_or_a_file() {
        assert!(Expected::Json.fits(Some("text/plain; charset=utf-8")));
        assert!(!Expected::Json.fits(Some("text/html; charset=utf-8")));
        assert!(!Expected::Json.fits(Some("application/octet-stream")));
        assert!(!Expected::Json.fits(Some("image/png")));
    }

    #[test]
    fn files_and_text_are_not_json_or_html_unless_documented() {
        for expected in [PDF, TEXT] {
            assert!(!expected.fits(Some("application/json")));
            assert!(!expected.fits(Some("text/html")));
        }
        assert!(PDF.fits(Some("application/octet-stream")));
        assert!(TEXT.fits(Some("text/csv")));
        assert!(Expected::Text(&["text/html"]).fits(Some("text/html")));
        assert!(Expected::Binary(&["application/json"]).fits(Some("application/json")));
    }

    #[test]
    fn shown_types_carry_nothing_but_a_media_type() {
        assert_eq!(shown("text/html; charset=utf-8"), "text/html");
        assert_eq!(shown("text/x\u{7}<script>"), "text/xscript");
    }
}
