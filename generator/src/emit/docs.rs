//! Spec descriptions as rustdoc. Spec text is documentation, never code:
//! rustdoc compiles every indented block and every fenced block whose label
//! is empty or names a Rust attribute (`should_panic`, `edition2021`, even
//! `text,no_run`), so every code block from a spec becomes a fenced block
//! labelled exactly `text`, wherever it sits, and every doc comment is read
//! with the Markdown parser rustdoc uses before it is emitted. Markdown is
//! otherwise kept, but with nothing else rustdoc would misread: no bare
//! URLs, no brackets taken for links, no unknown HTML tags, and no control
//! or bidirectional characters.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use quote::quote;

use crate::text;

/// HTML tags rustdoc renders; any other `<...>` is escaped.
const HTML_TAGS: &[&str] = &[
    "a", "b", "br", "code", "del", "details", "div", "em", "hr", "i", "img", "kbd", "li", "ol",
    "p", "pre", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "u", "ul",
];

/// The one code block label rustdoc neither compiles nor runs.
const TEXT: &str = "text";

/// Outer doc attributes (`///`) for Markdown the generator wrote (spec text
/// in it must have been through [`spec`], [`code`] or [`title`]); while an
/// item is formatted by [`set_aside`], one attribute that stands for them.
pub fn outer(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    match stand_in(lines) {
        Ok(stand_in) => stand_in,
        Err(lines) => quote! { #( #[doc = #lines] )* },
    }
}

thread_local! {
    /// The doc comments of the item [`set_aside`] is formatting, in the
    /// order their stand-ins were made; `None` outside it.
    static ASIDE: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// How a stand-in's text begins. Doc lines never hold a control character
/// (see [`text::visible_lines`]) and formatted code holds none unescaped,
/// so a formatted line `///\u{1}N` can only be the stand-in for docs `N`.
const STAND_IN: &str = "\u{1}";

/// Formats the item that `format` emits with its doc comments set aside:
/// each comment goes through the formatter as a stand-in of a few
/// characters, and its lines are put back in the formatted text as the
/// formatter prints them. As tokens, doc text (a fifth of what Microsoft
/// Graph's crate holds) would be escaped into string literals, parsed back
/// and printed again: a sixth of the instructions of a whole generation.
pub fn set_aside(
    format: impl FnOnce() -> Result<String, syn::Error>,
) -> Result<String, syn::Error> {
    let outer = ASIDE.replace(Some(Vec::new()));
    let formatted = format();
    let aside = ASIDE.replace(outer).unwrap_or_default();
    put_back(formatted?, &aside)
}

/// The stand-in for doc `lines`, if an item is being formatted by
/// [`set_aside`] and the formatter prints each line as `///` and the line.
fn stand_in(lines: Vec<String>) -> Result<TokenStream, Vec<String>> {
    // prettyplease prints other lines as attributes or block comments.
    if lines
        .iter()
        .any(|line| line.starts_with('/') || line.contains('\n'))
    {
        return Err(lines);
    }
    ASIDE.with_borrow_mut(|aside| match aside {
        Some(aside) => {
            let text = format!("{STAND_IN}{}", aside.len());
            aside.push(lines);
            Ok(quote! { #[doc = #text] })
        }
        None => Err(lines),
    })
}

/// `formatted` with each stand-in line replaced by its doc lines, at its
/// indentation, as prettyplease prints a doc line: `///`, then the line
/// without its trailing spaces.
fn put_back(formatted: String, aside: &[Vec<String>]) -> Result<String, syn::Error> {
    if aside.is_empty() {
        return Ok(formatted);
    }
    let size = aside
        .iter()
        .flatten()
        .map(|line| line.len() + 24)
        .sum::<usize>();
    let mut text = String::with_capacity(formatted.len() + size);
    let marker = format!("///{STAND_IN}");
    for line in formatted.split_inclusive('\n') {
        let code = line.trim_start_matches(' ');
        let Some(index) = code.strip_prefix(&marker) else {
            text.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - code.len()];
        let lines = index
            .trim_end()
            .parse::<usize>()
            .ok()
            .and_then(|index| aside.get(index))
            .ok_or_else(|| {
                syn::Error::new(
                    proc_macro2::Span::call_site(),
                    format!("a doc comment set aside was not found: {line:?}"),
                )
            })?;
        for doc in lines {
            text.push_str(indent);
            text.push_str("///");
            text.push_str(doc.trim_end_matches(' '));
            text.push('\n');
        }
    }
    Ok(text)
}

/// Inner doc attributes (`//!`) for Markdown the generator wrote.
pub fn inner(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
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

/// `text` as inline code, whatever backticks it contains, on one line: line
/// breaks and other hidden characters are shown as escapes, so a spec value
/// cannot leave the code span and start a block of its own.
pub fn code(text: &str) -> String {
    // An empty code span is not one: Markdown shows its backticks.
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let text = text::escaped(text);
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.contains('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// The API's title, to be placed in a sentence: one line, in which nothing
/// is taken for code, a link or HTML.
pub fn title(text: &str) -> String {
    escape_text(&text::one_line(text).replace('`', "\\`"))
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

/// A description from the spec, made safe to place in a doc comment: code
/// blocks become `text` blocks at the top level (out of any list item or
/// quote they were in), and indentation that would make an indented code
/// block is removed.
pub fn spec(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<Fence> = None;
    // What continues the list item or quote of the line before, if any.
    let mut continuation: Option<String> = None;
    for raw in normalize(text).lines() {
        let line = raw.trim_end();
        if let Some(mut open) = fence.take() {
            if open.closed_by(line) {
                out.extend(open.render());
            } else {
                open.push(line);
                fence = Some(open);
            }
            continue;
        }
        let (containers, rest) = containers(line);
        let content = rest.trim_start();
        if let Some(opened) = Fence::opened_by(&containers, rest) {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            fence = Some(opened);
            continuation = None;
            continue;
        }
        let prefix = match (containers.is_empty(), content.is_empty()) {
            (false, _) => opening(&containers),
            (true, true) => String::new(),
            (true, false) => continuation.clone().unwrap_or_default(),
        };
        if content.is_empty() {
            continuation = None;
        } else if !containers.is_empty() {
            continuation = Some(continuation_of(&containers));
        }
        out.push(format!("{prefix}{}", escape(content)));
    }
    if let Some(open) = fence {
        out.extend(open.render());
    }
    out.join("\n")
}

/// Line breaks of every kind as `\n`, tabs as spaces, and other hidden
/// characters escaped.
fn normalize(text: &str) -> String {
    let unified: String = text
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        })
        .collect();
    text::visible_lines(&unified.replace('\t', "    "))
}

/// A container a line opens: a block quote or a list item with its marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container<'a> {
    Quote,
    Item(&'a str),
}

/// The quote and list item markers a line starts with, and what follows them.
fn containers(line: &str) -> (Vec<Container<'_>>, &str) {
    let mut found = Vec::new();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix('>') {
            found.push(Container::Quote);
            rest = after.strip_prefix(' ').unwrap_or(after);
        } else if let Some(width) = list_marker(trimmed) {
            found.push(Container::Item(
                trimmed.get(..width - 1).unwrap_or_default(),
            ));
            rest = trimmed.get(width..).unwrap_or_default();
        } else {
            return (found, rest);
        }
    }
}

/// The markers of `containers`, written plainly.
fn opening(containers: &[Container<'_>]) -> String {
    containers
        .iter()
        .map(|c| match c {
            Container::Quote => "> ".to_owned(),
            Container::Item(marker) => format!("{marker} "),
        })
        .collect()
}

/// The prefix of a line that continues the last of `containers`: the quote
/// markers, and the list items' indentation.
fn continuation_of(containers: &[Container<'_>]) -> String {
    containers
        .iter()
        .map(|c| match c {
            Container::Quote => "> ".to_owned(),
            Container::Item(marker) => " ".repeat(marker.len() + 1),
        })
        .collect()
}

/// What is removed from the start of each line of a fenced block: what its
/// opening line had before the fence.
#[derive(Debug, Clone, Copy)]
enum Strip {
    Quote,
    Spaces(usize),
}

/// A fenced code block being read, to be written as a `text` block.
struct Fence {
    marker: char,
    length: usize,
    strips: Vec<Strip>,
    lines: Vec<String>,
}

impl Fence {
    /// The fence `rest` opens (`rest` being what follows `containers`).
    fn opened_by(containers: &[Container<'_>], rest: &str) -> Option<Self> {
        let content = rest.trim_start();
        let marker = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = content.chars().take_while(|&c| c == marker).count();
        let info = content.get(length..).unwrap_or_default();
        // Backticks in the info string make a code span, not a fence.
        if length < 3 || (marker == '`' && info.contains('`')) {
            return None;
        }
        let mut strips: Vec<Strip> = containers
            .iter()
            .map(|c| match c {
                Container::Quote => Strip::Quote,
                Container::Item(marker) => Strip::Spaces(marker.len() + 1),
            })
            .collect();
        strips.push(Strip::Spaces(rest.len() - content.len()));
        Some(Self {
            marker,
            length,
            strips,
            lines: Vec::new(),
        })
    }

    fn closed_by(&self, line: &str) -> bool {
        let content = self.strip(line).trim();
        let run = content.chars().take_while(|&c| c == self.marker).count();
        run >= self.length && run == content.chars().count()
    }

    fn push(&mut self, line: &str) {
        let inside = self.strip(line).to_owned();
        self.lines.push(inside);
    }

    /// `line` without what the opening line had before the fence.
    fn strip<'l>(&self, line: &'l str) -> &'l str {
        let mut rest = line;
        for strip in &self.strips {
            rest = match strip {
                Strip::Quote => match rest.trim_start().strip_prefix('>') {
                    Some(after) => after.strip_prefix(' ').unwrap_or(after),
                    None => return rest,
                },
                Strip::Spaces(n) => {
                    let spaces = rest.chars().take(*n).take_while(|&c| c == ' ').count();
                    rest.get(spaces..).unwrap_or(rest)
                }
            };
        }
        rest
    }

    /// The block, fenced with more backticks than any run inside it.
    fn render(self) -> Vec<String> {
        let longest = self
            .lines
            .iter()
            .map(|l| longest_run(l, '`'))
            .max()
            .unwrap_or(0);
        let fence = "`".repeat((longest + 1).max(3));
        let mut out = vec![format!("{fence}{TEXT}")];
        out.extend(self.lines);
        out.push(fence);
        out
    }
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c)
        .map(|run| run.chars().count())
        .max()
        .unwrap_or(0)
}

/// The lines of the doc comment for `markdown`. Should rustdoc still find a
/// code block it would compile (something [`spec`] missed), the whole text
/// is shown as one `text` block instead, which cannot contain another.
fn doc_lines(markdown: &str) -> Vec<String> {
    let markdown = text::visible_lines(markdown);
    let lines = lines(&markdown);
    if only_text_blocks(&lines) {
        lines
    } else {
        let fence = "`".repeat((longest_run(&markdown, '`') + 1).max(3));
        self::lines(&format!("{fence}{TEXT}\n{markdown}\n{fence}"))
    }
}

/// Whether every code block rustdoc finds in these doc lines is a `text`
/// block: read as rustdoc reads them, without the indentation all lines
/// share, with its Markdown options.
fn only_text_blocks(lines: &[String]) -> bool {
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let markdown = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(&markdown, options).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.as_ref() == TEXT,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        _ => true,
    })
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

    /// An item whose docs sit at three depths and include what prettyplease
    /// prints in other ways: an empty line, trailing spaces, a line that
    /// starts with `/`.
    fn documented() -> TokenStream {
        let top = outer("A thing.\n\nWith a second paragraph.   ");
        let field = outer("Its `name`.");
        let method = outer("Does it.");
        let slash = outer("/ starts with a slash");
        quote! {
            #top
            pub struct Thing {
                #field
                pub name: String,
            }
            impl Thing {
                #method
                pub fn go(&self) {}
                #slash
                pub fn stop(&self) {}
            }
        }
    }

    #[test]
    fn docs_set_aside_come_back_as_the_formatter_prints_them() {
        let direct = crate::format::item(documented()).expect("formats");
        let aside = set_aside(|| crate::format::item(documented())).expect("formats");
        assert_eq!(aside, direct);
        assert!(direct.contains("    /// Does it.\n"), "{direct}");
        assert!(!aside.contains(STAND_IN), "{aside}");
    }

    #[test]
    fn docs_put_back_lose_their_trailing_spaces_as_printed() {
        let printed = crate::format::item(quote! {
            #[doc = " spaced  "]
            #[doc = ""]
            struct A;
        })
        .expect("formats");
        let formatted = format!("///{STAND_IN}0\nstruct A;\n");
        let lines = vec![" spaced  ".to_owned(), String::new()];
        assert_eq!(put_back(formatted, &[lines]).expect("put back"), printed);
    }

    #[test]
    fn a_stand_in_without_its_docs_is_an_error() {
        let formatted = "struct A;\n///\u{1}3\nstruct B;\n".to_owned();
        let error = put_back(formatted, &[vec![" one".to_owned()]]).expect_err("unknown");
        assert!(error.to_string().contains("not found"), "{error}");
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
        assert_eq!(code(""), "`\"\"`");
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
        assert_eq!(doc("```js\nlet a\n"), vec![" ```text", " let a", " ```"]);
    }

    /// Whether rustdoc would find a code block other than `text` in `lines`.
    fn compiles_code(lines: &[String]) -> bool {
        !only_text_blocks(lines)
    }

    const LABELS: &[&str] = &[
        "",
        "rust",
        "should_panic",
        "no_run",
        "compile_fail",
        "ignore",
        "edition2021",
        "rust extra",
        "text,should_panic",
        "js",
        "{.rust}",
    ];

    #[test]
    fn relabels_every_fence_as_text_wherever_it_sits() {
        for label in LABELS {
            for (before, inside) in [
                ("", ""),
                ("- ", "  "),
                ("1. ", "   "),
                ("> ", "> "),
                ("> - ", ">   "),
                ("   ", "   "),
            ] {
                for marker in ["```", "~~~~"] {
                    let text = format!(
                        "Intro.\n{before}{marker}{label}\n{inside}fn main() {{}}\n{inside}{marker}\nAfter."
                    );
                    let lines = doc(&text);
                    assert!(!compiles_code(&lines), "{text:?} gives {lines:#?}");
                    assert!(
                        lines.iter().any(|l| l.trim() == "```text"),
                        "{text:?} gives {lines:#?}"
                    );
                    assert!(
                        lines.iter().any(|l| l == " fn main() {}"),
                        "{text:?} gives {lines:#?}"
                    );
                }
            }
        }
    }

    #[test]
    fn removes_the_indentation_of_indented_blocks_in_quotes_and_lists() {
        for text in [
            "Text.\n\n    fn main() {}",
            ">     fn main() {}",
            "> Quote.\n>\n>     fn main() {}",
            "- Item.\n\n      fn main() {}",
            "-     fn main() {}",
            "1.\tItem\n\n\t\tfn main() {}",
            "> > >       fn main() {}",
        ] {
            let lines = doc(text);
            assert!(!compiles_code(&lines), "{text:?} gives {lines:#?}");
        }
        assert_eq!(doc(">     fn main() {}"), vec![" > fn main() {}"]);
    }

    #[test]
    fn continues_quotes_and_list_items_explicitly() {
        assert_eq!(
            doc("> quoted\nlazy\n- item\nlazy too\n\nafter"),
            vec![
                " > quoted",
                " > lazy",
                " - item",
                "   lazy too",
                "",
                " after"
            ]
        );
        assert_eq!(doc("> quoted\n\nafter"), vec![" > quoted", "", " after"]);
    }

    #[test]
    fn a_fence_cannot_be_closed_by_a_shorter_run_inside_it() {
        let lines = doc("~~~\n```\n    fn main() {}\n```\n~~~");
        assert_eq!(
            lines,
            vec![" ````text", " ```", "     fn main() {}", " ```", " ````"]
        );
        assert!(!compiles_code(&lines));
    }

    #[test]
    fn a_triple_backtick_code_span_is_not_a_fence() {
        assert_eq!(doc("``` a ``` b"), vec![" ``` a ``` b"]);
    }

    #[test]
    fn hidden_characters_never_reach_a_doc_comment() {
        let text =
            "a\rb\u{0B}c\u{0C}d\u{85}e\u{2028}f\u{2029}g\th \u{1}\u{7F}\u{202E}\u{2066}x\r\n";
        let lines = doc_lines(&spec(text));
        for line in &lines {
            assert!(!line.chars().any(text::is_hidden), "{line:?}");
        }
        assert_eq!(
            lines,
            vec![
                " a",
                " b",
                " c",
                " d",
                " e",
                " f",
                " g    h \\u{1}\\u{7f}\\u{202e}\\u{2066}x"
            ]
        );
        // Text the generator composes is checked as well.
        assert_eq!(doc_lines("a\u{202E}\rb"), vec![" a\\u{202e}\\rb"]);
    }

    #[test]
    fn what_spec_misses_becomes_one_text_block() {
        let lines = doc_lines("Intro.\n\n    fn main() {}\n\n```rust\nfn main() {}\n```");
        assert!(!compiles_code(&lines));
        assert_eq!(lines.first().map(String::as_str), Some(" ````text"));
        assert_eq!(lines.last().map(String::as_str), Some(" ````"));
        // Markdown without code blocks is left as it is.
        assert_eq!(
            doc_lines("# Arguments\n\n- `a`: [`B`](super::B)"),
            vec![" # Arguments", "", " - `a`: [`B`](super::B)"]
        );
    }

    #[test]
    fn inline_code_stays_on_one_line() {
        assert_eq!(code("a\n```rust\nb"), "```` a\\n```rust\\nb ````");
        assert_eq!(code("x\r\u{202E}\t"), "`x\\r\\u{202e}\\t`");
        let lines = doc_lines(&format!(
            "The {} property.",
            code("\n```\nfn main() {}\n```\n")
        ));
        assert_eq!(lines.len(), 1);
        assert!(!compiles_code(&lines));
    }

    #[test]
    fn a_title_is_one_line_of_plain_text() {
        assert_eq!(
            title("My\n```rust\nfn main() {}\n```\n\u{0B}API\u{1} [x] <b>"),
            "My \\`\\`\\`rust fn main() {} \\`\\`\\` API\\u{1} \\[x\\] <b>"
        );
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
