//! The generated code for small fixture specs, one per group of constructs,
//! compared with reviewed snapshots (`tests/snapshots/`). After an intended
//! change, review the new output with `cargo insta review`.

mod common;

use common::{config, fixture};

/// Every generated file and warning, in one text.
fn generate(name: &str) -> String {
    let generated = match genauth_codegen::generate(&fixture(name), &config()) {
        Ok(generated) => generated,
        Err(e) => panic!("{name} does not generate: {e}"),
    };
    let mut text = String::new();
    for warning in &generated.warnings {
        text.push_str(&format!("// {warning}\n"));
    }
    for file in &generated.files {
        text.push_str(&format!(
            "\n// ===== {} =====\n{}",
            file.path.display(),
            file.contents
        ));
    }
    text
}

#[test]
fn schemas() {
    insta::assert_snapshot!(generate("schemas.yaml"));
}

#[test]
fn operations() {
    insta::assert_snapshot!(generate("operations.yaml"));
}

#[test]
fn hostile_names() {
    insta::assert_snapshot!(generate("hostile-names.yaml"));
}

#[test]
fn hostile_text() {
    insta::assert_snapshot!(generate("hostile-text.yaml"));
}

#[test]
fn output_is_deterministic() {
    for name in [
        "schemas.yaml",
        "operations.yaml",
        "hostile-names.yaml",
        "hostile-text.yaml",
    ] {
        assert_eq!(generate(name), generate(name), "{name}");
    }
    let spec = common::real_spec();
    let first = genauth_codegen::generate(&spec, &config()).expect("generates");
    let second = genauth_codegen::generate(&spec, &config()).expect("generates");
    assert_eq!(first, second);
}
