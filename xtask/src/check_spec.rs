//! `cargo xtask check-spec FILE`: the generator's diagnostics for any spec.

use crate::regen::config;

pub fn run(file: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    match genauth_codegen::generate(&text, &config()) {
        Ok(generated) => {
            for warning in &generated.warnings {
                println!("{file}: {warning}");
            }
            println!(
                "{file}: {} operations, {} types, {} warnings",
                generated.operations,
                generated.types,
                generated.warnings.len()
            );
            Ok(())
        }
        Err(e) => Err(format!("{file}: {e}")),
    }
}
