//! Query parameters as OpenAPI's `style` and `explode` put them in the URL.
//!
//! The query is kept as encoded text, as the OpenAPI 3.1.1 "Style Examples"
//! table writes it: names, keys and values are percent-encoded but for
//! RFC 3986's unreserved characters (a space is `%20`, never `+`), and the
//! only delimiter left as it is is the comma of `form`, so that a comma
//! inside a value (`%2C`) stays apart from the commas between values.
//! Brackets of `deepObject` names are sent as `%5B` and `%5D`, which query
//! parsers decode before they read the brackets.
//!
//! `null` adds nothing, at the top and inside arrays and objects, and so
//! does an empty array or object (RFC 6570 holds them undefined). Numbers
//! and booleans are sent as JSON writes them. Object keys go in the order
//! `serde_json` keeps them: struct fields as declared with its
//! `preserve_order` feature, sorted by name without it.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a query parameter's value is written, as OpenAPI's `style` names it.
///
/// With `explode`, `form`, `spaceDelimited` and `pipeDelimited` all send
/// each array item as a pair of its own (`id=3&id=4`) and each object
/// property as a parameter of its own (`role=admin&firstName=Alex`).
/// Without it, the items, or the keys and values, are one value joined by
/// the style's delimiter. A primitive value is `id=5` in every style.
///
/// An array or object inside the value of these three styles has no form
/// of its own there: it is sent as its compact JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryStyle {
    /// `id=3,4,5`; `id=role,admin,firstName,Alex`.
    Form,
    /// `id=3%204%205`.
    SpaceDelimited,
    /// `id=3%7C4%7C5`.
    PipeDelimited,
    /// `id[role]=admin&id[firstName]=Alex`, always exploded (OpenAPI
    /// defines no other form). Nested objects go deeper (`id[a][b]=1`), as
    /// Stripe, Rails and `qs` read them; array items take `[]`
    /// (`id[tags][]=x&id[tags][]=y`), except items that are themselves
    /// arrays or objects, which take their index among the items sent
    /// (`id[lines][0][price]=p`), since `[]` could not tell where one ends
    /// and the next begins. A top-level array is `id[]=x&id[]=y`.
    DeepObject,
}

impl QueryStyle {
    /// What joins the items of a value that is not exploded, encoded.
    fn delimiter(self) -> &'static str {
        match self {
            Self::Form | Self::DeepObject => ",",
            Self::SpaceDelimited => "%20",
            Self::PipeDelimited => "%7C",
        }
    }
}

/// Appends the parameter `name` with `value` to the encoded `query`.
pub(crate) fn append(
    query: &mut String,
    name: &str,
    value: &Value,
    style: QueryStyle,
    explode: bool,
) {
    let name = encode(name);
    match value {
        Value::Null => {}
        Value::Array(_) | Value::Object(_) if style == QueryStyle::DeepObject => {
            deep(query, &name, value);
        }
        Value::Array(items) if explode => {
            for item in present(items) {
                pair(query, &name, &text(item));
            }
        }
        Value::Object(map) if explode => {
            for (key, value) in properties(map) {
                pair(query, &encode(key), &text(value));
            }
        }
        Value::Array(items) => {
            let parts: Vec<Cow<'_, str>> = present(items).map(text).collect();
            joined(query, &name, &parts, style);
        }
        Value::Object(map) => {
            let parts: Vec<Cow<'_, str>> = properties(map)
                .flat_map(|(key, value)| [encode(key), text(value)])
                .collect();
            joined(query, &name, &parts, style);
        }
        scalar => pair(query, &name, &text(scalar)),
    }
}

/// Appends an encoded query parameter given as text, such as an API key.
pub(crate) fn append_text(query: &mut String, name: &str, value: &str) {
    pair(query, &encode(name), &encode(value));
}

/// `deepObject`: each primitive inside `value` as a pair of its own, named
/// by the keys (and `[]` or index) that lead to it from `key`.
fn deep(query: &mut String, key: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (name, value) in properties(map) {
                deep(query, &format!("{key}%5B{}%5D", encode(name)), value);
            }
        }
        Value::Array(items) => {
            let mut index = 0;
            for item in present(items) {
                if matches!(item, Value::Array(_) | Value::Object(_)) {
                    deep(query, &format!("{key}%5B{index}%5D"), item);
                    index += 1;
                } else {
                    deep(query, &format!("{key}%5B%5D"), item);
                }
            }
        }
        scalar => pair(query, key, &text(scalar)),
    }
}

fn present(items: &[Value]) -> impl Iterator<Item = &Value> {
    items.iter().filter(|item| !item.is_null())
}

fn properties(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    map.iter().filter(|(_, value)| !value.is_null())
}

/// One value made of `parts` (already encoded); nothing when there are none.
fn joined(query: &mut String, name: &str, parts: &[Cow<'_, str>], style: QueryStyle) {
    if !parts.is_empty() {
        pair(query, name, &parts.join(style.delimiter()));
    }
}

/// `name=value`, both already encoded.
fn pair(query: &mut String, name: &str, value: &str) {
    query.reserve(name.len() + value.len() + 2);
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(name);
    query.push('=');
    query.push_str(value);
}

/// A value as encoded text: strings as they are, numbers and booleans as
/// JSON writes them, arrays and objects as their JSON text.
fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => encode(text),
        other => Cow::Owned(encode(&other.to_string()).into_owned()),
    }
}

/// `text` percent-encoded; borrowed when nothing in it needs encoding.
fn encode(text: &str) -> Cow<'_, str> {
    utf8_percent_encode(text, COMPONENT).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use QueryStyle::{DeepObject, Form, PipeDelimited, SpaceDelimited};

    /// The query `value` makes as the parameter `id`.
    fn query(style: QueryStyle, explode: bool, value: Value) -> String {
        let mut query = String::new();
        append(&mut query, "id", &value, style, explode);
        query
    }

    /// Keys in this order whether or not `serde_json` keeps insertion order.
    fn person() -> Value {
        json!({"firstName": "Alex", "role": "admin"})
    }

    #[test]
    fn primitives_are_one_pair_in_every_style() {
        for style in [Form, SpaceDelimited, PipeDelimited, DeepObject] {
            for explode in [true, false] {
                assert_eq!(query(style, explode, json!(5)), "id=5");
                assert_eq!(query(style, explode, json!("a b,c")), "id=a%20b%2Cc");
                assert_eq!(query(style, explode, json!(false)), "id=false");
                assert_eq!(query(style, explode, json!(1.5)), "id=1.5");
                assert_eq!(query(style, explode, json!("")), "id=");
                assert_eq!(query(style, explode, Value::Null), "");
            }
        }
    }

    #[test]
    fn form_exploded() {
        assert_eq!(query(Form, true, json!([3, 4, 5])), "id=3&id=4&id=5");
        assert_eq!(query(Form, true, person()), "firstName=Alex&role=admin");
        assert_eq!(query(Form, true, json!([3, null, 5])), "id=3&id=5");
        assert_eq!(
            query(Form, true, json!({"a": null, "b": 1})),
            "b=1",
            "a null property is left out"
        );
        assert_eq!(query(Form, true, json!([])), "");
        assert_eq!(query(Form, true, json!({})), "");
    }

    #[test]
    fn form_not_exploded_keeps_its_commas_apart_from_the_values() {
        assert_eq!(query(Form, false, json!([3, 4, 5])), "id=3,4,5");
        assert_eq!(query(Form, false, person()), "id=firstName,Alex,role,admin");
        assert_eq!(query(Form, false, json!(["a,b", "c"])), "id=a%2Cb,c");
        assert_eq!(query(Form, false, json!([null, "x", null])), "id=x");
        assert_eq!(query(Form, false, json!([])), "");
        assert_eq!(query(Form, false, json!({"a": null})), "");
    }

    #[test]
    fn space_and_pipe_delimited() {
        assert_eq!(
            query(SpaceDelimited, false, json!([3, 4, 5])),
            "id=3%204%205"
        );
        assert_eq!(
            query(PipeDelimited, false, json!([3, 4, 5])),
            "id=3%7C4%7C5"
        );
        assert_eq!(
            query(SpaceDelimited, false, person()),
            "id=firstName%20Alex%20role%20admin"
        );
        assert_eq!(
            query(PipeDelimited, false, person()),
            "id=firstName%7CAlex%7Crole%7Cadmin"
        );
        assert_eq!(query(PipeDelimited, false, json!(["a|b"])), "id=a%7Cb");
        for style in [SpaceDelimited, PipeDelimited] {
            assert_eq!(query(style, true, json!([3, 4, 5])), "id=3&id=4&id=5");
            assert_eq!(query(style, true, person()), "firstName=Alex&role=admin");
        }
    }

    #[test]
    fn nested_values_without_a_form_of_their_own_are_json_text() {
        let nested = json!({"a": {"b": 1}, "c": [1, 2]});
        assert_eq!(
            query(Form, true, nested.clone()),
            "a=%7B%22b%22%3A1%7D&c=%5B1%2C2%5D"
        );
        assert_eq!(
            query(Form, false, nested.clone()),
            "id=a,%7B%22b%22%3A1%7D,c,%5B1%2C2%5D"
        );
        assert_eq!(
            query(PipeDelimited, false, json!([[1, 2], {"x": "y"}])),
            "id=%5B1%2C2%5D%7C%7B%22x%22%3A%22y%22%7D"
        );
        assert_eq!(
            query(SpaceDelimited, true, json!([[1], []])),
            "id=%5B1%5D&id=%5B%5D"
        );
    }

    #[test]
    fn deep_object() {
        for explode in [true, false] {
            assert_eq!(
                query(DeepObject, explode, person()),
                "id%5BfirstName%5D=Alex&id%5Brole%5D=admin"
            );
        }
        assert_eq!(
            query(DeepObject, true, json!({"gt": 1, "lte": null})),
            "id%5Bgt%5D=1"
        );
        assert_eq!(
            query(DeepObject, true, json!({"a": {"b": 1, "c": {"d": true}}})),
            "id%5Ba%5D%5Bb%5D=1&id%5Ba%5D%5Bc%5D%5Bd%5D=true"
        );
        assert_eq!(
            query(DeepObject, true, json!({"tags": ["x", null, "y z"]})),
            "id%5Btags%5D%5B%5D=x&id%5Btags%5D%5B%5D=y%20z"
        );
        assert_eq!(
            query(DeepObject, true, json!(["x", "y"])),
            "id%5B%5D=x&id%5B%5D=y"
        );
        assert_eq!(
            query(
                DeepObject,
                true,
                json!({"lines": [{"price": "p1", "qty": 2}, null, {"price": "p2"}]})
            ),
            "id%5Blines%5D%5B0%5D%5Bprice%5D=p1&id%5Blines%5D%5B0%5D%5Bqty%5D=2\
             &id%5Blines%5D%5B1%5D%5Bprice%5D=p2"
        );
        assert_eq!(
            query(DeepObject, true, json!({"m": [[1, 2], [3]]})),
            "id%5Bm%5D%5B0%5D%5B%5D=1&id%5Bm%5D%5B0%5D%5B%5D=2&id%5Bm%5D%5B1%5D%5B%5D=3"
        );
        assert_eq!(query(DeepObject, true, json!({"a": {}, "b": []})), "");
    }

    #[test]
    fn names_and_keys_are_encoded() {
        assert_eq!(
            query(DeepObject, true, json!({"a&b=c[d]": "v"})),
            "id%5Ba%26b%3Dc%5Bd%5D%5D=v"
        );
        let mut text = String::new();
        append(&mut text, "x y&", &json!("ü"), Form, true);
        append_text(&mut text, "key", "a+b/c");
        assert_eq!(text, "x%20y%26=%C3%BC&key=a%2Bb%2Fc");
    }
}
