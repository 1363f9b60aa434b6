//! `multipart/form-data` bodies (RFC 7578), encoded once to bytes so that
//! a retry resends exactly what the first attempt sent.
//!
//! Encoding here rather than with `reqwest::multipart::Form`: a `Form` is a
//! one-shot stream, so every attempt would have to rebuild it, and the
//! hooks could not be told the body's size; bytes are cloned for free.

use bytes::{BufMut, Bytes, BytesMut};

/// A file sent as one part of a `multipart/form-data` body: its bytes, and
/// the file name and content type the part declares. `Debug` shows the
/// size of the bytes, never the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes, without a file name; sent as
    /// `application/octet-stream` unless the spec or
    /// [`content_type`](Self::content_type) says otherwise.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the part declares, such as `avatar.png`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type of the part, such as `image/png`; it takes
    /// precedence over the type the spec documents.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    pub(crate) fn file_name_declared(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    pub(crate) fn content_type_declared(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(bytes)
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// The files an input holds: one, none or several, each sent as a part of
/// the same name.
pub trait Files {
    /// The files, in order.
    fn files(&self) -> &[FilePart];
}

impl Files for FilePart {
    fn files(&self) -> &[FilePart] {
        std::slice::from_ref(self)
    }
}

impl Files for Option<FilePart> {
    fn files(&self) -> &[FilePart] {
        self.as_slice()
    }
}

impl Files for Vec<FilePart> {
    fn files(&self) -> &[FilePart] {
        self
    }
}

impl Files for Option<Vec<FilePart>> {
    fn files(&self) -> &[FilePart] {
        self.as_deref().unwrap_or_default()
    }
}

/// One part of a form.
#[derive(Clone)]
pub(crate) struct Part {
    pub(crate) name: &'static str,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) bytes: Bytes,
}

/// The encoded body and its boundary, which the content type names.
pub(crate) fn encode(parts: &[Part]) -> (Bytes, String) {
    let mut boundary = new_boundary();
    while parts
        .iter()
        .any(|p| contains(&p.bytes, boundary.as_bytes()))
    {
        boundary = new_boundary();
    }
    let size: usize = parts.iter().map(|p| p.bytes.len() + 200).sum();
    let mut body = BytesMut::with_capacity(size + boundary.len() + 8);
    for part in parts {
        body.put_slice(b"--");
        body.put_slice(boundary.as_bytes());
        body.put_slice(b"\r\ncontent-disposition: form-data; name=\"");
        body.put_slice(quoted(part.name).as_bytes());
        body.put_slice(b"\"");
        if let Some(file_name) = &part.file_name {
            body.put_slice(b"; filename=\"");
            body.put_slice(quoted(file_name).as_bytes());
            body.put_slice(b"\"");
        }
        body.put_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            body.put_slice(b"content-type: ");
            body.put_slice(quoted(content_type).as_bytes());
            body.put_slice(b"\r\n");
        }
        body.put_slice(b"\r\n");
        body.put_slice(&part.bytes);
        body.put_slice(b"\r\n");
    }
    body.put_slice(b"--");
    body.put_slice(boundary.as_bytes());
    body.put_slice(b"--\r\n");
    (body.freeze(), boundary)
}

/// A boundary of 32 random letters and digits.
fn new_boundary() -> String {
    let mut boundary = String::with_capacity(48);
    boundary.push_str("genauth-");
    boundary.extend(std::iter::repeat_with(fastrand::alphanumeric).take(32));
    boundary
}

/// A name for a quoted header parameter, escaped as browsers do (the HTML
/// standard's form encoding): quotes and line breaks percent-encoded, so a
/// name cannot end the parameter or add a header.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_line_breaks_cannot_escape_a_name() {
        let part = Part {
            name: "a\"; x=\"y",
            file_name: Some("evil\r\nx-injected: 1.png".to_owned()),
            content_type: None,
            bytes: Bytes::from_static(b"data"),
        };
        let (body, boundary) = encode(&[part]);
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"a%22; x=%22y\""), "{text}");
        assert!(
            text.contains("filename=\"evil%0D%0Ax-injected: 1.png\""),
            "{text}"
        );
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn the_boundary_never_occurs_in_a_part() {
        let (first, boundary) = encode(&[]);
        assert_eq!(first, format!("--{boundary}--\r\n").as_bytes());
        assert!(contains(b"xx--abc--", b"abc"));
        assert!(!contains(b"xx--ab", b"abc"));
    }

    #[test]
    fn debug_shows_the_size_not_the_bytes() {
        let file = FilePart::new(b"secret-bytes".to_vec()).file_name("a.txt");
        let shown = format!("{file:?}");
        assert!(
            shown.contains("<12 bytes>") && !shown.contains("secret"),
            "{shown}"
        );
    }
}
