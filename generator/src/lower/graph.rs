//! Facts about the graph of types: which travel in requests or responses, and
//! which fields must be boxed because types contain each other.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::{InputSource, Operation, ResponseBody, TypeDef, TypeKind, TypeRef};
use crate::names;

/// Marks every type reachable from a request input or a response.
pub(super) fn mark_usage(types: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for operation in operations {
        for input in &operation.inputs {
            named_in(&input.ty, &mut requests);
        }
        if let Some(body) = &operation.body {
            named_in(&body.ty, &mut requests);
        }
        if let Some(response) = operation.response.as_ref().and_then(ResponseBody::json) {
            named_in(response, &mut responses);
        }
    }
    for (start, response) in [(requests, false), (responses, true)] {
        let mut stack = start;
        while let Some(name) = stack.pop() {
            let Some(def) = types.get_mut(&name) else {
                continue;
            };
            let usage = if response {
                &mut def.usage.response
            } else {
                &mut def.usage.request
            };
            if *usage {
                continue;
            }
            *usage = true;
            for ty in referenced(&def.kind) {
                named_in(ty, &mut stack);
            }
        }
    }
}

/// Sets `boxed` on fields and union variants so that every cycle of types
/// holding each other by value has a `Box` on it: without one such a type
/// would have infinite size. `Vec` and maps already hold their items on the
/// heap. Edges are considered in a fixed order and one is boxed only if the
/// cycle it closes is not already broken, so a two-type cycle gets one `Box`.
pub(super) fn box_cycles(types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation]) {
    let index: HashMap<String, usize> = types
        .keys()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    // By-value references: (from, to, the field or variant, if any; an alias cannot hold a Box).
    let mut edges: Vec<(usize, usize, Option<String>)> = Vec::new();
    for (from, def) in types.values().enumerate() {
        let members: Vec<(Option<&String>, &TypeRef)> = match &def.kind {
            TypeKind::Struct(fields) => fields.iter().map(|f| (Some(&f.name), &f.ty)).collect(),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .map(|v| (Some(&v.name), &v.ty))
                .collect(),
            TypeKind::Alias(ty) => vec![(None, ty)],
            TypeKind::Enum(_) => Vec::new(),
        };
        for (member, ty) in members {
            if let Some(&to) = named(ty).and_then(|name| index.get(name)) {
                edges.push((from, to, member.cloned()));
            }
        }
    }
    let mut adjacency = vec![Vec::new(); types.len()];
    for (e, (from, to, _)) in edges.iter().enumerate() {
        if let Some(out) = adjacency.get_mut(*from) {
            out.push((e, *to));
        }
    }
    let component = strongly_connected(
        &adjacency
            .iter()
            .map(|out| out.iter().map(|(_, to)| *to).collect())
            .collect::<Vec<_>>(),
    );
    let mut open = vec![true; edges.len()];
    let names: Vec<String> = types.keys().cloned().collect();
    let mut boxed: Vec<(String, String)> = Vec::new();
    for (e, (from, to, member)) in edges.iter().enumerate() {
        let Some(member) = member else { continue };
        if component.get(*from) != component.get(*to) {
            continue;
        }
        if reaches(*to, *from, &adjacency, &open) {
            open[e] = false;
            if let Some(owner) = names.get(*from) {
                boxed.push((owner.clone(), member.clone()));
            }
        }
    }
    for (owner, member) in &boxed {
        match types.get_mut(owner).map(|def| &mut def.kind) {
            Some(TypeKind::Struct(fields)) => fields
                .iter_mut()
                .filter(|f| &f.name == member)
                .for_each(|f| f.boxed = true),
            Some(TypeKind::Union(union)) => union
                .variants
                .iter_mut()
                .filter(|v| &v.name == member)
                .for_each(|v| v.boxed = true),
            _ => {}
        }
    }
    // A body field passed as an argument is boxed on its way into the body.
    for operation in operations {
        let Some(TypeRef::Named(body)) = operation.body.as_ref().map(|b| &b.ty) else {
            continue;
        };
        for input in &mut operation.inputs {
            if let InputSource::BodyField { field } = &input.source {
                input.boxed = boxed.iter().any(|(owner, f)| owner == body && f == field);
            }
        }
    }
}

/// Puts each operation under the feature named after its first tag, and
/// each type under the features of the operations that reach it. A type
/// that an operation without a tag reaches is always compiled, as is a type
/// no operation reaches (a component the crate exports).
pub(super) fn split_by_tag(types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation]) {
    // A feature per tag, in the order tags first appear; tags whose names
    // come out the same (or empty, when not written in ASCII) are told
    // apart by a number.
    let mut features: HashMap<&str, String> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for tag in operations.iter().filter_map(|op| op.tags.first()) {
        if features.contains_key(tag.as_str()) {
            continue;
        }
        let base = names::feature(tag);
        let name = (1..)
            .map(|n| match (n, &base) {
                (1, Some(base)) => base.clone(),
                (n, Some(base)) => format!("{base}-{n}"),
                (n, None) => format!("tag-{n}"),
            })
            .find(|name| !taken.contains(name))
            .unwrap_or_default();
        taken.insert(name.clone());
        features.insert(tag, name);
    }
    let features: HashMap<String, String> = features
        .into_iter()
        .map(|(tag, name)| (tag.to_owned(), name))
        .collect();
    let mut roots: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for operation in operations.iter_mut() {
        operation.feature = operation
            .tags
            .first()
            .and_then(|tag| features.get(tag).cloned());
        let named = roots.entry(operation.feature.clone()).or_default();
        for input in &operation.inputs {
            named_in(&input.ty, named);
        }
        if let Some(body) = &operation.body {
            named_in(&body.ty, named);
        }
        if let Some(response) = operation.response.as_ref().and_then(ResponseBody::json) {
            named_in(response, named);
        }
    }
    // One walk per feature: its operations reach these types.
    let mut reached: HashMap<String, BTreeSet<Option<String>>> = HashMap::new();
    for (feature, start) in roots {
        let mut seen = HashSet::new();
        let mut stack = start;
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(def) = types.get(&name) {
                for ty in referenced(&def.kind) {
                    named_in(ty, &mut stack);
                }
            }
            reached.entry(name).or_default().insert(feature.clone());
        }
    }
    for (name, def) in types.iter_mut() {
        def.features = match reached.get(name) {
            Some(features) if !features.contains(&None) => {
                features.iter().flatten().cloned().collect()
            }
            _ => Vec::new(),
        };
    }
}

/// Aliases that only lead to each other and never to a definition, which
/// Rust rejects as a cycle.
pub(super) fn alias_loops(types: &BTreeMap<String, TypeDef>) -> Vec<String> {
    let mut looping = Vec::new();
    for start in types.keys() {
        let mut current = start;
        for _ in 0..types.len() {
            match types.get(current).map(|def| &def.kind) {
                Some(TypeKind::Alias(TypeRef::Named(next))) if next == start => {
                    looping.push(start.clone());
                    break;
                }
                Some(TypeKind::Alias(TypeRef::Named(next))) => current = next,
                _ => break,
            }
        }
    }
    looping
}

/// The types a definition refers to.
fn referenced(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(union) => union.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The type `ty` names directly, not behind a `Vec` or map.
fn named(ty: &TypeRef) -> Option<&String> {
    match ty {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

/// Whether `goal` can be reached from `start` through edges still `open`.
fn reaches(start: usize, goal: usize, adjacency: &[Vec<(usize, usize)>], open: &[bool]) -> bool {
    let mut seen = vec![false; adjacency.len()];
    let mut stack = vec![start];
    while let Some(node) = stack.pop() {
        if node == goal {
            return true;
        }
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        for &(edge, next) in adjacency.get(node).into_iter().flatten() {
            if open.get(edge).copied().unwrap_or(false) {
                stack.push(next);
            }
        }
    }
    false
}

/// Every named type within `ty`.
fn named_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Array(item) | TypeRef::Map(item) => named_in(item, out),
        TypeRef::String
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::Bool
        | TypeRef::Any
        | TypeRef::Object
        | TypeRef::File
        | TypeRef::Bytes => {}
    }
}

/// Tarjan's algorithm, without recursion: the component number of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..n {
        if order[root] != UNVISITED {
            continue;
        }
        // Each frame is a node and the index of the next edge to follow.
        let mut frames = vec![(root, 0)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let (node, edge) = *frame;
            if let Some(&next) = edges[node].get(edge) {
                frame.1 += 1;
                if order[next] == UNVISITED {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_and_leaves_chains_alone() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 and 4 (alone) are not in it.
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![]];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[3], c[4]);
    }

    #[test]
    fn finds_aliases_that_only_name_each_other() {
        let alias = |name: &str, to: &str| {
            let def = TypeDef {
                name: name.to_owned(),
                doc: None,
                kind: TypeKind::Alias(TypeRef::Named(to.to_owned())),
                usage: Default::default(),
                features: Vec::new(),
            };
            (name.to_owned(), def)
        };
        let types: BTreeMap<_, _> = [alias("A", "B"), alias("B", "A"), alias("C", "A")].into();
        assert_eq!(alias_loops(&types), vec!["A".to_owned(), "B".to_owned()]);
    }

    #[test]
    fn a_self_loop_is_its_own_cycle() {
        let c = strongly_connected(&[vec![0], vec![]]);
        assert_ne!(c[0], c[1]);
    }
}
