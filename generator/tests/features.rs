//! `--features-by-tag`: a crate whose operations sit behind one cargo feature
//! per tag builds cleanly with all, none or some of its features, and an
//! operation (with the types only it uses) is there only with its feature.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use genauth_codegen::standalone::{CrateOptions, generate_crate};
use genauth_codegen::write::{Mode, sync};

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Tagged, version: '1' }
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets & Owners]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Pet' } }
  /stores:
    get:
      operationId: listStores
      tags: [stores]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Store' } }
  /health:
    get:
      operationId: health
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Health' }
components:
  schemas:
    Pet:
      type: object
      properties:
        name: { type: string }
        address: { $ref: '#/components/schemas/Address' }
    Store:
      type: object
      properties:
        address: { $ref: '#/components/schemas/Address' }
    Address:
      type: object
      properties:
        city: { type: string }
    Health:
      type: object
      properties:
        ok: { type: boolean }
"#;

/// What a user of the crate writes: it calls `list_stores`.
const USES_STORES: &str = r#"
fn main() {
    let client = tagged::Client::builder().base_url("https://example.com").build();
    if let Ok(client) = client {
        let _request = client.list_stores();
        let _store: Option<tagged::models::Store> = None;
    }
}
"#;

fn crate_dir() -> PathBuf {
    let generated = generate_crate(
        SPEC,
        "tagged",
        &CrateOptions {
            features_by_tag: true,
            ..CrateOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.features, ["pets-owners", "stores"]);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("features/tagged");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear the crate's directory");
    }
    sync(&dir, &generated.files, "@generated", Mode::Write).expect("write the crate");
    std::fs::create_dir_all(dir.join("examples")).expect("examples directory");
    std::fs::write(dir.join("examples/uses_stores.rs"), USES_STORES).expect("write the example");
    dir
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/standalone"),
        )
        .output()
        .expect("run cargo")
}

fn assert_clean(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn each_tag_is_a_feature_and_the_crate_builds_with_any_of_them() {
    let dir = crate_dir();
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("default = [\"full\"]\nfull = [\"pets-owners\", \"stores\"]\npets-owners = []\nstores = []\n"),
        "{manifest}"
    );
    let models = std::fs::read_to_string(dir.join("src/generated/models.rs")).expect("models");
    // Used by both tags' operations; only by one; by the untagged one.
    for (ty, gate) in [
        (
            "Address",
            Some("#[cfg(any(feature = \"pets-owners\", feature = \"stores\"))]"),
        ),
        ("Pet", Some("#[cfg(feature = \"pets-owners\")]")),
        ("Store", Some("#[cfg(feature = \"stores\")]")),
        ("Health", None),
    ] {
        let at = models
            .find(&format!("pub struct {ty} {{"))
            .unwrap_or_else(|| panic!("no {ty} in\n{models}"));
        let before = &models[models[..at].rfind("\n\n").unwrap_or(0)..at];
        match gate {
            Some(gate) => assert!(before.contains(gate), "{ty}: {before}"),
            None => assert!(!before.contains("cfg("), "{ty}: {before}"),
        }
    }

    for features in [
        &["clippy", "--quiet", "--", "-D", "warnings"][..],
        &[
            "clippy",
            "--quiet",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ],
        &[
            "clippy",
            "--quiet",
            "--no-default-features",
            "--features",
            "pets-owners",
            "--",
            "-D",
            "warnings",
        ],
    ] {
        assert_clean(&cargo(&dir, features), &format!("cargo {features:?}"));
    }

    // The example calls a `stores` operation and names a type it uses.
    let with = cargo(
        &dir,
        &[
            "check",
            "--quiet",
            "--example",
            "uses_stores",
            "--no-default-features",
            "--features",
            "stores",
        ],
    );
    assert_clean(&with, "the example with the `stores` feature");
    let without = cargo(
        &dir,
        &[
            "check",
            "--quiet",
            "--example",
            "uses_stores",
            "--no-default-features",
            "--features",
            "pets-owners",
        ],
    );
    let errors = String::from_utf8_lossy(&without.stderr);
    assert!(
        !without.status.success(),
        "the example builds without the `stores` feature"
    );
    assert!(errors.contains("list_stores"), "{errors}");
    assert!(errors.contains("Store"), "{errors}");
}
