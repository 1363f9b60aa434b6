//! The generator never panics, whatever the spec: every node of the fixture
//! specs (the hostile ones included) and of the workspace's spec is removed
//! or replaced by values of other types, and each broken spec must produce
//! `Ok` or `Err`.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{config, fixture, real_spec};
use serde_json::{Value, json};

/// Replacements tried at each node; `None` removes it.
fn replacements() -> Vec<Option<Value>> {
    vec![
        None,
        Some(Value::Null),
        Some(json!(7)),
        Some(json!("x")),
        Some(json!([])),
        Some(json!({})),
        Some(json!({"$ref": "#/components/schemas/Missing"})),
        Some(json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}})),
    ]
}

/// Every node's location: the keys and indices that lead to it.
fn locations(value: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                here.push(json!(key));
                out.push(here.clone());
                locations(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                here.push(json!(index));
                out.push(here.clone());
                locations(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn mutate(document: &Value, location: &[Value], replacement: &Option<Value>) -> Value {
    let mut copy = document.clone();
    let Some((last, parents)) = location.split_last() else {
        return copy;
    };
    let mut node = &mut copy;
    for step in parents {
        node = match step {
            Value::String(key) => &mut node[key.as_str()],
            Value::Number(index) => &mut node[index.as_u64().unwrap_or(0) as usize],
            _ => return copy,
        };
    }
    match (node, last, replacement) {
        (Value::Object(map), Value::String(key), None) => {
            map.shift_remove(key);
        }
        (Value::Object(map), Value::String(key), Some(value)) => {
            map.insert(key.clone(), value.clone());
        }
        (Value::Array(items), Value::Number(index), None) => {
            items.remove(index.as_u64().unwrap_or(0) as usize);
        }
        (Value::Array(items), Value::Number(index), Some(value)) => {
            items[index.as_u64().unwrap_or(0) as usize] = value.clone();
        }
        _ => {}
    }
    copy
}

/// How far a sweep goes: every mutation through the whole generator, or an
/// evenly spread sample through parsing and lowering only (where spec
/// content decides what happens), so that a large spec stays quick.
enum Depth {
    Generate,
    Check { runs: usize },
}

/// Runs the generator on mutations of `spec`.
fn sweep(name: &str, spec: &str, depth: Depth) -> usize {
    let document: Value = serde_yaml::from_str(spec).expect("the spec is YAML");
    let mut all = Vec::new();
    locations(&document, &mut Vec::new(), &mut all);
    let replacements = replacements();
    let config = config();
    let total = all.len() * replacements.len();
    let stride = match depth {
        Depth::Generate => 1,
        Depth::Check { runs } => total.div_ceil(runs).max(1),
    };
    let mut runs = 0;
    for (n, location) in all.iter().enumerate() {
        for (r, replacement) in replacements.iter().enumerate() {
            if !(n * replacements.len() + r).is_multiple_of(stride) {
                continue;
            }
            let text = mutate(&document, location, replacement).to_string();
            let outcome = catch_unwind(AssertUnwindSafe(|| match depth {
                Depth::Generate => genauth_codegen::generate(&text, &config).map(drop),
                Depth::Check { .. } => genauth_codegen::check(&text, &config).map(drop),
            }));
            assert!(
                outcome.is_ok(),
                "{name}: the generator panicked when {location:?} was replaced by {replacement:?}"
            );
            runs += 1;
        }
    }
    runs
}

#[test]
fn fixture_specs_with_any_node_broken() {
    let runs = sweep("schemas.yaml", &fixture("schemas.yaml"), Depth::Generate)
        + sweep(
            "operations.yaml",
            &fixture("operations.yaml"),
            Depth::Generate,
        );
    assert!(runs > 1000, "only {runs} mutations were tried");
}

#[test]
fn hostile_specs_with_any_node_broken() {
    // Names matter while lowering; text while emitting.
    let names = sweep(
        "hostile-names.yaml",
        &fixture("hostile-names.yaml"),
        Depth::Check { runs: 1000 },
    );
    assert!(names > 500, "only {names} mutations were tried");
    let text = sweep(
        "hostile-text.yaml",
        &fixture("hostile-text.yaml"),
        Depth::Generate,
    );
    assert!(text > 500, "only {text} mutations were tried");
}

#[test]
fn the_workspace_spec_with_any_node_broken() {
    let runs = sweep("genauth-v3.yaml", &real_spec(), Depth::Check { runs: 400 });
    assert!(runs >= 400, "only {runs} mutations were tried");
}
