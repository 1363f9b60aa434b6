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

/// The text of a whole file from its formatted parts, as `prettyplease`
/// would format the file in one piece, spaced and headed by the
/// `@generated` line.
pub fn file(
    preamble: &str,
    head: &str,
    block: Option<&TokenStream>,
    items: &[String],
) -> Result<String, syn::Error> {
    let mut text = String::with_capacity(head.len() + items.iter().map(String::len).sum::<usize>());
    text.push_str(head);
    match block {
        Some(block) => {
            // `impl Client {}` opens the block, on a line of its own.
            let open = item(quote::quote!(#block {}))?;
            text.push_str(open.trim_end().trim_end_matches("{}").trim_end());
            text.push_str(" {\n");
            items.iter().for_each(|member| text.push_str(member));
            text.push_str("}\n");
        }
        None => items.iter().for_each(|item| text.push_str(item)),
    }
    Ok(format!("// {preamble}\n{}", space_out(&text)))
}

/// Puts a blank line between items, which token streams cannot carry:
/// after the module docs, and after an item that ends a line at the same
/// indentation as the next item.
fn space_out(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "impl", "fn ", "const ", "type ", "mod ", "use ", "struct ",
        "enum ",
    ];
    const ONE_LINERS: &[&str] = &["use ", "pub use ", "mod ", "pub mod ", "type "];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        if let Some(previous) = i.checked_sub(1).and_then(|p| lines.get(p)) {
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
            if after_item || after_module_doc {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
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
