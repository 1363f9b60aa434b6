//! What the generator reports about a spec, and where in it.

use std::fmt;

/// A JSON pointer (RFC 6901) into the spec document, such as
/// `/paths/~1api~1v3~1signin/post/requestBody`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Self {
        Self::default()
    }

    /// The child of this node named `token` (an object key or array index).
    pub fn push(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{token}", self.0))
    }

    /// The pointer text; empty for the document root.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("the document root")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec is broken or cannot be generated at all; nothing is written.
    Error,
    /// Generation went on, but something in the spec was skipped or approximated.
    Warning,
}

/// One finding about the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pointer: Pointer,
    pub message: String,
}

impl Diagnostic {
    pub fn error(pointer: Pointer, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            pointer,
            message: message.into(),
        }
    }

    pub fn warning(pointer: Pointer, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            pointer,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Spec text in a message must not drive the terminal it is shown on.
        let pointer = crate::text::escaped(&self.pointer.to_string());
        let message = crate::text::escaped(&self.message);
        write!(f, "{label} at {pointer}: {message}")
    }
}

/// Generation failed: the spec has at least one error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Every finding, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| d.severity);
        Self { diagnostics }
    }

    /// The findings of error severity.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors().count();
        write!(
            f,
            "the spec cannot be generated ({count} error{})",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.diagnostics {
            write!(f, "\n  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        let pointer = Pointer::root()
            .push("paths")
            .push("/api/v3/a~b")
            .push("post");
        assert_eq!(pointer.as_str(), "/paths/~1api~1v3~1a~0b/post");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let d = Diagnostic::warning(Pointer::root().push("a\u{1b}[2J"), "`x\ny`");
        assert_eq!(d.to_string(), "warning at /a\\u{1b}[2J: `x\\ny`");
    }

    #[test]
    fn root_pointer_is_named_in_messages() {
        let d = Diagnostic::error(Pointer::root(), "not a mapping");
        assert_eq!(d.to_string(), "error at the document root: not a mapping");
    }
}
