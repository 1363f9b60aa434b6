//! How generated models read and show their fields: tolerant of what servers
//! really send (a `null` for a required value, a number written as a string),
//! strict about everything else, and never showing a credential.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Serialize};

use crate::redact::redact;

/// Reads a value that the spec says is always present, falling back to the
/// type's default when the server sends `null` (and, with `#[serde(default)]`,
/// when it leaves the field out).
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A number, also when written as a numeric string (`"60000"`), as some
/// servers do; `null` is the default (0). A string that is not exactly a
/// number of this type, or a number that does not fit it, is an error.
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Number,
{
    deserializer
        .deserialize_any(NumberVisitor(PhantomData))
        .map(Option::unwrap_or_default)
}

/// [`number`] for an optional field: `null` is `None`.
pub fn optional_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Number,
{
    deserializer.deserialize_any(NumberVisitor(PhantomData))
}

/// A string, also when the server sends an integer in its place (which
/// becomes its decimal text); `null` is the empty string.
pub fn string<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer
        .deserialize_any(StringVisitor)
        .map(Option::unwrap_or_default)
}

/// [`string`] for an optional field: `null` is `None`.
pub fn optional_string<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(StringVisitor)
}

/// A struct read from a JSON object field by field, so that its
/// `Deserialize` is a short match on the keys (compiled where a program
/// reads it) rather than derived code with a wrapper type per field.
pub trait Fields: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of `key` into its field; `false` if the type has no
    /// such field (its value is then skipped).
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// Deserializes a [`Fields`] type from an object: unknown keys are
/// skipped, and missing ones keep the type's default.
pub fn object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Fields,
{
    deserializer.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    /// An empty array stands for an empty object, as servers that encode
    /// an empty map as an empty list send it.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(T::default()),
            Some(_) => Err(de::Error::invalid_type(Unexpected::Seq, &self)),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !value.read_field(key.as_str(), &mut map)? {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(value)
    }
}

/// An object key, borrowed from the input when it can be.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(key)))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key.to_owned())))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of `key`, which no field names, into the map that keeps
/// an object's other keys.
pub fn read_other<'de, A, T>(
    key: &str,
    map: &mut A,
    slot: &mut Option<std::collections::BTreeMap<String, T>>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    let value = map.next_value()?;
    slot.get_or_insert_with(Default::default)
        .insert(key.to_owned(), value);
    Ok(())
}

/// Reads a string field: an integer in its place becomes its text, and
/// `null` the empty string.
pub fn read_string<'de, A: MapAccess<'de>>(map: &mut A, slot: &mut String) -> Result<(), A::Error> {
    *slot = map
        .next_value_seed(Seed(StringVisitor))?
        .unwrap_or_default();
    Ok(())
}

/// Reads an optional string field, as [`read_string`] does; `null` is `None`.
pub fn read_optional_string<'de, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<String>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(Seed(StringVisitor))?;
    Ok(())
}

/// Reads a number field: a number written as a string is read too, and
/// `null` is 0.
pub fn read_number<'de, A: MapAccess<'de>, T: Number>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map
        .next_value_seed(Seed(NumberVisitor(PhantomData)))?
        .unwrap_or_default();
    Ok(())
}

/// Reads an optional number field, as [`read_number`] does; `null` is `None`.
pub fn read_optional_number<'de, A: MapAccess<'de>, T: Number>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(Seed(NumberVisitor(PhantomData)))?;
    Ok(())
}

/// Reads a field the spec says is always present; `null` is its default.
pub fn read_or_default<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + Default,
{
    *slot = map.next_value::<Option<T>>()?.unwrap_or_default();
    Ok(())
}

/// Reads an optional field; `null` is `None`.
pub fn read_optional<'de, A, T>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *slot = map.next_value()?;
    Ok(())
}

/// A visitor used as a seed, for `next_value_seed`.
struct Seed<V>(V);

impl<'de, V: Visitor<'de>> de::DeserializeSeed<'de> for Seed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_any(self.0)
    }
}

/// `Debug` for a free-form JSON field: the JSON, with credentials hidden.
pub struct JsonDebug<'a, T: Serialize>(pub &'a T);

impl<T: Serialize> fmt::Debug for JsonDebug<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self.0) {
            Ok(mut value) => {
                redact(&mut value);
                write!(f, "{value}")
            }
            Err(_) => f.write_str("<unprintable JSON>"),
        }
    }
}

/// The numeric types a field may have, each read losslessly from a JSON
/// number or a numeric string.
pub trait Number: Sized + Default {
    /// How an error names the type.
    const EXPECTED: &'static str;
    /// `value`, if it fits exactly.
    fn from_i64(value: i64) -> Option<Self>;
    /// `value`, if it fits exactly.
    fn from_u64(value: u64) -> Option<Self>;
    /// `value`, if it fits exactly.
    fn from_f64(value: f64) -> Option<Self>;
    /// The number `text` writes, if it is exactly one of this type.
    fn parse(text: &str) -> Option<Self>;
}

/// `Number` for an integer type, read exactly or not at all.
macro_rules! integer {
    ($type:ty, $expected:literal) => {
        impl Number for $type {
            const EXPECTED: &'static str = $expected;
            fn from_i64(value: i64) -> Option<Self> {
                value.try_into().ok()
            }
            fn from_u64(value: u64) -> Option<Self> {
                value.try_into().ok()
            }
            fn from_f64(value: f64) -> Option<Self> {
                integral(value).and_then(|v| v.try_into().ok())
            }
            fn parse(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    };
}

integer!(i64, "an integer, or an integer written as a string");
integer!(i32, "a 32-bit integer, or one written as a string");

impl Number for f64 {
    const EXPECTED: &'static str = "a number, or a number written as a string";
    fn from_i64(value: i64) -> Option<Self> {
        let float = value as f64;
        (float as i64 == value).then_some(float)
    }
    fn from_u64(value: u64) -> Option<Self> {
        let float = value as f64;
        (float as u64 == value).then_some(float)
    }
    fn from_f64(value: f64) -> Option<Self> {
        Some(value)
    }
    fn parse(text: &str) -> Option<Self> {
        // JSON has no NaN or infinity, and neither does a number in a string.
        let looks_numeric = text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        text.parse::<f64>()
            .ok()
            .filter(|f| looks_numeric && f.is_finite())
    }
}

/// `value` as an integer, if it is one exactly.
fn integral(value: f64) -> Option<i128> {
    (value.fract() == 0.0 && value.abs() < 1e19).then_some(value as i128)
}

struct NumberVisitor<T>(PhantomData<T>);

impl<'de, T: Number> Visitor<'de> for NumberVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        T::from_i64(value)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        T::from_u64(value)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(value), &self))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        T::from_f64(value)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Float(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        T::parse(value)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or an integer")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Some(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "number")]
        count: i64,
        #[serde(default, deserialize_with = "optional_number")]
        small: Option<i32>,
        #[serde(default, deserialize_with = "optional_number")]
        ratio: Option<f64>,
        #[serde(default, deserialize_with = "string")]
        name: String,
        #[serde(default, deserialize_with = "optional_string")]
        id: Option<String>,
    }

    fn read(value: serde_json::Value) -> Result<Sample, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_in_strings_and_integers_for_strings_decode_losslessly() {
        let sample = read(
            json!({ "count": "60000", "small": "-7", "ratio": "0.25", "name": 42, "id": 9007199254740993u64 }),
        );
        assert_eq!(
            sample,
            Ok(Sample {
                count: 60000,
                small: Some(-7),
                ratio: Some(0.25),
                name: "42".into(),
                id: Some("9007199254740993".into()),
            })
        );
        assert_eq!(
            read(json!({ "count": 5.0, "small": null, "name": null })),
            Ok(Sample {
                count: 5,
                ..Sample::default()
            })
        );
        assert_eq!(read(json!({})), Ok(Sample::default()));
    }

    #[test]
    fn anything_else_is_an_error() {
        for bad in [
            json!({ "count": "60 000" }),
            json!({ "count": "1.5" }),
            json!({ "count": 1.5 }),
            json!({ "count": true }),
            json!({ "count": [] }),
            json!({ "small": 4_294_967_296u64 }),
            json!({ "ratio": "NaN" }),
            json!({ "ratio": "inf" }),
            json!({ "name": 1.5 }),
            json!({ "name": false }),
            json!({ "id": {} }),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad} decoded");
        }
    }
}
