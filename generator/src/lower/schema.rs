//! Schemas to types: component schemas become named types, inline objects and
//! enums become named types of their own, everything else a type reference.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

use super::Lowering;
use super::composition::{alternatives, annotations, is_null, substantive};
use super::reference::component_name;
use super::secrets;
use crate::diagnostic::Pointer;
use crate::model::{Enum, Field, PartKind, TypeDef, TypeKind, TypeRef, Usage, Variant};
use crate::names::{self, Scope};

/// How deep `allOf` merging follows references before assuming a loop.
pub(super) const MAX_MERGE_DEPTH: usize = 32;

/// A schema or a reference to one, whichever way `openapiv3` boxes it.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Reference(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(schema: &'s ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Reference(reference),
            ReferenceOr::Item(schema) => Self::Item(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(schema: &'s ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Reference(reference),
            ReferenceOr::Item(schema) => Self::Item(schema),
        }
    }
}

impl<'s> SchemaRef<'s> {
    pub(super) fn item(self) -> Option<&'s Schema> {
        match self {
            Self::Item(schema) => Some(schema),
            Self::Reference(_) => None,
        }
    }

    /// The description written on this node (a `$ref` carries none in
    /// OpenAPI 3.0), with the values it allows if the Rust type cannot say.
    pub(super) fn description(self) -> Option<String> {
        let own = self.item().and_then(|s| {
            s.schema_data
                .description
                .clone()
                .or_else(|| annotations(s).find_map(|part| part.schema_data.description.clone()))
        });
        join_paragraphs(own, self.allowed_values())
    }

    /// "Allowed values: ..." for an `enum` the Rust type does not enforce.
    pub(super) fn allowed_values(self) -> Option<String> {
        let values = unchecked_enum(self.item()?)?;
        Some(format!("Allowed values: {}.", listed(&values)))
    }

    pub(super) fn nullable(self) -> bool {
        self.item().is_some_and(|s| {
            let null_alternative = match shape(s) {
                Shape::OneOf(_, parts) => parts.iter().any(is_null),
                _ => false,
            };
            s.schema_data.nullable
                || null_alternative
                || annotations(s).any(|part| part.schema_data.nullable)
        })
    }

    pub(super) fn default(self) -> Option<serde_json::Value> {
        self.item().and_then(|s| s.schema_data.default.clone())
    }

    /// A value this schema accepts: its `example`, or for a string one
    /// that fits its format and length.
    pub(super) fn example(self) -> Option<serde_json::Value> {
        let schema = self.item()?;
        if let Some(example) = &schema.schema_data.example {
            return Some(example.clone());
        }
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            return None;
        };
        if let Some(Some(first)) = string.enumeration.first() {
            return Some(serde_json::Value::String(first.clone()));
        }
        let text = match &string.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "2026-01-01T00:00:00Z",
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "2026-01-01",
            VariantOrUnknownOrEmpty::Unknown(format) if format == "email" => "ada@example.com",
            VariantOrUnknownOrEmpty::Unknown(format) if format == "uri" || format == "url" => {
                "https://example.com"
            }
            _ => "example",
        };
        let mut text = text.to_owned();
        if let Some(min) = string.min_length {
            while text.chars().count() < min {
                text.push('x');
            }
        }
        if let Some(max) = string.max_length {
            text = text.chars().take(max.max(1)).collect();
        }
        Some(serde_json::Value::String(text))
    }

    /// Marked `format: password`: the value is a secret.
    pub(super) fn sensitive(self) -> bool {
        self.item()
            .is_some_and(|s| matches!(shape(s), Shape::String { password: true, .. }))
    }
}

type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// What a schema describes, with `openapiv3`'s several spellings of the same
/// thing brought together.
pub(super) enum Shape<'s> {
    Object {
        properties: Option<&'s Properties>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<SchemaRef<'s>>),
    String {
        /// The `enum`'s values, each with its index in the spec's list.
        values: Vec<(usize, &'s str)>,
        password: bool,
    },
    Integer {
        int32: bool,
    },
    Number,
    Boolean,
    AllOf(&'s [ReferenceOr<Schema>]),
    /// `oneOf` or `anyOf`, named by the keyword.
    OneOf(&'static str, &'s [ReferenceOr<Schema>]),
    Not,
    /// A `type` JSON Schema does not have.
    UnknownType(&'s str),
    Any,
}

pub(super) fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Shape::Object {
            properties: Some(&object.properties),
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(array)) => {
            Shape::Array(array.items.as_ref().map(SchemaRef::from))
        }
        SchemaKind::Type(Type::String(string)) => Shape::String {
            values: string
                .enumeration
                .iter()
                .enumerate()
                .filter_map(|(index, value)| Some((index, value.as_deref()?)))
                .collect(),
            password: matches!(
                string.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Password)
            ),
        },
        SchemaKind::Type(Type::Integer(integer)) => Shape::Integer {
            int32: matches!(
                integer.format,
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
            ),
        },
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::OneOf { one_of } => Shape::OneOf("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => Shape::OneOf("anyOf", any_of),
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) => any_shape(any),
    }
}

/// The shape of a schema `openapiv3` could not classify, such as one with
/// `properties` but no `type`.
fn any_shape(any: &AnySchema) -> Shape<'_> {
    if !any.all_of.is_empty() {
        return Shape::AllOf(&any.all_of);
    }
    if !any.one_of.is_empty() {
        return Shape::OneOf("oneOf", &any.one_of);
    }
    if !any.any_of.is_empty() {
        return Shape::OneOf("anyOf", &any.any_of);
    }
    if any.not.is_some() {
        return Shape::Not;
    }
    let object = Shape::Object {
        properties: Some(&any.properties),
        required: &any.required,
        additional: any.additional_properties.as_ref(),
    };
    let strings: Option<Vec<(usize, &str)>> = any
        .enumeration
        .iter()
        .enumerate()
        .map(|(index, value)| Some((index, value.as_str()?)))
        .collect();
    match any.typ.as_deref() {
        Some("object") => object,
        None if !any.properties.is_empty() || any.additional_properties.is_some() => object,
        Some("array") => Shape::Array(any.items.as_ref().map(SchemaRef::from)),
        None if any.items.is_some() => Shape::Array(any.items.as_ref().map(SchemaRef::from)),
        Some("string") => Shape::String {
            values: strings.unwrap_or_default(),
            password: any.format.as_deref() == Some("password"),
        },
        None if !any.enumeration.is_empty() && strings.is_some() => Shape::String {
            values: strings.unwrap_or_default(),
            password: false,
        },
        Some("integer") => Shape::Integer {
            int32: any.format.as_deref() == Some("int32"),
        },
        Some("number") => Shape::Number,
        Some("boolean") => Shape::Boolean,
        Some(other) => Shape::UnknownType(other),
        None => Shape::Any,
    }
}

/// A string of `format: binary` or `byte`: a file, in a form.
fn is_file(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => matches!(
            string.format,
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte)
        ),
        SchemaKind::Any(any) => {
            matches!(any.typ.as_deref(), Some("string") | None)
                && matches!(any.format.as_deref(), Some("binary" | "byte"))
        }
        _ => false,
    }
}

/// Whether a schema, written inline, becomes a named type of its own.
fn defines_type(schema: &Schema) -> bool {
    match shape(schema) {
        Shape::Object { properties, .. } => properties.is_some_and(|p| !p.is_empty()),
        Shape::String { values, .. } => !values.is_empty(),
        Shape::AllOf(parts) => match substantive(parts).as_slice() {
            [(_, ReferenceOr::Item(only))] => defines_type(only),
            [_] | [] => false,
            _ => true,
        },
        Shape::OneOf(_, parts) => match alternatives(parts).as_slice() {
            [(_, ReferenceOr::Item(only))] => defines_type(only),
            [_] | [] => false,
            _ => true,
        },
        _ => false,
    }
}

/// A property on its way to becoming a field.
pub(super) struct Property<'a> {
    pub(super) wire_name: &'a str,
    pub(super) schema: SchemaRef<'a>,
    pub(super) pointer: Pointer,
}

impl<'a> Lowering<'a> {
    /// Lowers `#/components/schemas`, naming every component before lowering
    /// any, so that references resolve whatever their order.
    pub(super) fn component_schemas(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for key in components.schemas.keys() {
            let pointer = Pointer::root().push("components").push("schemas").push(key);
            let name = self.claim_type_name(key, &pointer);
            self.component_types.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let pointer = Pointer::root().push("components").push("schemas").push(key);
            let Some(name) = self.component_types.get(key).cloned() else {
                continue;
            };
            let schema = SchemaRef::from(schema);
            let kind = match schema {
                SchemaRef::Reference(reference) => {
                    TypeKind::Alias(self.reference_type(reference, &pointer))
                }
                SchemaRef::Item(item) => self.definition(item, &pointer, &name),
            };
            self.insert_type(name, schema.description(), kind);
        }
    }

    /// The type of a schema used by a field, parameter or body. An inline
    /// object or enum becomes a new type named after `hint`.
    pub(super) fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
        hint: &str,
    ) -> TypeRef {
        match schema {
            SchemaRef::Reference(reference) => self.reference_type(reference, pointer),
            SchemaRef::Item(item) if defines_type(item) => {
                let name = self.claim_type_name(hint, pointer);
                let kind = self.definition(item, pointer, &name);
                self.insert_type(name.clone(), schema.description(), kind);
                TypeRef::Named(name)
            }
            SchemaRef::Item(item) => match self.definition(item, pointer, hint) {
                TypeKind::Alias(ty) => ty,
                // `defines_type` said no: only aliases come back here.
                TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) => TypeRef::Any,
            },
        }
    }

    /// The named type a `$ref` points at.
    pub(super) fn reference_type(&mut self, reference: &str, pointer: &Pointer) -> TypeRef {
        let Some(component) = component_name(reference, "schemas") else {
            self.error(pointer, super::reference::unfollowed(reference, "schemas"));
            return TypeRef::Any;
        };
        match self.component_types.get(&component) {
            Some(name) => TypeRef::Named(name.clone()),
            None => {
                self.error(
                    pointer,
                    format!("`{reference}` names a schema that does not exist"),
                );
                TypeRef::Any
            }
        }
    }

    fn insert_type(&mut self, name: String, doc: Option<String>, kind: TypeKind) {
        let def = TypeDef {
            name: name.clone(),
            doc,
            kind,
            usage: Usage::default(),
            features: Vec::new(),
        };
        self.types.insert(name, def);
    }

    /// What a schema defines when it is given the name `name`.
    pub(super) fn definition(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        name: &str,
    ) -> TypeKind {
        let alias = TypeKind::Alias;
        if let Some(values) = unchecked_enum(schema) {
            self.warning(
                &pointer.push("enum"),
                format!(
                    "only strings can be listed as an enum type; values are not checked against the allowed {}",
                    listed(&values)
                ),
            );
        }
        match shape(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } => match properties.filter(|p| !p.is_empty()) {
                Some(properties) => {
                    let properties = properties
                        .iter()
                        .map(|(wire_name, schema)| Property {
                            wire_name,
                            schema: schema.into(),
                            pointer: pointer.push("properties").push(wire_name),
                        })
                        .collect();
                    let mut fields = self.fields(properties, required, name);
                    if let Some(field) = self.additional_field(additional, pointer, name, &fields) {
                        fields.push(field);
                    }
                    TypeKind::Struct(fields)
                }
                None => match additional {
                    Some(AdditionalProperties::Schema(values)) => {
                        let at = pointer.push("additionalProperties");
                        let value =
                            self.type_of(values.as_ref().into(), &at, &format!("{name}Value"));
                        alias(TypeRef::Map(Box::new(value)))
                    }
                    _ => alias(TypeRef::Object),
                },
            },
            Shape::Array(items) => {
                let item = match items {
                    Some(items) => {
                        self.type_of(items, &pointer.push("items"), &format!("{name}Item"))
                    }
                    None => TypeRef::Any,
                };
                alias(TypeRef::Array(Box::new(item)))
            }
            Shape::String { values, .. } if !values.is_empty() => TypeKind::Enum(self.enumeration(
                &values,
                schema.schema_data.default.as_ref(),
                pointer,
            )),
            Shape::String { .. } => alias(TypeRef::String),
            Shape::Integer { int32: true } => alias(TypeRef::I32),
            Shape::Integer { int32: false } => alias(TypeRef::I64),
            Shape::Number => alias(TypeRef::F64),
            Shape::Boolean => alias(TypeRef::Bool),
            Shape::AllOf(parts) => self.all_of(parts, pointer, name),
            Shape::OneOf(keyword, parts) if alternatives(parts).len() == 1 => {
                let (index, only) = alternatives(parts)[0];
                let at = pointer.push(keyword).push(index);
                match only {
                    ReferenceOr::Item(only) => self.definition(only, &at, name),
                    ReferenceOr::Reference { reference } => {
                        alias(self.reference_type(reference, &at))
                    }
                }
            }
            Shape::OneOf(keyword, parts) => {
                let discriminator = schema.schema_data.discriminator.as_ref();
                TypeKind::Union(self.union(keyword, parts, discriminator, pointer, name))
            }
            Shape::Not => {
                self.warning(pointer, "`not` cannot be expressed as a Rust type; the value is typed as any JSON value");
                alias(TypeRef::Any)
            }
            // JSON Schema's `null` type, which OpenAPI 3.0 lacks but
            // specs that say they are 3.0 use: a value that is always null.
            Shape::UnknownType("null") => alias(TypeRef::Any),
            Shape::UnknownType(name) => {
                self.error(
                    &pointer.push("type"),
                    format!("`{name}` is not a JSON Schema type (string, number, integer, boolean, array or object)"),
                );
                alias(TypeRef::Any)
            }
            Shape::Any => alias(TypeRef::Any),
        }
    }

    pub(super) fn fields(
        &mut self,
        properties: Vec<Property<'a>>,
        required: &[String],
        owner: &str,
    ) -> Vec<Field> {
        let mut scope = Scope::default();
        properties
            .into_iter()
            .map(|property| {
                let hint = format!("{owner}{}", names::type_name(property.wire_name));
                let ty = self.type_of(property.schema, &property.pointer, &hint);
                let wanted = names::value_name(property.wire_name);
                Field {
                    name: self.claim(&mut scope, wanted, "_", "field", &property.pointer),
                    wire_name: property.wire_name.to_owned(),
                    doc: property.schema.description(),
                    required: required.iter().any(|r| r == property.wire_name),
                    nullable: property.schema.nullable(),
                    sensitive: property.schema.sensitive()
                        || secrets::secret_by_name(property.wire_name, &ty),
                    ty,
                    boxed: false,
                    default: property.schema.default(),
                    example: property.schema.example(),
                    additional: false,
                }
            })
            .collect()
    }

    /// The field that keeps the keys `properties` does not list, when the
    /// schema describes them (`additionalProperties` as a schema, or `true`
    /// written out).
    fn additional_field(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &Pointer,
        owner: &str,
        fields: &[Field],
    ) -> Option<Field> {
        let at = pointer.push("additionalProperties");
        let (value, doc) = match additional? {
            AdditionalProperties::Any(false) => return None,
            AdditionalProperties::Any(true) => (TypeRef::Any, None),
            AdditionalProperties::Schema(values) => {
                let values = SchemaRef::from(values.as_ref());
                let ty = self.type_of(values, &at, &format!("{owner}Value"));
                (ty, values.description())
            }
        };
        let mut scope = Scope::default();
        for field in fields {
            scope.claim(field.name.clone(), "_");
        }
        let name = self.claim(
            &mut scope,
            "additional_properties".to_owned(),
            "_",
            "field",
            &at,
        );
        let doc = doc.unwrap_or_else(|| {
            "The object's other keys, which the listed fields do not name.".to_owned()
        });
        Some(Field {
            name,
            wire_name: String::new(),
            doc: Some(doc),
            ty: TypeRef::Map(Box::new(value)),
            required: false,
            nullable: false,
            sensitive: false,
            boxed: false,
            default: None,
            example: None,
            additional: true,
        })
    }
}

impl<'a> Lowering<'a> {
    /// The parts of a `multipart/form-data` body, a field per property of
    /// its object schema (following references and `allOf`s) with how it
    /// is sent: `format: binary` or `byte` strings (and arrays of them) as
    /// files, other scalars as text, objects and arrays as JSON. `None` when
    /// the schema is not an object.
    pub(super) fn parts(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
        owner: &str,
    ) -> Option<Vec<(Field, PartKind)>> {
        let mut properties = Vec::new();
        let mut required = Vec::new();
        if !self.collect_object(schema, pointer, &mut properties, &mut required, 0) {
            return None;
        }
        let mut parts = Vec::new();
        for property in properties {
            let (kind, file_type) = match self.file_kind(property.schema) {
                Some(ty) => (PartKind::Files, Some(ty)),
                None => (PartKind::Text, None),
            };
            let mut field = self.fields(vec![property], &required, owner).pop()?;
            let kind = match file_type {
                Some(ty) => {
                    field.ty = ty;
                    field.example = None;
                    kind
                }
                None => self.value_part(&field.ty),
            };
            parts.push((field, kind));
        }
        Some(parts)
    }

    /// How a value of `ty` that is not a file is sent as a part: scalars
    /// as text, anything else as JSON.
    pub(super) fn value_part(&self, ty: &TypeRef) -> PartKind {
        match ty {
            TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool => {
                PartKind::Text
            }
            TypeRef::Named(name) if self.is_string_enum(name) => PartKind::Text,
            _ => PartKind::Json,
        }
    }

    /// The properties of the object `schema` (following references and
    /// `allOf`s) that a form sends as files; `None` when it is not an object.
    pub(super) fn file_properties(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
    ) -> Option<Vec<&'a str>> {
        let mut properties = Vec::new();
        let mut required = Vec::new();
        if !self.collect_object(schema, pointer, &mut properties, &mut required, 0) {
            return None;
        }
        Some(
            properties
                .into_iter()
                .filter(|property| self.file_kind(property.schema).is_some())
                .map(|property| property.wire_name)
                .collect(),
        )
    }

    /// `Some(File)` for a file, `Some([File])` for an array of files.
    pub(super) fn file_kind(&self, schema: SchemaRef<'a>) -> Option<TypeRef> {
        let schema = self.resolved_schema(schema)?;
        if is_file(schema) {
            return Some(TypeRef::File);
        }
        match shape(schema) {
            Shape::Array(Some(item)) => self
                .resolved_schema(item)
                .filter(|item| is_file(item))
                .map(|_| TypeRef::Array(Box::new(TypeRef::File))),
            _ => None,
        }
    }

    /// The schema itself, or the component a `$ref` names.
    pub(super) fn resolved_schema(&self, schema: SchemaRef<'a>) -> Option<&'a Schema> {
        match schema {
            SchemaRef::Item(item) => Some(item),
            SchemaRef::Reference(reference) => {
                let key = component_name(reference, "schemas")?;
                match self.spec.components.as_ref()?.schemas.get(&key)? {
                    ReferenceOr::Item(item) => Some(item),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn is_string_enum(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|def| matches!(def.kind, TypeKind::Enum(_)))
    }
}

impl Lowering<'_> {
    /// An enum with a variant per listed value, the first of repeated values
    /// kept.
    fn enumeration(
        &mut self,
        values: &[(usize, &str)],
        default: Option<&serde_json::Value>,
        pointer: &Pointer,
    ) -> Enum {
        let mut scope = Scope::default();
        let mut seen = std::collections::HashSet::new();
        let mut variants = Vec::new();
        for &(index, value) in values {
            if !seen.insert(value) {
                continue;
            }
            let at = pointer.push("enum").push(index);
            variants.push(Variant {
                name: self.claim(
                    &mut scope,
                    names::variant_name(value),
                    "",
                    "enum variant",
                    &at,
                ),
                value: value.to_owned(),
            });
        }
        let unknown = if scope.contains("Unknown") {
            scope.claim("UnknownValue".to_owned(), "").name
        } else {
            "Unknown".to_owned()
        };
        let default = default
            .and_then(|d| d.as_str())
            .and_then(|d| variants.iter().position(|v| v.value == d));
        Enum {
            variants,
            unknown,
            default,
        }
    }
}

/// The values of an `enum` that does not become an enum type (one of
/// integers, numbers or booleans, or mixing strings with other values),
/// which the generated code therefore does not check.
fn unchecked_enum(schema: &Schema) -> Option<Vec<serde_json::Value>> {
    let values: Vec<serde_json::Value> = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => integer
            .enumeration
            .iter()
            .flatten()
            .map(|&v| v.into())
            .collect(),
        SchemaKind::Type(Type::Number(number)) => number
            .enumeration
            .iter()
            .flatten()
            .map(|&v| v.into())
            .collect(),
        SchemaKind::Type(Type::Boolean(boolean)) => boolean
            .enumeration
            .iter()
            .flatten()
            .map(|&v| v.into())
            .collect(),
        SchemaKind::Any(any) => match shape(schema) {
            Shape::String { values, .. } if !values.is_empty() => Vec::new(),
            _ => any.enumeration.clone(),
        },
        _ => Vec::new(),
    };
    (!values.is_empty()).then_some(values)
}

/// Values as a list for a sentence, as JSON: `1, 2, 3`.
fn listed(values: &[serde_json::Value]) -> String {
    values
        .iter()
        .map(serde_json::Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `first` and `second` as paragraphs of one text, either one alone, or none.
pub(super) fn join_paragraphs(first: Option<String>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(first), Some(second)) => Some(format!("{first}\n\n{second}")),
        (first, second) => first.or(second),
    }
}
