//! Following `$ref`s to the components they name.

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};

use super::Lowering;
use crate::diagnostic::Pointer;

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

/// Undoes JSON-pointer (`~1`, `~0`) and URI (`%XX`) escaping in a reference token.
fn unescape(token: &str) -> String {
    let mut bytes = Vec::with_capacity(token.len());
    let mut rest = token.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let decoded = match (first, tail) {
            (b'%', [h, l, ..]) => match (hex(*h), hex(*l)) {
                (Some(h), Some(l)) => Some(h * 16 + l),
                _ => None,
            },
            _ => None,
        };
        match decoded {
            Some(byte) => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            None => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8_lossy(&bytes)
        .replace("~1", "/")
        .replace("~0", "~")
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
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
                self.error(
                    &at,
                    format!(
                        "unsupported reference `{reference}`: only local references to `#/components/{section}/...` are followed here"
                    ),
                );
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
