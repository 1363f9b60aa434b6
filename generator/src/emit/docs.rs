//! Spec descriptions as rustdoc: Markdown kept, but nothing rustdoc would
//! misread — no indented text turned into doctests, no bare URLs, no
//! brackets taken for links, no unknown HTML tags.

use proc_macro2::TokenStream;
use quote::quote;

/// HTML tags rustdoc renders; any other `<...>` is escaped.
const HTML_TAGS: &[&str] = &[
    "a", "b", "br", "code", "del", "details", "div", "em", "hr", "i", "img", "kbd", "li", "ol",
    "p", "pre", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "u", "ul",
];

/// Outer doc attributes (`///`) for Markdown the generator wrote (spec text
/// in it must have been through [`spec`]).
pub fn outer(markdown: &str) -> TokenStream {
    let lines = lines(markdown);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`) for Markdown the generator wrote.
pub fn inner(markdown: &str) -> TokenStream {
    let lines = lines(markdown);
    quote! { #( #![doc = #lines] )* }
}

/// Joins the non-empty parts with blank lines, as paragraphs.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `text` as inline code, whatever backticks it contains.
pub fn code(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest_run + 1);
    let pad = if longest_run > 0 { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// The first paragraph of `text`, on one line.
pub fn first_paragraph(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A description from the spec, made safe to place in a doc comment.
pub fn spec(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    // Width of the marker of the list item being continued, if any.
    let mut list_item: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (&fence, marker) {
            (None, Some(marker)) => {
                let info = trimmed
                    .trim_start_matches(marker.chars().next().unwrap_or('`'))
                    .trim();
                // Unlabelled blocks would be compiled as Rust doctests.
                let info = if info.is_empty() || info == "rust" {
                    "text"
                } else {
                    info
                };
                lines.push(format!("{marker}{info}"));
                fence = Some(marker.to_owned());
            }
            (Some(open), Some(marker)) if open == marker => {
                lines.push(marker.to_owned());
                fence = None;
            }
            (Some(_), _) => lines.push(line.to_owned()),
            // Indentation outside a fence would make an indented code block;
            // a list item's continuation lines are indented to the item's text.
            (None, None) => {
                let marker = list_marker(trimmed);
                let indent = match (marker, list_item) {
                    (None, Some(width)) if !trimmed.is_empty() => width,
                    _ => 0,
                };
                if trimmed.is_empty() {
                    list_item = None;
                } else if marker.is_some() {
                    list_item = marker;
                }
                lines.push(format!("{}{}", " ".repeat(indent), escape(trimmed)));
            }
        }
    }
    if let Some(open) = fence {
        lines.push(open);
    }
    lines.join("\n")
}

/// The lines of a doc comment, each with the leading space `///` output
/// expects: no blank lines at either end, and never two in a row.
fn lines(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in markdown.lines().map(str::trim_end) {
        if line.is_empty() && out.last().is_none_or(String::is_empty) {
            continue;
        }
        out.push(line.to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// The width of the list marker (`- `, `* `, `+ `, `1. `) a line starts with.
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = line.get(digits..).unwrap_or_default();
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Escapes one line of Markdown outside code spans.
fn escape(line: &str) -> String {
    // Odd-numbered pieces between backticks are code spans, left as written.
    line.split('`')
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                piece.to_owned()
            } else {
                escape_text(piece)
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(8).collect();
        let previous = if i > 0 { Some(chars[i - 1]) } else { None };
        if (rest.starts_with("http://") || rest.starts_with("https://"))
            && !matches!(previous, Some('<' | '(' | '"' | '\''))
        {
            let end = url_end(&chars, i);
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
            continue;
        }
        match c {
            '[' | ']' if !is_link_bracket(&chars, i) => {
                out.push('\\');
                out.push(c);
            }
            '<' if !is_known_tag(&chars[i + 1..]) => out.push_str("&lt;"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Where a bare URL starting at `start` ends: at whitespace, a closing
/// delimiter or non-ASCII text, without trailing punctuation.
fn url_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() {
        let c = chars[end];
        if c.is_whitespace() || !c.is_ascii() || matches!(c, ')' | '>' | ']' | '"' | '\'' | '<') {
            break;
        }
        end += 1;
    }
    while end > start && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
        end -= 1;
    }
    end
}

/// Whether the bracket at `at` belongs to a Markdown link `[text](url)`.
fn is_link_bracket(chars: &[char], at: usize) -> bool {
    let close = if chars[at] == '[' {
        chars[at..].iter().position(|&c| c == ']').map(|p| at + p)
    } else {
        Some(at)
    };
    match close {
        Some(close) => {
            let opened = chars[..close].contains(&'[');
            opened && chars.get(close + 1) == Some(&'(')
        }
        None => false,
    }
}

/// Whether `after` (the text after a `<`) starts a tag rustdoc knows or an autolink.
fn is_known_tag(after: &[char]) -> bool {
    let text: String = after.iter().take(16).collect();
    if text.starts_with("http://") || text.starts_with("https://") {
        return true;
    }
    let name: String = text
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let terminated = text
        .trim_start_matches('/')
        .chars()
        .nth(name.len())
        .is_some_and(|c| c == '>' || c == ' ' || c == '/');
    terminated && HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Vec<String> {
        lines(&spec(text))
    }

    #[test]
    fn keeps_markdown_but_drops_indentation_and_extra_blank_lines() {
        assert_eq!(
            doc("\n  First line.\n\n\n    - `openid`: needed\n      "),
            vec![" First line.", "", " - `openid`: needed"]
        );
    }

    #[test]
    fn quotes_code_with_enough_backticks() {
        assert_eq!(code("PUSHED"), "`PUSHED`");
        assert_eq!(code("a`b"), "`` a`b ``");
    }

    #[test]
    fn leaves_the_generators_own_markdown_alone() {
        assert_eq!(
            lines("See [`Client::x`](super::Client::x).\n\n"),
            vec![" See [`Client::x`](super::Client::x)."]
        );
    }

    #[test]
    fn indents_the_continuation_lines_of_list_items() {
        assert_eq!(
            doc("Kinds:\n- `a`: one\n  more about a\n10. ten\nstill ten\n\nAfter."),
            vec![
                " Kinds:",
                " - `a`: one",
                "   more about a",
                " 10. ten",
                "     still ten",
                "",
                " After."
            ]
        );
    }

    #[test]
    fn labels_fences_so_they_are_not_doctests_and_closes_them() {
        assert_eq!(
            doc("```\nBasic x\n```"),
            vec![" ```text", " Basic x", " ```"]
        );
        assert_eq!(doc("```js\nlet a\n"), vec![" ```js", " let a", " ```"]);
    }

    #[test]
    fn wraps_bare_urls_and_leaves_links_alone() {
        assert_eq!(
            doc("See https://docs.genauth.ai/a.html. Or [docs](https://x.io) or <https://y.io>"),
            vec![
                " See <https://docs.genauth.ai/a.html>. Or [docs](https://x.io) or <https://y.io>"
            ]
        );
        assert_eq!(doc("见https://a.cn/x。"), vec![" 见<https://a.cn/x>。"]);
    }

    #[test]
    fn escapes_stray_brackets_and_unknown_tags() {
        assert_eq!(
            doc("ids [\"x\"] and a[0]"),
            vec![" ids \\[\"x\"\\] and a\\[0\\]"]
        );
        assert_eq!(
            doc("Basic base64(<client_id>:<secret>) <br> <details>"),
            vec![" Basic base64(&lt;client_id>:&lt;secret>) <br> <details>"]
        );
        assert_eq!(doc("`a[0] <b>`"), vec![" `a[0] <b>`"]);
    }
}
