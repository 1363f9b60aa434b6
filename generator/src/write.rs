//! Stage 5: generated files onto disk, or a check that they are already there.
//!
//! Files are written only when their contents change, so an unchanged spec
//! leaves every timestamp alone and triggers no rebuild.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// Whether to bring the directory up to date or only to report what differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What syncing a directory did (or, in check mode, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files whose contents changed (written, or stale in check mode).
    pub changed: Vec<PathBuf>,
    /// Generated files no longer produced (removed, or stale in check mode).
    pub removed: Vec<PathBuf>,
    pub unchanged: usize,
    /// A short unified diff of each change, in check mode (empty when writing).
    pub diff: String,
}

impl Report {
    pub fn is_up_to_date(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Lines of diff shown per file before the rest is summarised.
const DIFF_LINES_PER_FILE: usize = 40;

/// Brings `dir` in line with `files`; a file in `dir` that starts with
/// `marker` but is no longer generated is removed.
pub fn sync(dir: &Path, files: &[GeneratedFile], marker: &str, mode: Mode) -> io::Result<Report> {
    let mut report = Report::default();
    for file in files {
        let path = dir.join(&file.path);
        let current = match fs::read_to_string(&path) {
            Ok(text) => Some(text.replace("\r\n", "\n")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if current.as_deref() == Some(file.contents.as_str()) {
            report.unchanged += 1;
            continue;
        }
        match mode {
            Mode::Write => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&path, &file.contents)?;
            }
            // Only a check shows what differs: a diff of a large new file
            // costs as much as generating it.
            Mode::Check => append_diff(
                &mut report.diff,
                &path,
                current.as_deref().unwrap_or(""),
                &file.contents,
            ),
        }
        report.changed.push(path);
    }
    for path in stale_files(dir, files, marker)? {
        match mode {
            Mode::Write => fs::remove_file(&path)?,
            Mode::Check => {
                let _ = writeln!(report.diff, "--- {}\n(no longer generated)", path.display());
            }
        }
        report.removed.push(path);
    }
    Ok(report)
}

/// Generated files in `dir` that `files` no longer contains.
fn stale_files(dir: &Path, files: &[GeneratedFile], marker: &str) -> io::Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut stale = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let expected = files.iter().any(|f| dir.join(&f.path) == path);
        if expected || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let generated = fs::read_to_string(&path)
            .map(|text| {
                text.lines()
                    .next()
                    .is_some_and(|line| line.contains(marker))
            })
            .unwrap_or(false);
        if generated {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}

fn append_diff(out: &mut String, path: &Path, old: &str, new: &str) {
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&name, &name)
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(DIFF_LINES_PER_FILE) {
        let _ = writeln!(out, "{line}");
    }
    if lines.len() > DIFF_LINES_PER_FILE {
        let _ = writeln!(
            out,
            "... {} more diff lines in {name}",
            lines.len() - DIFF_LINES_PER_FILE
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "genauth-codegen-write-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn writes_only_what_changed_and_removes_what_is_gone() -> io::Result<()> {
        let dir = scratch("sync");
        let first = [file("a.rs", "// @gen\nA\n"), file("b.rs", "// @gen\nB\n")];
        let report = sync(&dir, &first, "@gen", Mode::Write)?;
        assert_eq!(report.changed.len(), 2);

        let second = [file("a.rs", "// @gen\nA\n")];
        fs::write(dir.join("hand.rs"), "// written by hand\n")?;
        let check = sync(&dir, &second, "@gen", Mode::Check)?;
        assert_eq!((check.changed.len(), check.unchanged), (0, 1));
        assert_eq!(check.removed, vec![dir.join("b.rs")]);
        assert!(dir.join("b.rs").exists(), "check mode must not touch files");

        sync(&dir, &second, "@gen", Mode::Write)?;
        assert!(!dir.join("b.rs").exists());
        assert!(
            dir.join("hand.rs").exists(),
            "files without the marker are never removed"
        );
        assert!(sync(&dir, &second, "@gen", Mode::Check)?.is_up_to_date());
        fs::remove_dir_all(&dir)
    }

    #[test]
    fn check_mode_shows_a_diff_and_writes_nothing() -> io::Result<()> {
        let dir = scratch("check");
        sync(
            &dir,
            &[file("a.rs", "// @gen\none\ntwo\n")],
            "@gen",
            Mode::Write,
        )?;
        let report = sync(
            &dir,
            &[file("a.rs", "// @gen\none\nthree\n")],
            "@gen",
            Mode::Check,
        )?;
        assert!(!report.is_up_to_date());
        assert!(
            report.diff.contains("-two") && report.diff.contains("+three"),
            "{}",
            report.diff
        );
        assert_eq!(fs::read_to_string(dir.join("a.rs"))?, "// @gen\none\ntwo\n");
        fs::remove_dir_all(&dir)
    }
}
