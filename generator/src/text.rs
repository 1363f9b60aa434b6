//! Characters a spec may contain that must never reach a generated file as
//! they are: control characters (a bare CR ends a doc comment with an error,
//! a vertical tab makes TOML invalid), the Unicode bidirectional controls
//! rustc denies in comments and literals, and the Unicode line and paragraph
//! separators. Each is shown as a visible escape such as `\u{202e}` instead.

/// Whether `c` must not appear as it is in generated text.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// How a hidden character is shown: `\n`, `\r`, `\t`, or `\u{..}`.
pub fn escape(c: char) -> String {
    match c {
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        '\t' => "\\t".to_owned(),
        _ => format!("\\u{{{:x}}}", u32::from(c)),
    }
}

/// `text` with every hidden character escaped, line feeds included.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with every hidden character but the line feed escaped.
pub fn visible_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\n' && is_hidden(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` on one line: runs of whitespace (line breaks included) become one
/// space, and every other hidden character is escaped.
pub fn one_line(text: &str) -> String {
    // Unicode whitespace includes the vertical tab, NEL and both separators.
    let words: Vec<&str> = text.split_whitespace().collect();
    visible_lines(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_keeps_other_text() {
        assert_eq!(
            visible_lines("a\rb\u{0B}c\u{202E}d\u{2066}\u{2028}\u{7F}\u{85}é用\n"),
            "a\\rb\\u{b}c\\u{202e}d\\u{2066}\\u{2028}\\u{7f}\\u{85}é用\n"
        );
    }

    #[test]
    fn escapes_line_feeds_too_when_asked() {
        assert_eq!(escaped("a\nb\u{2029}"), "a\\nb\\u{2029}");
    }

    #[test]
    fn puts_text_on_one_line() {
        assert_eq!(
            one_line("  My\r\nAPI\u{0B}\u{2028}v2\t\u{1}\u{202E} "),
            "My API v2 \\u{1}\\u{202e}"
        );
        assert!(one_line("x\u{2029}y\u{0C}z").chars().all(|c| !is_hidden(c)));
    }
}
