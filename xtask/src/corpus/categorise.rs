//! A short, stable kind for each of the generator's diagnostics, so that a
//! corpus of specs can be summed up as "12 request body type, 3 query style"
//! rather than as thousands of messages.
//!
//! The kind is read from the generator's own wording only: text between
//! backticks is usually a name or a reference taken from the spec, so it is
//! blanked before matching, unless it is one of the OpenAPI keywords the
//! generator quotes. A spec can therefore not move a finding to another kind
//! by its choice of names.

/// Words the generator quotes that belong to OpenAPI, not to the spec.
const KEYWORDS: &[&str] = &[
    "$ref",
    "additionalProperties",
    "allOf",
    "allowReserved",
    "deepObject",
    "explode: true",
    "anyOf",
    "content",
    "discriminator",
    "enum",
    "form",
    "not",
    "oneOf",
    "openapi",
    "properties",
    "type",
];

/// The kinds, first match wins: each with the phrases of the generator's
/// messages that make it.
const KINDS: &[(&str, &[&str])] = &[
    (
        "OpenAPI version",
        &["is not supported; this generator reads", "swagger 2.0"],
    ),
    (
        "invalid document",
        &[
            "not a valid openapi",
            "is not valid json",
            "is not valid yaml",
            "must be a mapping",
            "missing the `openapi` field",
            "the version must be a string",
        ],
    ),
    (
        "renamed",
        &[
            "a name the generated code needs for itself",
            "is already called",
        ],
    ),
    (
        "unsupported reference",
        &[
            "unsupported reference",
            "given by `$ref`",
            "names a component of",
        ],
    ),
    ("external reference", &["refers to another document"]),
    (
        "missing reference",
        &["that does not exist", "points at nothing"],
    ),
    ("reference used twice", &["here and as a"]),
    (
        "reference loop",
        &["form a loop", "refers back to itself", "refer back to it"],
    ),
    ("multipart files", &["names no part for them"]),
    (
        "request body type",
        &[
            "request bodies of type",
            "request bodies of this media type",
            "request body",
            "multipart/form-data` body must be an object",
            "content type cannot be sent in a header",
        ],
    ),
    (
        "response body type",
        &["response bodies of type", "response body"],
    ),
    (
        "query style",
        &[
            "query style",
            "`form` query",
            "`form` has no form",
            "has no form for arrays and objects",
            "`deepObject` only with",
            "`allowReserved` is not honoured",
        ],
    ),
    ("webhooks", &["no code is generated for them"]),
    ("mutual TLS", &["mutual tls"]),
    ("broken type", &["`type` must name a type"]),
    ("cookie parameter", &["cookie parameter"]),
    ("parameter content", &["parameters described by `content`"]),
    (
        "path parameter",
        &["path parameter", "segment but no path parameter"],
    ),
    ("undefined security scheme", &["security scheme"]),
    ("non-string enum", &["`enum`", "enum type"]),
    ("additional properties", &["`additionalProperties`"]),
    ("allOf", &["`allOf`"]),
    ("discriminator", &["discriminator"]),
    ("`not` schema", &["`not`"]),
    ("unknown type", &["is not a json schema type"]),
    ("internal error", &["internal error"]),
];

/// The kind of the diagnostic whose message is `message`; `other` when none
/// fits.
pub fn kind(message: &str) -> &'static str {
    // A property of a body reports its own problem after this prefix.
    let message = match message.strip_prefix("the body property `") {
        Some(rest) => rest.split_once("`: ").map_or(message, |(_, inner)| inner),
        None => message,
    };
    let wording = blank_quoted(message).to_lowercase();
    KINDS
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| wording.contains(&p.to_lowercase())))
        .map_or("other", |(kind, _)| kind)
}

/// `message` with the text of every backtick span blanked to `…`, except
/// for OpenAPI's own keywords.
fn blank_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let mut quoted = true;
    for part in parts {
        if quoted {
            out.push('`');
            out.push_str(if KEYWORDS.contains(&part) {
                part
            } else {
                "…"
            });
            out.push('`');
        } else {
            out.push_str(part);
        }
        quoted = !quoted;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages as the generator words them, with the kind each must get.
    const CASES: &[(&str, &str)] = &[
        (
            "OpenAPI 3.1.0 is not supported; this generator reads OpenAPI 3.0.x",
            "OpenAPI version",
        ),
        (
            "this is a Swagger 2.0 document; convert it to OpenAPI 3.0 first",
            "OpenAPI version",
        ),
        (
            "not a valid OpenAPI 3.0 node: invalid type: string \"x\", expected a map",
            "invalid document",
        ),
        (
            "the document is not valid YAML: found a tab",
            "invalid document",
        ),
        (
            "unsupported reference `https://x/y.json#/Z`: only local references to `#/components/schemas/...` are followed here",
            "unsupported reference",
        ),
        (
            "path items given by `$ref` are not supported; this path is skipped",
            "unsupported reference",
        ),
        (
            "`#/components/schemas/Gone` names a schema that does not exist",
            "missing reference",
        ),
        (
            "these references form a loop and never reach a definition",
            "reference loop",
        ),
        ("`allOf` refers back to itself", "reference loop"),
        (
            "request bodies of type multipart/form-data are not supported yet; the operation is skipped",
            "request body type",
        ),
        (
            "response bodies of type application/xml are not supported yet; the method discards the body",
            "response body type",
        ),
        (
            "only the `form` query style is supported; the parameter is sent as `form`",
            "query style",
        ),
        (
            "cookie parameters are not supported; this optional one is left out",
            "cookie parameter",
        ),
        (
            "parameters described by `content` are not supported; the value is sent as a string",
            "parameter content",
        ),
        (
            "path parameter `id` does not appear in the path `/a`; it is ignored",
            "path parameter",
        ),
        (
            "the path has a `{id}` segment but no path parameter of that name",
            "path parameter",
        ),
        (
            "security scheme `oauth` is not defined in `#/components/securitySchemes`; this alternative is ignored",
            "undefined security scheme",
        ),
        (
            "`builder` is a name the generated code needs for itself, so this method is called `builder_`",
            "renamed",
        ),
        (
            "another field is already called `id`, so this one is called `id_2`",
            "renamed",
        ),
        (
            "another security scheme is already called `Oauth`, so this one is called `Oauth2`",
            "renamed",
        ),
        (
            "only strings can be listed as an enum type; values are not checked against the allowed integers",
            "non-string enum",
        ),
        (
            "`additionalProperties` beside `properties` is not supported; keys other than the listed properties are ignored",
            "additional properties",
        ),
        (
            "`allOf` can only merge object schemas; the value is typed as any JSON value",
            "allOf",
        ),
        (
            "a discriminator needs every alternative to be a `$ref`; values are matched by shape instead",
            "discriminator",
        ),
        (
            "`not` cannot be expressed as a Rust type; the value is typed as any JSON value",
            "`not` schema",
        ),
        (
            "`date` is not a JSON Schema type (string, number, integer, boolean, array or object)",
            "unknown type",
        ),
        (
            "internal error: the code generated for mod.rs does not parse: x",
            "internal error",
        ),
        (
            "`#/x/y` points at nothing in this document",
            "missing reference",
        ),
        (
            "`a.json#/X` refers to another document, which is not read; bundle the spec into one document first",
            "external reference",
        ),
        (
            "`#/x` is used as a response here and as a parameter elsewhere",
            "reference used twice",
        ),
        (
            "`#/components/schemas/X` names a component of `schemas` where a parameter is expected",
            "unsupported reference",
        ),
        (
            "the schema is files, not an object, so it names no part for them; they are sent as parts named `file`, the name servers that take such bodies expect",
            "multipart files",
        ),
        (
            "request bodies of this media type are not supported; the operation sends `application/json` instead",
            "request body type",
        ),
        (
            "`form` has no form for arrays and objects inside the value; those inside are sent as their JSON text",
            "query style",
        ),
        (
            "`allowReserved` is not honoured: reserved characters in the value are sent percent-encoded",
            "query style",
        ),
        (
            "OpenAPI defines `deepObject` only with `explode: true`; the parameter is sent exploded all the same, as `{name}[key]=value`",
            "query style",
        ),
        (
            "webhooks are calls the API makes to its users, not calls a client makes; no code is generated for them",
            "webhooks",
        ),
        (
            "mutual TLS is set up on the HTTP client, not per call; this scheme is left out",
            "mutual TLS",
        ),
        (
            "`type` must name a type or list types; this one does neither and is ignored",
            "broken type",
        ),
    ];

    #[test]
    fn each_message_of_the_generator_has_its_kind() {
        for (message, expected) in CASES {
            assert_eq!(kind(message), *expected, "{message}");
        }
    }

    #[test]
    fn a_body_property_is_judged_by_its_own_problem() {
        assert_eq!(
            kind(
                "the body property `avatar`: request bodies of type image/png are not supported yet; the operation is skipped"
            ),
            "request body type"
        );
    }

    #[test]
    fn names_from_the_spec_do_not_choose_the_kind() {
        // Each name spells another kind's phrase; the wording around it decides.
        assert_eq!(
            kind(
                "another field is already called `request body`, so this one is called `request body_2`"
            ),
            "renamed"
        );
        assert_eq!(
            kind("`#/components/schemas/discriminator` names a schema that does not exist"),
            "missing reference"
        );
        assert_eq!(kind("`internal error` is odd"), "other");
    }

    #[test]
    fn an_unknown_message_is_other() {
        assert_eq!(kind("something the generator has not said before"), "other");
        assert_eq!(kind(""), "other");
    }

    #[test]
    fn quoted_text_is_blanked_but_keywords_kept() {
        assert_eq!(
            blank_quoted("a `x` b `allOf` c `unclosed"),
            "a `…` b `allOf` c `…`"
        );
    }
}
