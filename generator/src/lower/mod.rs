//! Stage 2: the `openapiv3` document to the generator's model.
//!
//! Lowering never stops at the first problem: it records a diagnostic, skips
//! or approximates the offending node where that is safe, and carries on, so a
//! maintainer sees every problem of a spec at once.

mod composition;
mod content;
mod graph;
mod operation;
mod paging;
mod query;
mod reference;
mod schema;
mod secrets;
mod security;

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::OpenAPI;

use crate::Config;
use crate::diagnostic::{Diagnostic, Pointer};
use crate::model::{Api, TypeDef};
use crate::names::{self, Claimed, Clash, Scope};

/// Lowers `spec`, returning the model and every diagnostic found on the way.
pub fn lower(spec: &OpenAPI, config: &Config) -> (Api, Vec<Diagnostic>) {
    let mut lowering = Lowering::new(spec);
    let security_schemes = lowering.security_schemes();
    lowering.component_schemas();
    let operations = lowering.operations(config, &security_schemes);
    let Lowering {
        mut types,
        diagnostics,
        component_types,
        ..
    } = lowering;
    let mut diagnostics = once_each(diagnostics);
    for name in graph::alias_loops(&types) {
        let key = component_types
            .iter()
            .find(|(_, rust)| **rust == name)
            .map(|(key, _)| key.as_str())
            .unwrap_or(&name);
        let pointer = Pointer::root().push("components").push("schemas").push(key);
        diagnostics.push(Diagnostic::error(
            pointer,
            "this schema only refers to schemas that refer back to it, and never defines a type",
        ));
        types.remove(&name);
    }

    let mut api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        types: Vec::new(),
        operations,
        security_schemes,
    };
    graph::mark_usage(&mut types, &api.operations);
    graph::box_cycles(&mut types, &mut api.operations);
    if config.features_by_tag {
        graph::split_by_tag(&mut types, &mut api.operations);
    }
    if config.paging.is_some() {
        paging::find(&types, &mut api.operations);
    }
    api.types = types.into_values().collect();
    api.operations
        .sort_by(|a, b| a.method_name.cmp(&b.method_name));
    (api, diagnostics)
}

/// State shared by the lowering of schemas, operations and security schemes.
struct Lowering<'a> {
    spec: &'a OpenAPI,
    diagnostics: Vec<Diagnostic>,
    /// Every named type, by Rust name.
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Rust names of `#/components/schemas/*`, by component name.
    component_types: HashMap<String, String>,
}

impl<'a> Lowering<'a> {
    fn new(spec: &'a OpenAPI) -> Self {
        Self {
            spec,
            diagnostics: Vec::new(),
            types: BTreeMap::new(),
            type_names: Scope::with_reserved(names::RESERVED_TYPES.iter().copied()),
            component_types: HashMap::new(),
        }
    }

    fn error(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(pointer.clone(), message));
    }

    fn warning(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(pointer.clone(), message));
    }

    /// A fresh type name derived from `raw`, for the schema at `pointer`.
    fn claim_type_name(&mut self, raw: &str, pointer: &Pointer) -> String {
        let base = names::type_name(raw);
        if names::RESERVED_TYPES.contains(&base.as_str()) {
            let claimed = self.type_names.claim(format!("{base}Model"), "");
            let renamed = Claimed {
                clash: Some(Clash::Reserved),
                ..claimed
            };
            self.warn_renamed(pointer, "type", &base, &renamed);
            return renamed.name;
        }
        let claimed = self.type_names.claim(base.clone(), "");
        self.warn_renamed(pointer, "type", &base, &claimed);
        claimed.name
    }

    /// `wanted` or, if `scope` has already given it, a name like it, for the
    /// `what` (a field, a method, ...) at `pointer`; a new name is a warning.
    fn claim(
        &mut self,
        scope: &mut Scope,
        wanted: String,
        separator: &str,
        what: &str,
        pointer: &Pointer,
    ) -> String {
        let claimed = scope.claim(wanted.clone(), separator);
        self.warn_renamed(pointer, what, &wanted, &claimed);
        claimed.name
    }

    fn warn_renamed(&mut self, pointer: &Pointer, what: &str, wanted: &str, claimed: &Claimed) {
        if let Some(message) = renamed(what, wanted, claimed) {
            self.warning(pointer, message);
        }
    }
}

/// Why the `what` that would have been called `wanted` got another name, if it did.
fn renamed(what: &str, wanted: &str, claimed: &Claimed) -> Option<String> {
    let name = &claimed.name;
    match claimed.clash? {
        Clash::Reserved => Some(format!(
            "`{wanted}` is a name the generated code needs for itself, so this {what} is called `{name}`"
        )),
        Clash::Taken => Some(format!(
            "another {what} is already called `{wanted}`, so this one is called `{name}`"
        )),
    }
}

/// The diagnostics without repeats: a node lowered more than once (a shared
/// component, say) reports each problem once.
fn once_each(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| seen.insert((d.severity, d.pointer.clone(), d.message.clone())))
        .collect()
}
