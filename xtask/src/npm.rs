//! Files taken out of npm packages with `npm pack`: the registry is one of the
//! few places this machine reaches, and many vendors publish their OpenAPI
//! descriptions there.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A file of a package and where it goes.
pub struct Wanted<'a> {
    /// The path inside the package, as the package lists it (`api/x.json`).
    pub path: &'a str,
    pub destination: PathBuf,
}

/// Puts each wanted file of `package` (`name@version`) at its destination,
/// unpacking the package once in `scratch`; a file already in place is not
/// fetched again, and nothing is when all are.
pub fn fetch(package: &str, wanted: &[Wanted<'_>], scratch: &Path) -> Result<(), String> {
    let missing: Vec<&Wanted<'_>> = wanted.iter().filter(|w| !w.destination.is_file()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let packed = Command::new("npm")
        .args(["pack", package, "--silent", "--pack-destination"])
        .arg(scratch)
        .output()
        .map_err(|e| format!("npm is needed to fetch {package}: {e}"))?;
    let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_owned();
    if !packed.status.success() || tarball.is_empty() {
        return Err(format!(
            "`npm pack {package}` failed: {}",
            String::from_utf8_lossy(&packed.stderr).trim()
        ));
    }
    let tarball = scratch.join(tarball);
    let unpacked_dir = scratch.join("package");
    let result = unpack(&tarball, scratch, &missing);
    let _ = std::fs::remove_file(&tarball);
    let _ = std::fs::remove_dir_all(&unpacked_dir);
    result.map_err(|e| format!("{package}: {e}"))
}

/// Extracts the `missing` files from `tarball` into `scratch` and moves each
/// to its destination. npm puts every file of a package under `package/`.
fn unpack(tarball: &Path, scratch: &Path, missing: &[&Wanted<'_>]) -> Result<(), String> {
    let inside = |w: &Wanted<'_>| format!("package/{}", w.path);
    let unpacked = Command::new("tar")
        .arg("-xzf")
        .arg(tarball)
        .arg("-C")
        .arg(scratch)
        .args(missing.iter().map(|w| inside(w)))
        .status()
        .map_err(|e| format!("tar is needed to unpack it: {e}"))?;
    if !unpacked.success() {
        return Err(format!("cannot unpack {}", tarball.display()));
    }
    for wanted in missing {
        if let Some(parent) = wanted.destination.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::rename(scratch.join(inside(wanted)), &wanted.destination).map_err(|e| {
            format!(
                "cannot move {} to {}: {e}",
                wanted.path,
                wanted.destination.display()
            )
        })?;
    }
    Ok(())
}
