//! The diff of one policy: both sides parsed and normalised, then a unified diff of the
//! pretty JSON with the whole document as context (a reviewer sees all of what is set).

use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, TextDiff};

use super::DiffLine;
use crate::policy::{self, ApiContext, Policy};

/// What `plan` says when the two policies differ only in order or form.
pub const NO_CHANGE: &str = "no change (differences of order or form only)";

/// The lines for replacing the policy `expected` (raw text as read; `None`: no policy) with
/// `new`. `api` expands the `execute-api:/...` shorthand of resource policies.
pub fn policy_lines(expected: Option<&str>, new: &str, api: Option<&ApiContext>) -> Vec<DiffLine> {
    let new_parsed = match policy::parse(new) {
        Ok(p) => p,
        Err(e) => {
            let mut lines = vec![DiffLine::Warning(format!(
                "the proposed policy does not parse ({e}); shown as it would be sent"
            ))];
            let old = expected.map_or_else(String::new, text_lines);
            lines.extend(unified(&old, &text_lines(new)));
            return lines;
        }
    };
    let new_pretty = pretty(&new_parsed, api);
    match expected.map(|raw| (raw, policy::parse(raw))) {
        None => {
            let mut lines = vec![DiffLine::Note("There is no policy today.".into())];
            lines.extend(unified("", &new_pretty));
            lines
        }
        Some((raw, Err(e))) => {
            let mut lines = vec![DiffLine::Note(format!(
                "The live policy does not parse ({e}); it is shown as found."
            ))];
            lines.extend(unified(&text_lines(raw), &new_pretty));
            lines
        }
        Some((_, Ok(old))) if policy::equivalent(&old, &new_parsed, api) => {
            vec![DiffLine::Note(NO_CHANGE.to_string())]
        }
        Some((_, Ok(old))) => unified(&pretty(&old, api), &new_pretty),
    }
}

/// The normalised pretty JSON, ending with a line break.
fn pretty(p: &Policy, api: Option<&ApiContext>) -> String {
    format!("{}\n", p.normalised(api).to_pretty_json())
}

/// Raw text as lines, ending with a line break (empty text stays empty).
fn text_lines(raw: &str) -> String {
    if raw.is_empty() || raw.ends_with('\n') {
        raw.to_string()
    } else {
        format!("{raw}\n")
    }
}

/// A unified diff of two texts, with every line as context.
fn unified(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let radius = diff.old_len().max(diff.new_len());
    let mut lines = Vec::new();
    for group in diff.grouped_ops(radius) {
        lines.push(DiffLine::Hunk(UnifiedHunkHeader::new(&group).to_string()));
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches(['\n', '\r']).to_string();
                lines.push(match change.tag() {
                    ChangeTag::Equal => DiffLine::Context(text),
                    ChangeTag::Delete => DiffLine::Removed(text),
                    ChangeTag::Insert => DiffLine::Added(text),
                });
            }
        }
    }
    lines
}
