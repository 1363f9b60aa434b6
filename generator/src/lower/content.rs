//! The media types a request body can be sent as besides its default: the
//! ones the spec offers that the same inputs can be sent as, each chosen by
//! a method of the request.

use openapiv3::{MediaType, RequestBody};

use super::Lowering;
use super::operation::{body_encoding, essence};
use crate::diagnostic::Pointer;
use crate::model::{Alternative, Alternatives, Body, BodyEncoding, BodyPart};
use crate::names::{self, Scope};

impl<'a> Lowering<'a> {
    /// The alternatives to `lowered`, the body `body` (at `at`) is sent as
    /// by default, described there by `default`; `None` when there are none.
    /// Names are claimed in `scope`, after the inputs, which keep theirs.
    pub(super) fn alternatives(
        &mut self,
        body: &'a RequestBody,
        at: &Pointer,
        default: &'a MediaType,
        lowered: &Body,
        scope: &mut Scope,
    ) -> Option<Alternatives> {
        let mut sent = vec![essence(&lowered.media_type)];
        let mut found = Vec::new();
        for (media_type, media) in &body.content {
            let media_at = at.push("content").push(media_type);
            let kind = essence(media_type);
            // A wildcard says what a server accepts, not a type to send.
            if sent.contains(&kind) || kind.contains('*') {
                continue;
            }
            let Some(encoding) = body_encoding(media_type) else {
                self.warning(
                    &media_at,
                    format!(
                        "request bodies of this media type are not supported; the operation sends `{}` instead",
                        lowered.media_type
                    ),
                );
                continue;
            };
            let same_object = lowered.by_field && self.same_schema(default, media);
            let parts = match (lowered.encoding, encoding) {
                (BodyEncoding::Json, BodyEncoding::Json) if self.same_schema(default, media) => {
                    Vec::new()
                }
                (BodyEncoding::Binary, BodyEncoding::Binary)
                | (BodyEncoding::Text, BodyEncoding::Text) => Vec::new(),
                (BodyEncoding::Json, BodyEncoding::Form) if same_object => Vec::new(),
                (BodyEncoding::Json | BodyEncoding::Form, BodyEncoding::Multipart)
                    if same_object =>
                {
                    match self.body_parts(lowered, media, &media_at) {
                        Some(parts) => parts,
                        None => continue,
                    }
                }
                // Another shape of inputs; the default is still sent.
                _ => continue,
            };
            sent.push(kind);
            found.push((media_type, media_at, encoding, parts));
        }
        if found.is_empty() {
            return None;
        }
        // A field of the request: it must not take an input's name.
        let field = scope.claim("content_type".to_owned(), "_").name;
        let offered = found
            .into_iter()
            .map(|(media_type, media_at, encoding, parts)| Alternative {
                method: self.claim(
                    scope,
                    method_name(media_type, encoding),
                    "_",
                    "method",
                    &media_at,
                ),
                media_type: media_type.clone(),
                encoding,
                parts,
            })
            .collect();
        Some(Alternatives { field, offered })
    }

    /// Whether two media types of a body describe it with the same schema,
    /// or with equal ones.
    fn same_schema(&self, one: &'a MediaType, other: &'a MediaType) -> bool {
        match (&one.schema, &other.schema) {
            (None, None) => true,
            (Some(one), Some(other)) => {
                one == other
                    || matches!(
                        (self.resolved_schema(one.into()), self.resolved_schema(other.into())),
                        (Some(one), Some(other)) if one == other
                    )
            }
            _ => false,
        }
    }

    /// The parts the fields of the object body `lowered` become in the
    /// `multipart/form-data` body `media`; `None` when one would be a file,
    /// or the body has keys no field names, which a form cannot send from
    /// the same inputs.
    fn body_parts(
        &mut self,
        lowered: &Body,
        media: &'a MediaType,
        media_at: &Pointer,
    ) -> Option<Vec<BodyPart>> {
        let fields = self.struct_fields(&lowered.ty)?;
        let schema = media.schema.as_ref()?;
        let files = self.file_properties(schema.into(), &media_at.push("schema"))?;
        if fields.iter().any(|field| field.additional) || !files.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        for field in fields {
            let content_type = self.part_content_type(media, &field.wire_name, media_at);
            parts.push(BodyPart {
                kind: self.value_part(&field.ty),
                field: field.name,
                wire_name: field.wire_name,
                content_type,
            });
        }
        Some(parts)
    }
}

/// The request method that chooses `media_type`: `as_form`, `as_multipart`,
/// `as_text` for `text/plain`, otherwise `as_` and the subtype's words
/// (`as_png`, `as_merge_patch_json`).
fn method_name(media_type: &str, encoding: BodyEncoding) -> String {
    let kind = essence(media_type);
    match (encoding, kind.as_str()) {
        (BodyEncoding::Form, _) => "as_form".to_owned(),
        (BodyEncoding::Multipart, _) => "as_multipart".to_owned(),
        (_, "text/plain") => "as_text".to_owned(),
        _ => {
            let subtype = kind.split_once('/').map_or(kind.as_str(), |(_, s)| s);
            names::value_name(&format!("as {subtype}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_read_as_the_media_type() {
        let name = |media_type| method_name(media_type, body_encoding(media_type).unwrap());
        assert_eq!(name("application/x-www-form-urlencoded"), "as_form");
        assert_eq!(name("multipart/form-data; charset=utf-8"), "as_multipart");
        assert_eq!(name("application/merge-patch+json"), "as_merge_patch_json");
        assert_eq!(name("image/PNG"), "as_png");
        assert_eq!(name("text/plain; charset=utf-8"), "as_text");
        assert_eq!(name("application/json"), "as_json");
        assert_eq!(name("x/y\"); panic!()"), "as_y");
    }
}
