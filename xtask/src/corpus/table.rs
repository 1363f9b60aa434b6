//! The corpus run as a markdown table, one row per spec, and its summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What happened to one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    /// The `openapi` (or `swagger`) field of the document, when it has one.
    pub version: Option<String>,
    pub bytes: u64,
    pub outcome: Outcome,
    pub check: Check,
}

/// Generation's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The spec could not be had: the reason.
    Unavailable(String),
    Generated {
        operations: usize,
        types: usize,
        warnings: Kinds,
    },
    Refused {
        errors: Kinds,
        warnings: Kinds,
    },
    /// The generator panicked: its message.
    Panicked(String),
}

/// How many diagnostics of each kind.
pub type Kinds = BTreeMap<&'static str, usize>;

/// `cargo check`'s verdict on the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    NotChecked,
    Checked { passed: bool, warnings: usize },
}

const HEADER: &str = "\
| spec | OpenAPI | size | operations | types | generated | errors | warnings by kind | compiles | compiler warnings |
|---|---|---|---|---|---|---|---|---|---|
";

/// The table and, under it, the summary line.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::from(HEADER);
    for row in rows {
        let (operations, types, generated, errors, warnings) = match &row.outcome {
            Outcome::Unavailable(why) => (
                "–".to_owned(),
                "–".to_owned(),
                format!("unavailable: {}", cell(why)),
                "–".to_owned(),
                "–".to_owned(),
            ),
            Outcome::Generated {
                operations,
                types,
                warnings,
            } => (
                operations.to_string(),
                types.to_string(),
                "✓".to_owned(),
                "0".to_owned(),
                kinds(warnings),
            ),
            Outcome::Refused { errors, warnings } => (
                "–".to_owned(),
                "–".to_owned(),
                "✗".to_owned(),
                error_kinds(errors),
                kinds(warnings),
            ),
            Outcome::Panicked(message) => (
                "–".to_owned(),
                "–".to_owned(),
                format!("panic: {}", cell(message)),
                "–".to_owned(),
                "–".to_owned(),
            ),
        };
        let (compiles, compiler_warnings) = match row.check {
            Check::NotChecked => ("–", "–".to_owned()),
            Check::Checked { passed, warnings } => {
                (if passed { "✓" } else { "✗" }, warnings.to_string())
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {operations} | {types} | {generated} | {errors} | {warnings} | {compiles} | {compiler_warnings} |",
            cell(&row.name),
            row.version.as_deref().map_or_else(|| "?".to_owned(), cell),
            size(row.bytes),
        );
    }
    out.push('\n');
    out.push_str(&summary(rows));
    out.push('\n');
    out
}

/// "N generated of M, K compile of L checked", and the diagnostics of the
/// whole corpus by kind.
pub fn summary(rows: &[Row]) -> String {
    let generated = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .count();
    let checked: Vec<(bool, usize)> = rows
        .iter()
        .filter_map(|r| match r.check {
            Check::Checked { passed, warnings } => Some((passed, warnings)),
            Check::NotChecked => None,
        })
        .collect();
    let compiled = checked.iter().filter(|(passed, _)| *passed).count();
    let compiler_warnings: usize = checked.iter().map(|(_, warnings)| warnings).sum();
    let mut all_errors = Kinds::new();
    let mut all_warnings = Kinds::new();
    for row in rows {
        let (errors, warnings) = match &row.outcome {
            Outcome::Generated { warnings, .. } => (None, warnings),
            Outcome::Refused { errors, warnings } => (Some(errors), warnings),
            Outcome::Unavailable(_) | Outcome::Panicked(_) => continue,
        };
        add(&mut all_errors, errors.into_iter().flatten());
        add(&mut all_warnings, warnings);
    }
    format!(
        "**{generated} generated of {}, {compiled} compile of {} checked** ({compiler_warnings} compiler warnings). Errors by kind, all specs: {}. Warnings by kind, all specs: {}.",
        rows.len(),
        checked.len(),
        kinds(&all_errors),
        kinds(&all_warnings)
    )
}

fn add<'a>(total: &mut Kinds, counts: impl IntoIterator<Item = (&'a &'static str, &'a usize)>) {
    for (kind, count) in counts {
        *total.entry(kind).or_default() += count;
    }
}

/// "683 (missing reference)", or with a count per kind when there are several.
fn error_kinds(errors: &Kinds) -> String {
    let total: usize = errors.values().sum();
    match errors.keys().collect::<Vec<_>>().as_slice() {
        [] => total.to_string(),
        [only] => format!("{total} ({only})"),
        _ => format!("{total} ({})", kinds(errors)),
    }
}

/// "request body type 12, query style 3": most frequent first.
fn kinds(kinds: &Kinds) -> String {
    if kinds.is_empty() {
        return "none".to_owned();
    }
    let mut sorted: Vec<(&&str, &usize)> = kinds.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    sorted
        .iter()
        .map(|(kind, count)| format!("{kind} {count}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text fit for one cell: one line, no column break, not too long.
fn cell(text: &str) -> String {
    const MAX: usize = 80;
    let line = text.lines().next().unwrap_or_default();
    let mut out: String = line
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    if line.chars().count() > MAX || text.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

/// Bytes as KB under a megabyte, else as MB with one decimal.
fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let megabytes = bytes as f64 / MB as f64;
        format!("{megabytes:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, outcome: Outcome, check: Check) -> Row {
        Row {
            name: name.to_owned(),
            version: Some("3.0.3".to_owned()),
            bytes: 2_621_440,
            outcome,
            check,
        }
    }

    fn rows() -> Vec<Row> {
        let warnings = Kinds::from([("query style", 3), ("request body type", 12), ("allOf", 3)]);
        vec![
            row(
                "stripe",
                Outcome::Generated {
                    operations: 400,
                    types: 900,
                    warnings,
                },
                Check::Checked {
                    passed: true,
                    warnings: 0,
                },
            ),
            Row {
                version: Some("3.1.0".to_owned()),
                bytes: 1500,
                ..row(
                    "rclone",
                    Outcome::Refused {
                        errors: Kinds::from([("OpenAPI version", 1)]),
                        warnings: Kinds::new(),
                    },
                    Check::NotChecked,
                )
            },
            Row {
                version: None,
                ..row(
                    "broken",
                    Outcome::Panicked("index out of bounds | at\nline 2".to_owned()),
                    Check::NotChecked,
                )
            },
            row(
                "slack",
                Outcome::Generated {
                    operations: 2,
                    types: 1,
                    warnings: Kinds::from([("query style", 1)]),
                },
                Check::Checked {
                    passed: false,
                    warnings: 4,
                },
            ),
        ]
    }

    #[test]
    fn each_outcome_renders_as_a_row() {
        let table = render(&rows());
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], HEADER.lines().next().unwrap_or_default());
        assert_eq!(
            lines[2],
            "| stripe | 3.0.3 | 2.5 MB | 400 | 900 | ✓ | 0 | request body type 12, allOf 3, query style 3 | ✓ | 0 |"
        );
        assert_eq!(
            lines[3],
            "| rclone | 3.1.0 | 2 KB | – | – | ✗ | 1 (OpenAPI version) | none | – | – |"
        );
        assert_eq!(
            lines[4],
            "| broken | ? | 2.5 MB | – | – | panic: index out of bounds \\| at… | – | – | – | – |"
        );
        assert_eq!(
            lines[5],
            "| slack | 3.0.3 | 2.5 MB | 2 | 1 | ✓ | 0 | query style 1 | ✗ | 4 |"
        );
    }

    #[test]
    fn every_row_has_as_many_cells_as_the_header() {
        let table = render(&rows());
        let columns = |line: &str| line.replace("\\|", "").matches('|').count();
        let header = columns(HEADER.lines().next().unwrap_or_default());
        for line in table.lines().take_while(|l| !l.is_empty()) {
            assert_eq!(columns(line), header, "{line}");
        }
    }

    #[test]
    fn the_summary_counts_generated_and_compiled_crates() {
        assert_eq!(
            summary(&rows()),
            "**2 generated of 4, 1 compile of 2 checked** (4 compiler warnings). Errors by kind, all specs: OpenAPI version 1. Warnings by kind, all specs: request body type 12, query style 4, allOf 3."
        );
        assert!(render(&rows()).ends_with(&format!("\n\n{}\n", summary(&rows()))));
    }

    #[test]
    fn errors_are_counted_with_their_kinds() {
        assert_eq!(error_kinds(&Kinds::new()), "0");
        assert_eq!(
            error_kinds(&Kinds::from([("missing reference", 683)])),
            "683 (missing reference)"
        );
        assert_eq!(
            error_kinds(&Kinds::from([
                ("unknown type", 2),
                ("missing reference", 4)
            ])),
            "6 (missing reference 4, unknown type 2)"
        );
    }

    #[test]
    fn sizes_read_as_kb_or_mb() {
        assert_eq!(size(0), "0 KB");
        assert_eq!(size(1025), "2 KB");
        assert_eq!(size(1024 * 1024), "1.0 MB");
        assert_eq!(size(13_001_822), "12.4 MB");
    }

    #[test]
    fn a_cell_is_one_short_line() {
        let long = "x".repeat(100);
        assert_eq!(cell(&long).chars().count(), 81);
        assert_eq!(cell("a\tb"), "a b");
    }
}
