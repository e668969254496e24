//! The journal view: the applies and rollbacks of the state directory, newest first, and the
//! details of the selected one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Padding, Paragraph, Row, Table, TableState};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::header::format_minute;
use super::wrap::wrap;
use crate::apply::{ApplyOutcome, JournalEntry, JournalKind};
use crate::tui::journal::{JournalList, JournalView};
use crate::tui::state::State;
use crate::tui::theme::Theme;

/// `2026-05-01 09:30 UTC` for a journal's RFC 3339 time (as written, if it does not parse);
/// the id in the details has the milliseconds.
pub fn when(started_at: &str) -> String {
    OffsetDateTime::parse(started_at, &Rfc3339)
        .map_or_else(|_| started_at.to_string(), format_minute)
}

/// The controls, by their short names.
fn controls(entry: &JournalEntry) -> String {
    let names: Vec<&str> = entry
        .controls
        .iter()
        .map(|c| super::list::abbreviation(c.id()).unwrap_or(c.id()))
        .collect();
    if names.is_empty() {
        "—".into()
    } else {
        names.join(",")
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let Some(view) = &state.journal else {
        return;
    };
    let t = state.theme;
    let list = match &view.list {
        None => return message(frame, area, t, "Reading the journals…", t.dim()),
        Some(Err(why)) => return message(frame, area, t, why, t.error()),
        Some(Ok(list)) => list,
    };
    let detail = detail_lines(view, list, state.read_only, t);
    let detail = wrap(detail, area.width.saturating_sub(4));
    let detail_height = (detail.len() as u16 + 2).min(area.height / 2);
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_height)]).areas(area);
    table(frame, top, view, list, t);
    frame.render_widget(
        Paragraph::new(detail).block(
            Block::bordered()
                .padding(Padding::horizontal(1))
                .border_style(t.dim()),
        ),
        bottom,
    );
}

fn message(frame: &mut Frame, area: Rect, t: Theme, text: &str, style: ratatui::style::Style) {
    let lines = wrap(
        vec![Line::styled(text.to_string(), style)],
        area.width.saturating_sub(4),
    );
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .padding(Padding::horizontal(1))
                .border_style(t.border(true))
                .title(Line::styled(" Journal ", t.value())),
        ),
        area,
    );
}

fn table(frame: &mut Frame, area: Rect, view: &JournalView, list: &JournalList, t: Theme) {
    let block = Block::bordered()
        .border_style(t.border(true))
        .title(Line::styled(
            format!(" Journals in {} · newest first ", list.state_dir.display()),
            t.value(),
        ));
    if list.entries.is_empty() {
        let text = Line::styled(
            "  No journal yet: nothing has been applied with this state directory.",
            t.dim(),
        );
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let rows = list.entries.iter().map(|e| {
        let kind = e.kind.label();
        let outcome_style = match &e.outcome {
            Some(ApplyOutcome::Complete) => t.ready(),
            _ => t.error(),
        };
        Row::new(vec![
            Cell::from(when(&e.started_at)),
            Cell::from(kind),
            Cell::from(e.account.clone()),
            Cell::from(controls(e)),
            Cell::from(Span::styled(e.outcome_label(), outcome_style)),
            Cell::from(format!("{:>7} {:>6} {:>7}", e.applied, e.failed, e.not_run)),
        ])
    });
    let header = Row::new(vec![
        "started",
        "kind",
        "account",
        "controls",
        "outcome",
        "applied failed not run",
    ])
    .style(t.heading());
    let widths = [
        Constraint::Length(20),
        Constraint::Length(8),
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(18),
        Constraint::Length(22),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(2)
        .row_highlight_style(t.selected(true))
        .highlight_symbol("▶ ");
    let mut table_state = TableState::default().with_selected(Some(view.selected));
    frame.render_stateful_widget(table, area, &mut table_state);
}

/// The selected journal in full, and files that could not be read.
fn detail_lines(
    view: &JournalView,
    list: &JournalList,
    read_only: bool,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(e) = view.selection() {
        let kind = match (&e.kind, &e.rolls_back) {
            (JournalKind::Rollback, Some(of)) => format!("rollback of {of}"),
            (JournalKind::Rollback, None) => "rollback".into(),
            (JournalKind::Apply, _) => "apply".into(),
        };
        lines.push(Line::from(vec![
            Span::styled(e.id.clone(), t.value()),
            Span::raw(format!("  {kind}  {} in {}", e.account, e.region)),
        ]));
        let names: Vec<&str> = e.controls.iter().map(|c| c.id()).collect();
        lines.push(Line::raw(format!(
            "{} · {} applied, {} failed, {} not run",
            if names.is_empty() {
                "no control".to_string()
            } else {
                names.join(", ")
            },
            e.applied,
            e.failed,
            e.not_run
        )));
        if let Some(ApplyOutcome::RefusedDrift { drifted }) = &e.outcome {
            for d in drifted {
                lines.push(Line::styled(
                    format!("drifted: {}: {}", d.resource, d.detail),
                    t.warn(),
                ));
            }
        }
        if e.outcome.is_none() {
            lines.push(Line::styled(
                "interrupted: no closing record; what it records as applied is what reached AWS",
                t.warn(),
            ));
        }
        if e.torn {
            lines.push(Line::styled(
                "its last line was cut short by a crash; the records before it are intact",
                t.warn(),
            ));
        }
        lines.push(Line::styled(e.path.display().to_string(), t.dim()));
        if !read_only && e.applied > 0 {
            lines.push(Line::from(vec![
                Span::styled("u", t.key()),
                Span::styled(
                    " shows the plan that undoes it; nothing is sent before y",
                    t.dim(),
                ),
            ]));
        }
    }
    for (path, why) in &list.unreadable {
        lines.push(Line::styled(
            format!("unreadable: {}: {why}", path.display()),
            t.error(),
        ));
    }
    lines
}
