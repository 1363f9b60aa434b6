//! Which list operations page: optional integer `page` and `limit` query
//! inputs (or the same fields in the body, at its top or in its `options`,
//! inside a `pagination` object), and a response whose page (itself, or its
//! `data`) holds a `list` of items and an integer `totalCount`.

use std::collections::BTreeMap;

use crate::model::{Field, InputSource, Operation, PageInputs, Paging, TypeDef, TypeKind, TypeRef};

pub(super) fn find(types: &BTreeMap<String, TypeDef>, operations: &mut [Operation]) {
    for operation in operations {
        operation.paging = paging(types, operation);
    }
}

fn paging(types: &BTreeMap<String, TypeDef>, operation: &Operation) -> Option<Paging> {
    let input = |wire: &str| {
        operation.inputs.iter().find(|input| {
            matches!(&input.source, InputSource::Query { wire_name, .. } if wire_name == wire)
                && !input.required
                && input.ty == TypeRef::I64
        })
    };
    let inputs = match (input("page"), input("limit")) {
        (Some(page), Some(limit)) => PageInputs::Query {
            page: page.name.clone(),
            limit: limit.name.clone(),
        },
        _ => body_inputs(types, operation)?,
    };
    let response = fields(types, operation.response.as_ref()?.json()?)?;
    let (data, page_fields) = match page_of(types, response) {
        Some(found) => (None, found),
        None => {
            let data = response.iter().find(|f| f.wire_name == "data")?;
            let found = page_of(types, fields(types, &data.ty)?)?;
            (Some((data.name.clone(), data.is_optional())), found)
        }
    };
    let (list, total, item) = page_fields;
    Some(Paging {
        inputs,
        data,
        list: (list.name.clone(), list.is_optional()),
        total: (total.name.clone(), total.is_optional()),
        item,
    })
}

/// `page` and `limit` in a `pagination` object of the body, or of the
/// body's `options`; every object on the way optional and defaultable, so
/// that the page can be set on any request.
fn body_inputs(types: &BTreeMap<String, TypeDef>, operation: &Operation) -> Option<PageInputs> {
    let body = operation.body.as_ref().filter(|body| body.by_field)?;
    let body_fields = fields(types, &body.ty)?;
    for route in [&["pagination"][..], &["options", "pagination"]] {
        let mut current = body_fields;
        let mut path = Vec::new();
        let mut found = true;
        for wire in route {
            let Some(field) = current
                .iter()
                .find(|f| f.wire_name == *wire && f.is_optional() && !f.boxed)
            else {
                found = false;
                break;
            };
            match fields(types, &field.ty) {
                Some(inner) if inner.iter().all(Field::is_optional) => {
                    path.push(field.name.clone());
                    current = inner;
                }
                _ => {
                    found = false;
                    break;
                }
            }
        }
        if !found {
            continue;
        }
        let number = |wire: &str| {
            current
                .iter()
                .find(|f| f.wire_name == wire && f.ty == TypeRef::I64 && !f.boxed)
                .map(|f| f.name.clone())
        };
        if let (Some(page), Some(limit)) = (number("page"), number("limit")) {
            return Some(PageInputs::Body { path, page, limit });
        }
    }
    None
}

/// The `list` and `totalCount` fields of a page, and the item type.
fn page_of<'a>(
    types: &BTreeMap<String, TypeDef>,
    fields: &'a [Field],
) -> Option<(&'a Field, &'a Field, TypeRef)> {
    let list = fields.iter().find(|f| f.wire_name == "list" && !f.boxed)?;
    let total = fields
        .iter()
        .find(|f| f.wire_name == "totalCount" && f.ty == TypeRef::I64 && !f.boxed)?;
    match resolve(types, &list.ty) {
        TypeRef::Array(item) => Some((list, total, (**item).clone())),
        _ => None,
    }
}

/// The fields of the struct `ty` names, through aliases.
fn fields<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<&'a [Field]> {
    match resolve(types, ty) {
        TypeRef::Named(name) => match &types.get(name)?.kind {
            TypeKind::Struct(fields) => Some(fields),
            _ => None,
        },
        _ => None,
    }
}

/// `ty` with aliases followed (a bounded number of steps: aliases may loop).
fn resolve<'a>(types: &'a BTreeMap<String, TypeDef>, mut ty: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..types.len().min(64) {
        match ty {
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}
