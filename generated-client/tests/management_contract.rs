//! The management contract test: every operation of the management spec,
//! called through `ManagementClient` with example values against a real
//! Prism mock server started on the spec with `--errors`, which answers 4xx
//! to any request that does not conform (path, query, headers, security,
//! body). The calls are generated from the spec by `cargo xtask regen`.

mod common;

// Generated, and formatted by the generator.
#[rustfmt::skip]
#[path = "contract/management_calls.rs"]
mod management_calls;

use std::collections::BTreeSet;
use std::path::Path;

use common::prism::{Prism, ensure_prism};
use genauth::management::ManagementClient;

#[tokio::test(flavor = "multi_thread")]
async fn prism_accepts_every_management_operation() {
    let Some(binary) = ensure_prism().await else {
        return;
    };
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/genauth-v3-management.yaml");
    let prism = Prism::start_on(&binary, &spec).await;
    let client = ManagementClient::builder()
        .management_token("eyJhbGciOiJSUzI1NiJ9.management")
        .userpool_id("62eaa95fe4c2a8b5e1d3c7a9")
        .host(prism.url())
        .allow_plain_http(true)
        .build()
        .expect("client");

    let results = management_calls::call_every_operation(&client).await;
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(id, result)| result.as_ref().err().map(|e| format!("{id}: {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} calls were refused:\n{}\n\nPrism's log:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n"),
        prism.log_text()
    );

    let text = std::fs::read_to_string(&spec).expect("read the spec");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let declared: BTreeSet<&str> = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten())
        .filter_map(|(_, operation)| operation["operationId"].as_str())
        .collect();
    let called: BTreeSet<&str> = results.iter().map(|(id, _)| *id).collect();
    assert_eq!(called, declared, "every operation of the spec is called");
    assert_eq!(called.len(), 414);
}
