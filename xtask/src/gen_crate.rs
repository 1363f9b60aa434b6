//! `cargo xtask gen --spec FILE --out DIR [--name CRATE] [--envelope genauth]
//! [--features-by-tag]`: a standalone crate for any OpenAPI 3.0 spec. With
//! `--envelope genauth` the crate reads responses as GenAuth's envelope
//! (`statusCode` 200 is success); otherwise the HTTP status decides. With
//! `--features-by-tag` each tag's operations (and the types they use) sit
//! behind a cargo feature, all on by default.

use std::path::Path;
use std::time::Instant;

use genauth_codegen::standalone::{CrateOptions, generate_crate};
use genauth_codegen::write::{self, Mode};

pub fn run(args: &[&str]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut options = CrateOptions::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if *arg == "--features-by-tag" {
            options.features_by_tag = true;
            continue;
        }
        let value = rest
            .next()
            .ok_or_else(|| format!("`{arg}` needs a value"))?;
        match *arg {
            "--spec" => spec = Some(*value),
            "--out" => out = Some(*value),
            "--name" => name = Some((*value).to_owned()),
            "--envelope" => match *value {
                "genauth" => options.envelope = true,
                "none" => options.envelope = false,
                other => {
                    return Err(format!(
                        "unknown envelope `{other}`: `genauth` (GenAuth's statusCode envelope) or `none` (the HTTP status decides)"
                    ));
                }
            },
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    let spec = spec.ok_or("missing --spec FILE")?;
    let out = out.ok_or("missing --out DIR")?;
    let name = name.unwrap_or_else(|| crate_name_from(spec));

    let started = Instant::now();
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {spec}: {e}"))?;
    let generated = generate_crate(&text, &name, &options).map_err(|e| format!("{spec}: {e}"))?;
    for warning in &generated.warnings {
        eprintln!("{spec}: {warning}");
    }
    let report = write::sync(Path::new(out), &generated.files, "@generated", Mode::Write)
        .map_err(|e| format!("cannot write {out}: {e}"))?;
    let features = match generated.features.len() {
        0 => String::new(),
        n => format!(", {n} features"),
    };
    println!(
        "gen: crate `{name}` in {out}: {} operations, {} types{features}, {} files written, {} unchanged ({} ms)",
        generated.operations,
        generated.types,
        report.changed.len(),
        report.unchanged,
        started.elapsed().as_millis()
    );
    Ok(())
}

/// A crate name from the spec's file name: `specs/pet-store.yaml` → `pet-store`.
fn crate_name_from(spec: &str) -> String {
    let stem = Path::new(spec)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.to_owned()
    } else {
        format!("api-{name}")
    }
}
