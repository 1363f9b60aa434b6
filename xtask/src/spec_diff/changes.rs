//! What changed between two versions of a spec, and whether each change
//! breaks code written against the `genauth` crate generated from it.
//!
//! The rules follow from how the crate is generated: an operation is a
//! method named after its operationId; required inputs are arguments and
//! optional ones setters; response types are read, not built; enums are
//! `#[non_exhaustive]` and keep values they do not know.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec_facts::{self, Field, Operation};

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Operation,
    RequestField,
    ResponseField,
    RequestEnum,
    ResponseEnum,
    Security,
    Type,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operation => "operation",
            Self::RequestField => "request field",
            Self::ResponseField => "response field",
            Self::RequestEnum => "request enum",
            Self::ResponseEnum => "response enum",
            Self::Security => "security",
            Self::Type => "type",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The operation's ID (empty for a change to a named type).
    pub operation: String,
    /// `POST /api/v3/signin`, or empty for a named type.
    pub place: String,
    pub category: Category,
    /// The field, parameter, enum value or type concerned.
    pub subject: String,
    /// What happened to it.
    pub what: String,
    pub breaking: bool,
    /// Why that is (or is not) breaking for users of the crate.
    pub why: &'static str,
}

/// Every change from `base` to `head`, operations in head's order.
pub fn changes(base: &Value, head: &Value) -> Vec<Change> {
    let before: BTreeMap<String, Operation> = spec_facts::operations(base)
        .into_iter()
        .map(|op| (key(&op), op))
        .collect();
    let after = spec_facts::operations(head);
    let mut out = Vec::new();
    let mut matched = BTreeSet::new();
    for op in &after {
        let place_key = format!("{} {}", op.method, op.path);
        let old = before.get(&key(op)).or_else(|| {
            // The same method and path under another ID: a renamed operation.
            before.values().find(|b| {
                format!("{} {}", b.method, b.path) == place_key
                    && !after.iter().any(|a| key(a) == key(b))
            })
        });
        let Some(old) = old else {
            out.push(operation_change(op, "added", false, "a new method"));
            continue;
        };
        matched.insert(key(old));
        if old.id != op.id {
            out.push(operation_change(
                op,
                &format!("renamed from `{}`", old.id),
                true,
                "the method's name changes",
            ));
        }
        if old.method != op.method || old.path != op.path {
            out.push(operation_change(
                op,
                &format!("moved from {} {}", old.method.to_uppercase(), old.path),
                false,
                "the method keeps its name and inputs; the crate sends it to the new place",
            ));
        }
        compare_fields(op, &old.request, &op.request, Side::Request, &mut out);
        compare_fields(op, &old.response, &op.response, Side::Response, &mut out);
        compare_security(op, old, &mut out);
    }
    for (key, old) in &before {
        if !matched.contains(key) {
            out.push(operation_change(
                old,
                "removed",
                true,
                "the method disappears",
            ));
        }
    }
    let (old_types, new_types) = (
        spec_facts::schema_names(base),
        spec_facts::schema_names(head),
    );
    for name in old_types.difference(&new_types) {
        out.push(type_change(
            name,
            "removed",
            true,
            "code that names the type no longer compiles",
        ));
    }
    for name in new_types.difference(&old_types) {
        out.push(type_change(name, "added", false, "a new type"));
    }
    out
}

/// How operations are matched between versions: by ID, which names the method.
fn key(op: &Operation) -> String {
    if op.id.is_empty() {
        format!("{} {}", op.method, op.path)
    } else {
        op.id.clone()
    }
}

fn place(op: &Operation) -> String {
    format!("{} {}", op.method.to_uppercase(), op.path)
}

fn operation_change(op: &Operation, what: &str, breaking: bool, why: &'static str) -> Change {
    Change {
        operation: op.id.clone(),
        place: place(op),
        category: Category::Operation,
        subject: String::new(),
        what: what.to_owned(),
        breaking,
        why,
    }
}

fn type_change(name: &str, what: &str, breaking: bool, why: &'static str) -> Change {
    Change {
        operation: String::new(),
        place: String::new(),
        category: Category::Type,
        subject: name.to_owned(),
        what: what.to_owned(),
        breaking,
        why,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Whether `path` lies inside one of `roots` (`body.options.scope` inside `body.options`).
fn inside(path: &str, roots: &BTreeSet<&String>) -> bool {
    roots.iter().any(|root| {
        path.len() > root.len()
            && path.starts_with(root.as_str())
            && matches!(path.as_bytes().get(root.len()), Some(b'.' | b'['))
    })
}

fn compare_fields(
    op: &Operation,
    before: &BTreeMap<String, Field>,
    after: &BTreeMap<String, Field>,
    side: Side,
    out: &mut Vec<Change>,
) {
    let (field_category, enum_category) = match side {
        Side::Request => (Category::RequestField, Category::RequestEnum),
        Side::Response => (Category::ResponseField, Category::ResponseEnum),
    };
    let mut push =
        |category: Category, subject: &str, what: String, breaking: bool, why: &'static str| {
            out.push(Change {
                operation: op.id.clone(),
                place: place(op),
                category,
                subject: subject.to_owned(),
                what,
                breaking,
                why,
            });
        };
    let removed: BTreeSet<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let added: BTreeSet<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    // Fields of an object that came or went are part of that change.
    for path in removed.iter().filter(|p| !inside(p, &removed)) {
        let why = match side {
            Side::Request => "the argument or setter disappears",
            Side::Response => "the field disappears",
        };
        push(field_category, path, "removed".into(), true, why);
    }
    for path in added.iter().filter(|p| !inside(p, &added)) {
        let Some(field) = after.get(*path) else {
            continue;
        };
        match (side, field.required) {
            (Side::Request, true) => push(
                field_category,
                path,
                "added, required".into(),
                true,
                "a new required input is a new argument",
            ),
            (Side::Request, false) => push(
                field_category,
                path,
                "added, optional".into(),
                false,
                "a new optional input is a new setter",
            ),
            (Side::Response, required) => push(
                field_category,
                path,
                format!("added, {}", if required { "required" } else { "optional" }),
                false,
                "a new field of a type the crate reads",
            ),
        }
    }
    for (path, old) in before {
        let Some(new) = after.get(path) else { continue };
        if old.required != new.required {
            let what = format!("{} → {}", presence(old.required), presence(new.required));
            match side {
                Side::Request => push(
                    field_category,
                    path,
                    what,
                    true,
                    "an argument becomes a setter or the other way round",
                ),
                Side::Response => push(
                    field_category,
                    path,
                    what,
                    true,
                    "the field's type gains or loses its Option",
                ),
            }
        }
        if old.rust_type != new.rust_type {
            push(
                field_category,
                path,
                format!("type {} → {}", old.rust_type, new.rust_type),
                true,
                "the Rust type changes",
            );
        } else if old.nullable != new.nullable && new.required {
            let what = format!(
                "{} → {}",
                nullability(old.nullable),
                nullability(new.nullable)
            );
            push(
                field_category,
                path,
                what,
                true,
                "the field's type gains or loses its Option",
            );
        }
        let old_values: BTreeSet<&String> = old.values.iter().flatten().collect();
        let new_values: BTreeSet<&String> = new.values.iter().flatten().collect();
        for value in old_values.difference(&new_values) {
            let why = match side {
                Side::Request => "the variant disappears, and the value can no longer be sent",
                Side::Response => "the variant disappears",
            };
            push(
                enum_category,
                path,
                format!("value `{value}` removed"),
                true,
                why,
            );
        }
        for value in new_values.difference(&old_values) {
            let why = match side {
                Side::Request => "a new variant to send",
                Side::Response => "enums are non-exhaustive and keep unknown values",
            };
            push(
                enum_category,
                path,
                format!("value `{value}` added"),
                false,
                why,
            );
        }
    }
}

fn presence(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

fn nullability(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "not nullable" }
}

/// A change of security is breaking when a caller who could authenticate
/// before can no longer: some old way to authenticate has no new way that
/// needs no more than it did.
fn compare_security(op: &Operation, old: &Operation, out: &mut Vec<Change>) {
    if old.security == op.security {
        return;
    }
    let still_possible = |old_way: &BTreeSet<String>| {
        op.security.is_empty() || op.security.iter().any(|new_way| new_way.is_subset(old_way))
    };
    let breaking = !old.security.is_empty() && !old.security.iter().all(still_possible)
        || old.security.is_empty() && !op.security.iter().any(BTreeSet::is_empty);
    let describe = |security: &BTreeSet<BTreeSet<String>>| {
        if security.is_empty() {
            return "none".to_owned();
        }
        security
            .iter()
            .map(|way| way.iter().cloned().collect::<Vec<_>>().join(" + "))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    out.push(Change {
        operation: op.id.clone(),
        place: place(op),
        category: Category::Security,
        subject: String::new(),
        what: format!("{} → {}", describe(&old.security), describe(&op.security)),
        breaking,
        why: if breaking {
            "calls that authenticated the old way are refused until the client has the new credential"
        } else {
            "every old way to authenticate still works"
        },
    });
}
