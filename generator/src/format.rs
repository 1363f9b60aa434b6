//! Stage 4: token streams to source text, formatted by `prettyplease` and
//! headed by the `@generated` line.

use proc_macro2::TokenStream;

/// Formats the head of a file, or an item at its top level. Fails only if
/// the emitter produced tokens that are not Rust, which is a bug in the
/// generator, not in the spec.
pub fn item(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(prettyplease::unparse(&file))
}

/// Formats an item that sits in `block` (such as `impl Client`): the item's
/// lines as they appear inside the block.
pub fn member(block: &TokenStream, tokens: TokenStream) -> Result<String, syn::Error> {
    let text = item(quote::quote!(#block { #tokens }))?;
    let inside = text
        .split_once('\n')
        .and_then(|(_, rest)| rest.strip_suffix("}\n"));
    Ok(inside.unwrap_or_default().to_owned())
}

/// The line that opens the block items sit in, such as `impl Client {`.
pub fn opening(block: &TokenStream) -> Result<String, syn::Error> {
    let open = item(quote::quote!(#block {}))?;
    Ok(format!(
        "{} {{\n",
        open.trim_end().trim_end_matches("{}").trim_end()
    ))
}

/// The text of a whole file from its formatted and spaced parts (see
/// [`space_out`]), its items inside the block `opening` opens if any, as
/// `prettyplease` would format the file in one piece, headed by the
/// `@generated` line.
pub fn file(preamble: &str, head: &str, opening: Option<&str>, items: &[String]) -> String {
    let size = head.len() + items.iter().map(String::len).sum::<usize>() + items.len();
    let mut text = String::with_capacity(preamble.len() + size + 16);
    text.push_str("// ");
    text.push_str(preamble);
    text.push('\n');
    let parts = std::iter::once(head)
        .chain(opening)
        .chain(items.iter().map(String::as_str))
        .chain(opening.map(|_| "}\n"));
    let mut previous: Option<&str> = None;
    for part in parts {
        if let (Some(previous), Some(first)) = (previous, part.lines().next())
            && gap(previous, first)
        {
            text.push('\n');
        }
        text.push_str(part);
        if let Some(last) = part.lines().last() {
            previous = Some(last);
        }
    }
    text
}

/// Puts a blank line between items, which token streams cannot carry:
/// after the module docs, and after an item that ends a line at the same
/// indentation as the next item. Parts of a file spaced one by one and
/// joined by [`file`] read as the whole file spaced at once.
pub fn space_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = None;
    for line in text.lines() {
        if previous.is_some_and(|previous| gap(previous, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// Whether a blank line goes between these two lines.
fn gap(previous: &str, line: &str) -> bool {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "impl", "fn ", "const ", "type ", "mod ", "use ", "struct ",
        "enum ",
    ];
    const ONE_LINERS: &[&str] = &["use ", "pub use ", "mod ", "pub mod ", "type "];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (prev, cur) = (previous.trim(), line.trim());
    let same_kind_one_liners = ONE_LINERS.iter().any(|k| prev.starts_with(k))
        && ONE_LINERS.iter().any(|k| cur.starts_with(k));
    let after_item = !prev.starts_with("//")
        && (prev.ends_with('}') || prev.ends_with(';'))
        && indent(previous) == indent(line)
        && ITEM_STARTS.iter().any(|s| cur.starts_with(s))
        && !same_kind_one_liners;
    let after_module_doc = prev.starts_with("//!") && !cur.starts_with("//!");
    after_item || after_module_doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_splits_a_doc_comment() {
        let text = "/// Ends like code;\n/// and goes on }\n/// to the end.\npub struct A;\n";
        assert_eq!(space_out(text), text);
    }

    #[test]
    fn spaces_items_but_not_statements_or_fields() {
        let text = "//! Docs.\nuse a::b;\nuse c::d;\npub struct A {\n    pub x: i64,\n    /// y\n    pub y: i64,\n}\nimpl A {\n    fn f() {\n        let a = 1;\n        let b = 2;\n    }\n    fn g() {}\n}\n";
        assert_eq!(
            space_out(text),
            "//! Docs.\n\nuse a::b;\nuse c::d;\n\npub struct A {\n    pub x: i64,\n    /// y\n    pub y: i64,\n}\n\nimpl A {\n    fn f() {\n        let a = 1;\n        let b = 2;\n    }\n\n    fn g() {}\n}\n"
        );
    }
}
