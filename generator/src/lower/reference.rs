//! Following `$ref`s to the components they name.

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};

use super::Lowering;
use crate::diagnostic::Pointer;
use crate::parse::references::unescape;

/// How many references in a row are followed before giving up on a loop.
const MAX_HOPS: usize = 32;

/// The component a local reference names: `name` in `#/components/{section}/{name}`.
pub(super) fn component_name(reference: &str, section: &str) -> Option<String> {
    let rest = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    if rest.contains('/') {
        return None;
    }
    Some(unescape(rest))
}

impl<'a> Lowering<'a> {
    /// Follows `item` through `#/components/{section}` until it reaches a
    /// definition. Returns the definition and where it lives, or records an
    /// error at `pointer` and returns `None`.
    pub(super) fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        section: &str,
        components: fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        pointer: &Pointer,
    ) -> Option<(&'a T, Pointer)> {
        let mut current = item;
        let mut at = pointer.clone();
        for _ in 0..MAX_HOPS {
            let reference = match current {
                ReferenceOr::Item(definition) => return Some((definition, at)),
                ReferenceOr::Reference { reference } => reference,
            };
            let Some(name) = component_name(reference, section) else {
                self.error(&at, unfollowed(reference, section));
                return None;
            };
            let Some(next) = self
                .spec
                .components
                .as_ref()
                .map(components)
                .and_then(|map| map.get(&name))
            else {
                self.error(
                    &at,
                    format!("`{reference}` names a component that does not exist"),
                );
                return None;
            };
            current = next;
            at = Pointer::root().push("components").push(section).push(&name);
        }
        self.error(
            pointer,
            "these references form a loop and never reach a definition",
        );
        None
    }
}

/// Why `reference`, where a `#/components/{section}/...` node was
/// expected, is not followed. Parsing has moved every node a local
/// reference reaches into the components.
pub(super) fn unfollowed(reference: &str, section: &str) -> String {
    match crate::parse::references::local_tokens(reference) {
        Some(tokens) if tokens.len() == 3 && tokens[0] == "components" => format!(
            "`{reference}` names a component of `{}` where a {} is expected",
            tokens[1],
            singular(section)
        ),
        Some(_) => format!("`{reference}` points at nothing in this document"),
        None => format!(
            "`{reference}` refers to another document, which is not read; bundle the spec into one document first"
        ),
    }
}

fn singular(section: &str) -> &str {
    match section {
        "schemas" => "schema",
        "parameters" => "parameter",
        "requestBodies" => "request body",
        "responses" => "response",
        "headers" => "header",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_component_names() {
        assert_eq!(
            component_name("#/components/schemas/UserDto", "schemas").as_deref(),
            Some("UserDto")
        );
        assert_eq!(
            component_name("#/components/schemas/a~1b%20c", "schemas").as_deref(),
            Some("a/b c")
        );
        assert_eq!(
            component_name("#/components/responses/UserDto", "schemas"),
            None
        );
        assert_eq!(
            component_name("other.yaml#/components/schemas/X", "schemas"),
            None
        );
        assert_eq!(
            component_name("#/components/schemas/X/properties/y", "schemas"),
            None
        );
    }
}
