//! Schemas made of others: `allOf` (merged, or a wrapper that annotates
//! one schema) and `oneOf`/`anyOf` (unions, or an optional value when one
//! alternative is `null`).

use openapiv3::{Discriminator, ReferenceOr, Schema};

use super::Lowering;
use super::reference::component_name;
use super::schema::{MAX_MERGE_DEPTH, Property, SchemaRef, Shape, shape};
use crate::diagnostic::Pointer;
use crate::model::{TypeKind, TypeRef, Union, UnionVariant};
use crate::names::{self, Scope};

/// A part of an `allOf` that only annotates the others — a description,
/// `nullable`, a bound — and has no type of its own.
fn is_annotation(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(schema) if matches!(shape(schema), Shape::Any))
}

/// The parts of an `allOf` that are not annotations, with their positions.
pub(super) fn substantive(parts: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !is_annotation(part))
        .collect()
}

/// A `oneOf`/`anyOf` alternative that only allows `null` (`type: 'null'`,
/// or 3.1's `type: [.., 'null']` as rewritten for 3.0): it makes the value
/// optional rather than adding a variant.
pub(super) fn is_null(part: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = part else {
        return false;
    };
    match shape(schema) {
        Shape::UnknownType("null") => true,
        Shape::Any => schema.schema_data.nullable,
        _ => false,
    }
}

/// The alternatives of a `oneOf`/`anyOf` but `null`, with their positions.
pub(super) fn alternatives(parts: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !is_null(part))
        .collect()
}

/// The annotations written on the `allOf` parts of a schema.
pub(super) fn annotations(schema: &Schema) -> impl Iterator<Item = &Schema> {
    let parts = match shape(schema) {
        Shape::AllOf(parts) => parts,
        _ => &[],
    };
    parts
        .iter()
        .filter(|part| is_annotation(part))
        .filter_map(|part| match part {
            ReferenceOr::Item(part) => Some(part),
            ReferenceOr::Reference { .. } => None,
        })
}

/// What an `allOf` part is, for deciding how the parts combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// An object, or an `allOf` of objects: its properties merge.
    Object,
    /// A `oneOf` or `anyOf`.
    Union,
    /// Anything else: a string, a number, an array…
    Other,
    /// A reference back to itself, which never reaches a definition.
    Loop,
}

impl<'a> Lowering<'a> {
    /// What an `allOf` is: the one part that is not an annotation, if only
    /// one is (a wrapper that adds a description or `nullable` to a type);
    /// one struct with the properties of every part, if all are objects;
    /// the alternatives of a `oneOf` among objects, if one is a union.
    pub(super) fn all_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
        name: &str,
    ) -> TypeKind {
        let substantive = substantive(parts);
        let kinds: Vec<Part> = substantive
            .iter()
            .map(|(_, part)| self.part((*part).into(), 0))
            .collect();
        let one = |this: &mut Self, (index, part): (usize, &'a ReferenceOr<Schema>)| {
            let at = pointer.push("allOf").push(index);
            match part {
                ReferenceOr::Item(part) => this.definition(part, &at, name),
                ReferenceOr::Reference { reference } => {
                    TypeKind::Alias(this.reference_type(reference, &at))
                }
            }
        };
        if kinds.contains(&Part::Loop) {
            self.error(pointer, "`allOf` refers back to itself");
            return TypeKind::Alias(TypeRef::Any);
        }
        match (substantive.as_slice(), kinds.as_slice()) {
            ([], _) => TypeKind::Alias(TypeRef::Any),
            ([only], _) => one(self, *only),
            (_, kinds) if kinds.iter().all(|k| *k == Part::Object) => {
                self.merge_all_of(parts, pointer, name)
            }
            (_, kinds)
                if kinds.iter().filter(|k| **k == Part::Union).count() == 1
                    && kinds.iter().all(|k| *k != Part::Other) =>
            {
                let position = kinds.iter().position(|k| *k == Part::Union).unwrap_or(0);
                self.warning(
                    &pointer.push("allOf"),
                    "the properties the other `allOf` parts add to each alternative of the `oneOf` are not part of the Rust type; they are read and sent only as the alternatives list them",
                );
                one(self, substantive[position])
            }
            _ => {
                self.warning(
                    &pointer.push("allOf"),
                    "`allOf` can only merge object schemas, or wrap one schema; the value is typed as any JSON value",
                );
                TypeKind::Alias(TypeRef::Any)
            }
        }
    }

    /// What an `allOf` part is, following references.
    fn part(&self, schema: SchemaRef<'a>, depth: usize) -> Part {
        if depth > MAX_MERGE_DEPTH {
            return Part::Loop;
        }
        let schema = match schema {
            SchemaRef::Item(schema) => schema,
            SchemaRef::Reference(reference) => {
                let target = component_name(reference, "schemas")
                    .and_then(|key| self.spec.components.as_ref()?.schemas.get(&key));
                return match target {
                    Some(target) => self.part(target.into(), depth + 1),
                    None => Part::Other,
                };
            }
        };
        match shape(schema) {
            Shape::Object { .. } => Part::Object,
            Shape::OneOf(..) => Part::Union,
            Shape::AllOf(parts) => {
                let kinds: Vec<Part> = substantive(parts)
                    .into_iter()
                    .map(|(_, part)| self.part(part.into(), depth + 1))
                    .collect();
                match kinds.as_slice() {
                    [only] => *only,
                    kinds if kinds.contains(&Part::Loop) => Part::Loop,
                    kinds if kinds.iter().all(|k| *k == Part::Object) => Part::Object,
                    _ => Part::Other,
                }
            }
            _ => Part::Other,
        }
    }

    /// One struct with the properties of every part of an `allOf`.
    fn merge_all_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
        name: &str,
    ) -> TypeKind {
        let mut properties = Vec::new();
        let mut required = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let at = pointer.push("allOf").push(index);
            if !self.collect_object(part.into(), &at, &mut properties, &mut required, 0) {
                self.warning(
                    &at,
                    "`allOf` can only merge object schemas; the value is typed as any JSON value",
                );
                return TypeKind::Alias(TypeRef::Any);
            }
        }
        // A property listed twice takes its last definition, as a later `allOf` part refines an earlier one.
        let mut seen = std::collections::HashSet::new();
        let mut merged: Vec<Property<'a>> = properties
            .into_iter()
            .rev()
            .filter(|p: &Property<'a>| seen.insert(p.wire_name))
            .collect();
        merged.reverse();
        TypeKind::Struct(self.fields(merged, &required, name))
    }

    /// Adds the properties of an object schema (following references and
    /// nested `allOf`s); false if `schema` is not an object.
    pub(super) fn collect_object(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &Pointer,
        properties: &mut Vec<Property<'a>>,
        required: &mut Vec<String>,
        depth: usize,
    ) -> bool {
        if depth > MAX_MERGE_DEPTH {
            self.error(pointer, "`allOf` refers back to itself");
            return false;
        }
        let (schema, pointer) = match schema {
            SchemaRef::Item(schema) => (schema, pointer.clone()),
            SchemaRef::Reference(reference) => {
                let target = component_name(reference, "schemas").and_then(|key| {
                    let schemas = &self.spec.components.as_ref()?.schemas;
                    schemas.get_key_value(&key)
                });
                let Some((key, target)) = target else {
                    self.error(
                        pointer,
                        format!("`{reference}` names a schema that does not exist"),
                    );
                    return false;
                };
                let at = Pointer::root().push("components").push("schemas").push(key);
                return self.collect_object(target.into(), &at, properties, required, depth + 1);
            }
        };
        match shape(schema) {
            Shape::Object {
                properties: own,
                required: own_required,
                ..
            } => {
                for (wire_name, property) in own.into_iter().flatten() {
                    properties.push(Property {
                        wire_name,
                        schema: property.into(),
                        pointer: pointer.push("properties").push(wire_name),
                    });
                }
                required.extend(own_required.iter().cloned());
                true
            }
            Shape::AllOf(parts) => parts.iter().enumerate().all(|(index, part)| {
                let at = pointer.push("allOf").push(index);
                self.collect_object(part.into(), &at, properties, required, depth + 1)
            }),
            // A part with only a description or other annotations adds nothing.
            Shape::Any => true,
            _ => false,
        }
    }

    /// An enum with a variant per alternative of a `oneOf` or `anyOf`.
    pub(super) fn union(
        &mut self,
        keyword: &str,
        parts: &'a [ReferenceOr<Schema>],
        discriminator: Option<&Discriminator>,
        pointer: &Pointer,
        name: &str,
    ) -> Union {
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (index, part) in alternatives(parts) {
            let at = pointer.push(keyword).push(index);
            let part = SchemaRef::from(part);
            let base = match part {
                SchemaRef::Reference(reference) => {
                    component_name(reference, "schemas").map(|c| names::type_name(&c))
                }
                SchemaRef::Item(schema) => variant_base(schema),
            }
            .unwrap_or_else(|| format!("Variant{}", index + 1));
            let ty = self.type_of(part, &at, &format!("{name}{base}"));
            let tag = match (discriminator, part) {
                (Some(d), SchemaRef::Reference(reference)) => Some(tag_of(d, reference)),
                _ => None,
            };
            variants.push(UnionVariant {
                name: self.claim(&mut scope, base, "", "union variant", &at),
                ty,
                tag,
                boxed: false,
            });
        }
        let mut discriminator = discriminator.map(|d| d.property_name.clone());
        if discriminator.is_some() && variants.iter().any(|v| v.tag.is_none()) {
            self.warning(
                &pointer.push("discriminator"),
                "a discriminator needs every alternative to be a `$ref`; values are matched by shape instead",
            );
            variants.iter_mut().for_each(|v| v.tag = None);
            discriminator = None;
        }
        let unknown = if scope.contains("Unknown") {
            scope.claim("UnknownValue".to_owned(), "").name
        } else {
            "Unknown".to_owned()
        };
        Union {
            variants,
            discriminator,
            unknown,
        }
    }
}

/// A variant name for an inline alternative: its `title`, or what it is.
fn variant_base(schema: &Schema) -> Option<String> {
    let title = schema
        .schema_data
        .title
        .as_deref()
        .map(names::type_name)
        .filter(|t| t != "Unnamed");
    title.or_else(|| {
        let kind = match shape(schema) {
            Shape::String { .. } => "String",
            Shape::Integer { .. } => "Integer",
            Shape::Number => "Number",
            Shape::Boolean => "Boolean",
            Shape::Array(_) => "Array",
            Shape::Object { .. } => "Object",
            _ => return None,
        };
        Some(kind.to_owned())
    })
}

/// The discriminator value that selects the schema `reference` names: its
/// key in the mapping, or else the schema's name.
fn tag_of(discriminator: &Discriminator, reference: &str) -> String {
    let name = component_name(reference, "schemas").unwrap_or_default();
    discriminator
        .mapping
        .iter()
        .find(|(_, target)| *target == reference || **target == name)
        .map(|(value, _)| value.clone())
        .unwrap_or(name)
}
