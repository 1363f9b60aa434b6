//! Which list operations page: optional integer `page` and `limit` query
//! inputs, and a response whose page (itself, or its `data`) holds a `list`
//! of items and an integer `totalCount`.

use std::collections::BTreeMap;

use crate::model::{Field, InputSource, Operation, Paging, TypeDef, TypeKind, TypeRef};

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
    let (page, limit) = (input("page")?, input("limit")?);
    let response = fields(types, operation.response.as_ref()?)?;
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
        page: page.name.clone(),
        limit: limit.name.clone(),
        data,
        list: (list.name.clone(), list.is_optional()),
        total: (total.name.clone(), total.is_optional()),
        item,
    })
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
