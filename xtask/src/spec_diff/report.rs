//! The report of a spec diff: Markdown for people, JSON for tools.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::{Category, Change, Verdict};

/// A section of the report: a title and its lines.
type Section = (String, Vec<String>);

fn line(change: &Change) -> String {
    let label = if change.breaking {
        "**breaking**"
    } else {
        "non-breaking"
    };
    let subject = if change.subject.is_empty() {
        String::new()
    } else {
        format!(" `{}`", change.subject)
    };
    format!(
        "- {label} {}{subject}: {} — {}",
        change.category.as_str(),
        change.what,
        change.why
    )
}

/// Operations that came or went as lists; each changed operation as a
/// section of its own (those with breaking changes first); named types last.
fn sections(changes: &[Change]) -> Vec<Section> {
    let whole = |c: &&Change, what: &str| c.category == Category::Operation && c.what == what;
    let mut out: Vec<Section> = Vec::new();
    let removed: Vec<String> = changes
        .iter()
        .filter(|c| whole(c, "removed"))
        .map(|c| format!("- **breaking** `{}` — {}: {}", c.operation, c.place, c.why))
        .collect();
    if !removed.is_empty() {
        out.push(("Operations removed".to_owned(), removed));
    }
    let mut by_operation: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    let mut titles: BTreeMap<String, bool> = BTreeMap::new();
    for change in changes
        .iter()
        .filter(|c| c.category != Category::Type && !whole(c, "added") && !whole(c, "removed"))
    {
        let title = format!("`{}` — {}", change.operation, change.place);
        *titles.entry(title).or_default() |= change.breaking;
    }
    for change in changes
        .iter()
        .filter(|c| c.category != Category::Type && !whole(c, "added") && !whole(c, "removed"))
    {
        let title = format!("`{}` — {}", change.operation, change.place);
        let breaking = titles.get(&title).copied().unwrap_or(false);
        by_operation
            .entry((!breaking, title))
            .or_default()
            .push(line(change));
    }
    out.extend(
        by_operation
            .into_iter()
            .map(|((_, title), lines)| (title, lines)),
    );
    let added: Vec<String> = changes
        .iter()
        .filter(|c| whole(c, "added"))
        .map(|c| format!("- non-breaking `{}` — {}", c.operation, c.place))
        .collect();
    if !added.is_empty() {
        out.push(("Operations added".to_owned(), added));
    }
    let mut types: Vec<String> = changes
        .iter()
        .filter(|c| c.category == Category::Type && c.breaking)
        .map(line)
        .collect();
    let new_types: Vec<String> = changes
        .iter()
        .filter(|c| c.category == Category::Type && !c.breaking)
        .map(|c| format!("`{}`", c.subject))
        .collect();
    if !new_types.is_empty() {
        types.push(format!(
            "- non-breaking {} added: {}",
            new_types.len(),
            new_types.join(", ")
        ));
    }
    if !types.is_empty() {
        out.push(("Named types".to_owned(), types));
    }
    out
}

pub fn markdown(base: &str, head: &str, changes: &[Change], verdict: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Spec changes\n\nFrom {base} to {head}.\n");
    if changes.is_empty() {
        let _ = writeln!(
            out,
            "No change to operations, fields, enums, security or named types."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "**{} breaking**, {} non-breaking.",
        verdict.breaking, verdict.non_breaking
    );
    let version =
        |v: Option<super::Version>| v.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into());
    match verdict.required {
        Some(required) if verdict.passes() => {
            let _ = writeln!(
                out,
                "genauth {} → {}: enough for the breaking changes (they need {required}).",
                version(verdict.base),
                version(verdict.head)
            );
        }
        Some(required) => {
            let _ = writeln!(
                out,
                "genauth {} → {}: **the breaking changes need {required} or later**; bump `version` in generated-client/Cargo.toml.",
                version(verdict.base),
                version(verdict.head)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "No breaking change; genauth {} → {} is fine.",
                version(verdict.base),
                version(verdict.head)
            );
        }
    }
    for (title, lines) in sections(changes) {
        let _ = writeln!(out, "\n## {title}\n");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

pub fn json(base: &str, head: &str, changes: &[Change], verdict: &Verdict) -> String {
    let changes: Vec<_> = changes
        .iter()
        .map(|c| {
            json!({
                "operation": c.operation,
                "place": c.place,
                "category": c.category.as_str(),
                "subject": c.subject,
                "change": c.what,
                "breaking": c.breaking,
                "why": c.why,
            })
        })
        .collect();
    let version = |v: Option<super::Version>| v.map(|v| v.to_string());
    let report = json!({
        "base": base,
        "head": head,
        "breaking": verdict.breaking,
        "non_breaking": verdict.non_breaking,
        "version": {
            "base": version(verdict.base),
            "head": version(verdict.head),
            "required": version(verdict.required),
        },
        "passes": verdict.passes(),
        "changes": changes,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}
