//! Rust names for the spec's names: cased with `heck`, kept to ASCII, never a
//! keyword, and unique within their scope.

use std::collections::HashSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves in some edition, which cannot name a field or method.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code itself uses, which a spec type must not shadow.
pub const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Default",
    "Deserialize",
    "Err",
    "Map",
    "None",
    "Ok",
    "Option",
    "Result",
    "Self",
    "Serialize",
    "Some",
    "String",
    "Value",
    "Vec",
];

/// Keeps ASCII letters and digits; everything else separates words.
fn ascii_words(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A type or enum variant name: `UpperCamelCase`.
pub fn type_name(raw: &str) -> String {
    // Word boundaries in `QRCode` or `getAPIKey` are kept by heck.
    let name = ascii_words(raw).to_upper_camel_case();
    match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        // The one keyword in UpperCamelCase.
        Some(_) if name == "Self" => "SelfType".to_owned(),
        Some(_) => name,
    }
}

/// An enum variant for a value on the wire: the value's words in
/// `UpperCamelCase`, or, for a value of symbols only (the operators of a
/// query language, an empty string), the symbols' names: `!=` → `Ne`,
/// `>=` → `Ge`, `~` → `Tilde`, `""` → `Empty`.
pub fn variant_name(value: &str) -> String {
    // Words (in any script) are named as words; only ASCII symbols by name.
    if value
        .chars()
        .any(|c| c.is_ascii_alphanumeric() || !c.is_ascii())
    {
        return type_name(value);
    }
    const OPERATORS: &[(&str, &str)] = &[
        ("", "Empty"),
        ("=", "Eq"),
        ("==", "EqEq"),
        ("!=", "Ne"),
        ("<>", "Ne"),
        (">", "Gt"),
        (">=", "Ge"),
        ("<", "Lt"),
        ("<=", "Le"),
        ("!~", "NotTilde"),
        ("=~", "EqTilde"),
    ];
    if let Some((_, name)) = OPERATORS.iter().find(|(symbols, _)| *symbols == value) {
        return (*name).to_owned();
    }
    let mut name = String::new();
    for c in value.chars() {
        name.push_str(match c {
            '=' => "Eq",
            '!' => "Bang",
            '<' => "Lt",
            '>' => "Gt",
            '~' => "Tilde",
            '*' => "Star",
            '+' => "Plus",
            '-' => "Minus",
            '/' => "Slash",
            '\\' => "Backslash",
            '&' => "Amp",
            '|' => "Pipe",
            '^' => "Caret",
            '%' => "Percent",
            '#' => "Hash",
            '@' => "At",
            '$' => "Dollar",
            '.' => "Dot",
            ',' => "Comma",
            ':' => "Colon",
            ';' => "Semicolon",
            '?' => "Question",
            '_' => "Underscore",
            '(' | ')' => "Paren",
            '[' | ']' => "Bracket",
            '{' | '}' => "Brace",
            ' ' => "Space",
            _ => "Symbol",
        });
    }
    name
}

/// A field, argument or method name: `snake_case`, with a trailing `_` for keywords.
pub fn value_name(raw: &str) -> String {
    let name = ascii_words(raw).to_snake_case();
    match name.chars().next() {
        None => "value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) if KEYWORDS.contains(&name.as_str()) => format!("{name}_"),
        Some(_) => name,
    }
}

/// Whether `name` can be written as a plain Rust identifier.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !KEYWORDS.contains(&name)
        && name != "Self"
}

/// Methods every type has from blanket implementations (`Into`, `From`,
/// `TryInto`, `TryFrom`, `Borrow`, `BorrowMut`, `Any`): an inherent method
/// of the same name would shadow them.
pub const BLANKET_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "from",
    "into",
    "try_from",
    "try_into",
    "type_id",
];

/// Methods of the traits a client implements or may implement (`Clone`,
/// `Debug`, `Default`, `PartialEq`, `Hash`) and of those it then gets by
/// blanket implementations (`ToOwned`, `ToString`).
pub const CLIENT_TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "eq",
    "fmt",
    "hash",
    "hash_slice",
    "ne",
    "to_owned",
    "to_string",
];

/// Methods of the binary operator traits (`Add`, `Sub`, ...), which clippy
/// expects any method `fn add(self, x) -> ..` to implement: a request's
/// setters have that shape.
pub const OPERATOR_METHODS: &[&str] = &[
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

/// Why a scope could not give a name as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// The generated code needs the name for something else.
    Reserved,
    /// Something else in the scope was given the name first.
    Taken,
}

/// A name a scope gave, and why it differs from the one asked for, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub name: String,
    pub clash: Option<Clash>,
}

/// Hands out names in one scope, so that no two things share one.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
    reserved: HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        let reserved: HashSet<String> = reserved.into_iter().map(str::to_owned).collect();
        Self {
            taken: reserved.clone(),
            reserved,
        }
    }

    /// `name` if it is free, otherwise `name` with the first free number from
    /// 2 appended (with `separator` between, and never after another `_`, so
    /// that `self_` becomes `self_2`).
    pub fn claim(&mut self, name: String, separator: &str) -> Claimed {
        if self.taken.insert(name.clone()) {
            return Claimed { name, clash: None };
        }
        let clash = if self.reserved.contains(&name) {
            Clash::Reserved
        } else {
            Clash::Taken
        };
        let stem = match name.trim_end_matches('_') {
            "" => name.as_str(),
            stem if separator == "_" => stem,
            _ => name.as_str(),
        };
        let candidate = (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_else(|| name.clone());
        self.taken.insert(candidate.clone());
        Claimed {
            name: candidate,
            clash: Some(clash),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// The cargo feature for a tag: kebab-case ASCII letters and digits, never
/// one of the features every split crate has (`default`, `full`); `None`
/// when nothing of the tag is left (a tag not written in ASCII).
pub fn feature(tag: &str) -> Option<String> {
    let ascii: String = tag
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = ascii.to_kebab_case();
    match name.as_str() {
        "" => None,
        "default" | "full" => Some(format!("{name}-tag")),
        _ => Some(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_values_get_readable_variant_names() {
        let names: Vec<String> = [
            "=", "!=", ">=", "<=", ">", "<", "~", "", "*", "!~", "+", "-", "->", "IN", "not in",
        ]
        .into_iter()
        .map(variant_name)
        .collect();
        assert_eq!(
            names,
            [
                "Eq", "Ne", "Ge", "Le", "Gt", "Lt", "Tilde", "Empty", "Star", "NotTilde", "Plus",
                "Minus", "MinusGt", "In", "NotIn"
            ]
        );
    }

    #[test]
    fn features_are_kebab_case_ascii_and_never_the_crates_own() {
        assert_eq!(feature("Pets & Owners").as_deref(), Some("pets-owners"));
        assert_eq!(feature("管理用户/API 列表").as_deref(), Some("api"));
        assert_eq!(feature("用户").as_deref(), None);
        assert_eq!(feature("Default").as_deref(), Some("default-tag"));
        assert_eq!(feature("full").as_deref(), Some("full-tag"));
    }

    #[test]
    fn cases_names_like_the_vendor_sdks() {
        assert_eq!(value_name("signInByPush"), "sign_in_by_push");
        assert_eq!(
            value_name("geneFastpassQrcodeInfo"),
            "gene_fastpass_qrcode_info"
        );
        assert_eq!(
            value_name("exchangeTokenSetWithQrCodeTicket"),
            "exchange_token_set_with_qr_code_ticket"
        );
        assert_eq!(
            type_name("GeneFastpassQRCodeRespDto"),
            "GeneFastpassQrCodeRespDto"
        );
        assert_eq!(value_name("pushCodeId"), "push_code_id");
        assert_eq!(value_name("access_token"), "access_token");
    }

    #[test]
    fn avoids_keywords_digits_and_empty_names() {
        assert_eq!(value_name("type"), "type_");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("gen"), "gen_");
        assert_eq!(value_name("2fa"), "n2fa");
        assert_eq!(value_name("用户"), "value");
        assert_eq!(type_name("zh-CN"), "ZhCn");
        assert_eq!(type_name("1"), "V1");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("x-authing-app-id"), "XAuthingAppId");
    }

    #[test]
    fn every_name_is_an_identifier() {
        let samples = [
            "", "_", "__", "-", "9", "a b", "Self", "self", "type", "ü", "用户", "a.b/c", "x-",
            "-x", "_1", "A_", "fn", "crate", "super", "mod", "enum", "await", "r#type", "$ref",
            "@id", "1a2b", "ALL_CAPS",
        ];
        for sample in samples {
            assert!(
                is_identifier(&type_name(sample)),
                "type_name({sample:?}) = {}",
                type_name(sample)
            );
            assert!(
                is_identifier(&value_name(sample)),
                "value_name({sample:?}) = {}",
                value_name(sample)
            );
        }
    }

    #[test]
    fn numbers_names_already_taken() {
        let mut scope = Scope::with_reserved(["client"]);
        let mut claim = |name: &str| {
            let claimed = scope.claim(name.to_owned(), "_");
            (claimed.name, claimed.clash)
        };
        assert_eq!(claim("client"), ("client_2".into(), Some(Clash::Reserved)));
        assert_eq!(claim("user_id"), ("user_id".into(), None));
        assert_eq!(claim("user_id"), ("user_id_2".into(), Some(Clash::Taken)));
        assert_eq!(claim("user_id"), ("user_id_3".into(), Some(Clash::Taken)));
    }

    #[test]
    fn a_number_never_follows_an_underscore() {
        let mut scope = Scope::default();
        for raw in ["self", "Self", "SELF", "self_", "self_2"] {
            let name = scope.claim(value_name(raw), "_").name;
            assert!(!name.contains("__"), "{raw} became {name}");
        }
        let mut types = Scope::default();
        assert_eq!(types.claim("A".into(), "").name, "A");
        assert_eq!(types.claim("A".into(), "").name, "A2");
    }
}
