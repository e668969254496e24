//! The `?` overlay: keys, badges and columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use crate::steps::{Control, Status};
use crate::tui::state::State;

/// A key and what it does.
type Key = (&'static str, &'static str);

fn browser_keys(writes: bool) -> Vec<Key> {
    vec![
        ("j / k, ↓ / ↑", "move in the list; scroll the detail"),
        ("PgDn / PgUp", "a page (also Space, Ctrl-d / Ctrl-u)"),
        ("g / G", "first / last"),
        (
            "Enter",
            "open the detail; in an API path's detail, the wizard",
        ),
        ("w", "the wizard: harden the selected API path step by step"),
        ("J", "the journal: past applies and rollbacks"),
        ("Esc", "back to the list; in the list, clear the filter"),
        (
            "Tab / Shift-Tab",
            "next / previous view (from the list or the detail)",
        ),
        ("1  2  3", "API paths, Endpoints, Security groups"),
        (
            "/",
            "filter the list by name or id (Enter keeps, Esc clears)",
        ),
        ("r", "refresh: read the account again"),
        ("?", "this help (Esc closes it)"),
        ("q, Ctrl-C", "quit"),
        if writes {
            (
                "",
                "changes are made from the wizard, each after you confirm it",
            )
        } else {
            ("", "read-only: nothing here can change the account")
        },
    ]
}

fn wizard_keys(writes: bool) -> Vec<Key> {
    let mut keys = vec![
        ("Tab / Shift-Tab", "next / previous step"),
        (
            "1  2  3  4",
            "iam-auth, resource-policy, endpoint-policy, endpoint-sg",
        ),
        ("h / l, ← / →", "pane: steps, inputs, review"),
        (
            "j / k, ↓ / ↑",
            "steps: the step; inputs: the cursor; review: scroll",
        ),
        (
            "Space, Enter",
            "inputs: turn the choice on or off (plans again at once)",
        ),
        ("a", "type a caller role ARN, sg-… group or vpce-… endpoint"),
        ("PgDn / PgUp", "scroll the review (also Ctrl-d / Ctrl-u)"),
        ("g / G", "first / last"),
    ];
    if writes {
        keys.extend([
            ("A", "apply this step (it shows what it sends; y confirms)"),
            (
                "Ctrl-A",
                "apply every ready step together (confirmed the same)",
            ),
        ]);
    }
    keys.extend([
        ("J", "the journal: past applies and rollbacks"),
        ("Esc", "back to the list"),
        ("r", "refresh: read the account again (choices are kept)"),
        ("?", "this help (Esc closes it)"),
        ("q, Ctrl-C", "quit"),
    ]);
    if !writes {
        keys.push(("", "read-only: nothing is applied from here"));
    }
    keys
}

fn journal_keys(writes: bool) -> Vec<Key> {
    let mut keys = vec![
        ("j / k, ↓ / ↑", "move in the list"),
        ("g / G", "first / last"),
    ];
    if writes {
        keys.push((
            "u",
            "undo the selected apply: shows the rollback plan; y confirms",
        ));
    }
    keys.extend([
        ("r", "read the journals again"),
        ("Esc", "back"),
        ("?", "this help (Esc closes it)"),
        ("q, Ctrl-C", "quit"),
    ]);
    keys
}

fn run_keys(running: bool) -> Vec<Key> {
    let mut keys = vec![("j / k, ↓ / ↑", "scroll"), ("PgDn / PgUp", "a page")];
    if running {
        keys.extend([
            (
                "q",
                "refused until the result is in: nothing is left half-way",
            ),
            (
                "Ctrl-C twice",
                "stop after the change being sent (journaled), then quit; a third quits at once",
            ),
        ]);
    } else {
        keys.extend([
            ("Esc, Enter", "back to where it was started"),
            ("J", "the journal: undo it from there"),
            ("r", "refresh: read the account again"),
            ("q, Ctrl-C", "quit"),
        ]);
    }
    keys
}

fn confirm_keys() -> Vec<Key> {
    vec![
        ("y", "send these changes"),
        ("n, Esc", "cancel: nothing is sent"),
        ("← / →, Tab", "choose a button; Enter presses it"),
        ("j / k, PgDn", "scroll the list of changes"),
    ]
}

pub fn render(frame: &mut Frame, state: &State) {
    let t = state.theme;
    let writes = !state.read_only;
    let (title, keys) = if state.confirm.is_some() {
        ("Keys in the confirm dialog", confirm_keys())
    } else if let Some(run) = &state.run {
        ("Keys while applying", run_keys(run.is_running()))
    } else if state.journal.is_some() {
        ("Keys in the journal", journal_keys(writes))
    } else if state.wizard.is_some() {
        ("Keys in the wizard", wizard_keys(writes))
    } else {
        ("Keys", browser_keys(writes))
    };
    let mut lines = vec![Line::styled(title, t.heading())];
    for (key, what) in keys {
        lines.push(Line::from(vec![
            Span::styled(format!("  {key:<17}"), t.key()),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Badges", t.heading()));
    let meaning = [
        (Some(Status::Pass), "the control is in place"),
        (Some(Status::Fail), "the control is missing or too weak"),
        (Some(Status::Warn), "in place, but worth a look"),
        (
            Some(Status::Skip),
            "not judged here (e.g. CORS preflight OPTIONS)",
        ),
        (None, "the control does not apply (e.g. no endpoint)"),
    ];
    for (status, what) in meaning {
        let badge = t.badge(status);
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{:<17}", badge.content), badge.style),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Controls", t.heading()));
    for control in Control::ALL {
        let short = super::list::abbreviation(control.id()).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<17}", control.id()), t.value()),
            Span::raw(format!("{:<32}", control.title())),
            Span::styled(format!("narrow: {short}"), t.dim()),
        ]));
    }
    let area = overlay_area(frame.area(), lines.len() as u16 + 2);
    let block = Block::bordered()
        .padding(Padding::horizontal(1))
        .border_style(t.border(true))
        .title(Line::styled(" Help ", t.value()))
        .title_bottom(Line::styled(" Esc or ? closes ", t.dim()).right_aligned());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn overlay_area(area: Rect, height: u16) -> Rect {
    area.centered(
        Constraint::Length(82.min(area.width)),
        Constraint::Length(height.min(area.height)),
    )
}
