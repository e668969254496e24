//! The header, the view tabs with the scan status, the footer of keys, and the line that
//! shows a failed refresh.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::tui::state::{Focus, State, View};
use crate::tui::theme::Theme;
use crate::tui::wizard::{Pane, Wizard};

/// `2026-05-01 09:30:00 UTC`, or with the offset when the local time zone is known.
pub fn format_time(at: OffsetDateTime) -> String {
    with_zone(
        at,
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
    .unwrap_or_else(|| at.to_string())
}

/// `at` in `pattern`, followed by `UTC` or the offset.
fn with_zone(at: OffsetDateTime, pattern: &[BorrowedFormatItem<'_>]) -> Option<String> {
    let zone = if at.offset().is_utc() {
        "UTC".to_string()
    } else {
        at.format(format_description!(
            "[offset_hour sign:mandatory]:[offset_minute]"
        ))
        .ok()?
    };
    Some(format!("{} {zone}", at.format(pattern).ok()?))
}

pub fn header(frame: &mut Frame, area: Rect, state: &State) {
    frame.render_widget(Paragraph::new(header_line(state, area.width)), area);
}

/// How far the header gives way to a narrow terminal, least important part first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Squeeze {
    Full,
    NoAppName,
    NoSourceLabel,
    NoRegionLabel,
    NoAccountLabel,
    ShortTime,
    NoTime,
    NoRegion,
    CutSource,
}

/// The header at a width: the first form that fits, from the whole line to the account,
/// the source (cut with `…`) and "read-only".
fn header_line(state: &State, width: u16) -> Line<'static> {
    use Squeeze::*;
    let width = usize::from(width);
    let forms = [
        Full,
        NoAppName,
        NoSourceLabel,
        NoRegionLabel,
        NoAccountLabel,
        ShortTime,
        NoTime,
        NoRegion,
    ];
    for squeeze in forms {
        let line = header_at(state, squeeze, usize::MAX);
        if line.width() <= width {
            return line;
        }
    }
    let without_source = header_at(state, CutSource, 0).width();
    header_at(state, CutSource, width.saturating_sub(without_source))
}

/// The header squeezed so far, with at most `source_room` columns for the source.
fn header_at(state: &State, squeeze: Squeeze, source_room: usize) -> Line<'static> {
    let t = state.theme;
    let posture = state.data.as_ref().map(|d| &d.posture);
    let missing = || Span::styled("—", t.dim());
    // A label is dropped from the squeeze that names it on.
    let label = |text: &'static str, dropped: Squeeze| {
        Span::styled(if squeeze < dropped { text } else { "" }, t.label())
    };
    let mut spans = Vec::new();
    if squeeze == Squeeze::Full {
        spans.push(Span::styled(" ztharden ", t.heading()));
    }
    spans.push(Span::raw(" "));
    spans.push(label("account ", Squeeze::NoAccountLabel));
    spans.push(posture.map_or_else(missing, |p| Span::styled(p.account.to_string(), t.value())));
    if squeeze < Squeeze::NoRegion {
        spans.push(Span::raw("  "));
        spans.push(label("region ", Squeeze::NoRegionLabel));
        spans.push(posture.map_or_else(missing, |p| Span::styled(p.region.to_string(), t.value())));
    }
    spans.push(Span::raw("  "));
    spans.push(label("source ", Squeeze::NoSourceLabel));
    spans.push(Span::styled(cut(&state.label, source_room), t.value()));
    if squeeze < Squeeze::NoTime {
        let short = squeeze >= Squeeze::ShortTime;
        spans.push(Span::styled(
            if short { "  at " } else { "  refreshed " },
            t.label(),
        ));
        spans.push(match state.refreshed_at {
            Some(at) if short => Span::raw(format_time_short(at)),
            Some(at) => Span::raw(format_time(at)),
            None => Span::styled("never", t.dim()),
        });
    }
    spans.push(Span::styled("  read-only", t.dim()));
    Line::from(spans)
}

/// `text` in at most `room` columns, cut with `…` when longer.
fn cut(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        text.to_string()
    } else if room == 0 {
        String::new()
    } else {
        let kept: String = text.chars().take(room - 1).collect();
        format!("{kept}…")
    }
}

/// `May 1 09:30 UTC`: [`format_time`] without the year and the seconds.
fn format_time_short(at: OffsetDateTime) -> String {
    with_zone(
        at,
        format_description!("[month repr:short] [day padding:none] [hour]:[minute]"),
    )
    .unwrap_or_else(|| format_time(at))
}

pub fn tabs(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    if let Some(wizard) = &state.wizard {
        return wizard_crumb(frame, area, state, wizard);
    }
    let mut spans = vec![Span::raw(" ")];
    for (n, view) in View::ALL.into_iter().enumerate() {
        let count = state.data.as_ref().map(|d| match view {
            View::Apis => d.paths.len(),
            View::Endpoints => d.posture.endpoints.len(),
            View::Groups => d.posture.security_groups.len(),
        });
        let label = match count {
            Some(c) => format!(" {} {} ({c}) ", n + 1, view.title()),
            None => format!(" {} {} ", n + 1, view.title()),
        };
        spans.push(Span::styled(label, t.tab(view == state.view)));
        spans.push(Span::raw(" "));
    }
    let status = status(state, t);
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(status.width() as u16 + 1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(status), right);
}

/// In the wizard: where the operator is, and that nothing is applied from here.
fn wizard_crumb(frame: &mut Frame, area: Rect, state: &State, wizard: &Wizard) {
    let t = state.theme;
    let api = state
        .data
        .as_ref()
        .and_then(|d| d.posture.api(&wizard.api_id));
    let name = api.map_or(wizard.api_id.as_str(), |a| a.name.as_str());
    let left = Line::from(vec![
        Span::styled(" API paths ", t.tab(false)),
        Span::styled("› ", t.dim()),
        Span::styled(format!(" Harden {name} ({}) ", wizard.api_id), t.tab(true)),
        Span::styled(
            format!(
                "  step {} of 4: {}",
                wizard.step_index() + 1,
                wizard.step.id()
            ),
            t.value(),
        ),
    ]);
    let mut right = status(state, t);
    if right.width() > 0 {
        right.spans.push(Span::raw("  "));
    }
    // The whole sentence when there is room for it beside the crumb, else the gist.
    let room = usize::from(area.width).saturating_sub(left.width() + right.width() + 1);
    let review_only = "REVIEW ONLY: nothing is applied";
    right.spans.push(Span::styled(
        if review_only.len() <= room {
            review_only
        } else {
            "REVIEW ONLY"
        },
        t.warn(),
    ));
    let [l, r] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(right.width() as u16 + 1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);
}

/// What the scan is doing, or what is wrong, in a few words.
fn status(state: &State, t: Theme) -> Line<'static> {
    if let Some(progress) = &state.scanning {
        let what = if state.data.is_some() {
            "refreshing"
        } else {
            "scanning"
        };
        return match progress.current() {
            Some(phase) => Line::styled(format!("{what}: {phase}…"), t.warn()),
            None => Line::styled(format!("{what}…"), t.warn()),
        };
    }
    if state.data.is_some() && state.error.is_some() {
        return Line::styled("refresh failed (below)", t.error());
    }
    match state.data.as_ref().map(|d| d.posture.gaps.len()) {
        Some(0) | None => Line::raw(""),
        Some(1) => Line::styled("1 thing could not be read", t.warn()),
        Some(n) => Line::styled(format!("{n} things could not be read"), t.warn()),
    }
}

/// The lines above the footer: a failed refresh, and in the wizard what the value typed in
/// did (refused and why, or added and its warnings).
pub fn messages(state: &State, width: u16) -> Vec<Line<'static>> {
    let mut lines = refresh_error(state, width);
    if let Some(w) = &state.wizard {
        lines.extend(typed_messages(w, width, state.theme));
    }
    lines
}

/// At most this many lines say what a typed value did.
const TYPED_LINES: usize = 4;

fn typed_messages(w: &Wizard, width: u16, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(error) = w.typing.as_ref().and_then(|typing| typing.error.as_ref()) {
        lines.push(Line::styled(format!(" ✗ {error}"), t.error()));
    } else if let Some(notice) = &w.notice {
        lines.push(Line::styled(format!(" ✓ {}", notice.text), t.ready()));
        for warning in &notice.warnings {
            lines.push(Line::styled(format!(" ! {warning}"), t.warn()));
        }
    }
    let mut lines = super::wrap::wrap(lines, width);
    lines.truncate(TYPED_LINES);
    lines
}

/// The lines of a failed refresh (shown above the footer while the old data stays).
fn refresh_error(state: &State, width: u16) -> Vec<Line<'static>> {
    match (&state.data, &state.error) {
        (Some(_), Some(error)) => {
            let line = Line::styled(
                format!(
                    " Refresh failed: {error}. Press r to retry; the data shown is from the last good scan."
                ),
                state.theme.error(),
            );
            let mut lines = super::wrap::wrap(vec![line], width);
            lines.truncate(3);
            lines
        }
        _ => Vec::new(),
    }
}

pub fn footer(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let typing = state.wizard.as_ref().and_then(|w| w.typing.as_ref());
    let line = if let Some(typing) = typing {
        Line::from(vec![
            Span::styled(" add: ", t.key()),
            Span::raw(typing.text.clone()),
            Span::styled("▏", t.key()),
            Span::styled("   a role ARN (arn:…), sg-… or vpce-… · ", t.dim()),
            Span::styled("Enter", t.key()),
            Span::styled(" add · ", t.dim()),
            Span::styled("Esc", t.key()),
            Span::styled(" cancel", t.dim()),
        ])
    } else if state.editing_filter {
        Line::from(vec![
            Span::styled(" filter /", t.key()),
            Span::raw(state.filter().to_string()),
            Span::styled("▏", t.key()),
            Span::styled("   type a name or id · ", t.dim()),
            Span::styled("Enter", t.key()),
            Span::styled(" keep · ", t.dim()),
            Span::styled("Esc", t.key()),
            Span::styled(" clear", t.dim()),
        ])
    } else {
        let keys: &[(&str, &str)] = if state.help {
            &[("Esc", "close help"), ("q", "quit")]
        } else if let Some(wizard) = &state.wizard {
            wizard_keys(wizard)
        } else if state.data.is_none() {
            &[("r", "refresh"), ("?", "help"), ("q", "quit")]
        } else if state.focus == Focus::Detail {
            &[
                ("j/k", "scroll"),
                ("PgDn/PgUp", "page"),
                ("Enter/w", "harden (wizard)"),
                ("Esc", "back"),
                ("Tab", "next view"),
                ("r", "refresh"),
                ("?", "help"),
                ("q", "quit"),
            ]
        } else {
            &[
                ("j/k", "move"),
                ("Enter", "details"),
                ("w", "harden (wizard)"),
                ("Tab", "next view"),
                ("/", "filter"),
                ("r", "refresh"),
                ("?", "help"),
                ("q", "quit"),
            ]
        };
        let mut spans = vec![Span::raw(" ")];
        for (key, action) in keys {
            spans.push(Span::styled(*key, t.key()));
            spans.push(Span::raw(format!(" {action}  ")));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The wizard's keys for the focused pane.
fn wizard_keys(wizard: &Wizard) -> &'static [(&'static str, &'static str)] {
    match wizard.pane {
        Pane::Steps => &[
            ("j/k", "step"),
            ("Tab/1-4", "step"),
            ("l/Enter", "inputs"),
            ("a", "add"),
            ("PgDn/PgUp", "review"),
            ("Esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Pane::Inputs => &[
            ("j/k", "move"),
            ("Space", "toggle"),
            ("a", "add"),
            ("h/l", "pane"),
            ("Tab/1-4", "step"),
            ("PgDn/PgUp", "review"),
            ("Esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Pane::Review => &[
            ("j/k", "scroll"),
            ("PgDn/PgUp", "page"),
            ("h", "inputs"),
            ("Tab/1-4", "step"),
            ("Esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::{format_time, format_time_short};

    #[test]
    fn short_times_drop_the_year_and_the_seconds() {
        assert_eq!(
            format_time_short(datetime!(2026-05-01 09:30:59 UTC)),
            "May 1 09:30 UTC"
        );
        assert_eq!(
            format_time_short(datetime!(2026-12-24 23:05:00 -05:00)),
            "Dec 24 23:05 -05:00"
        );
    }

    #[test]
    fn times_name_their_zone() {
        assert_eq!(
            format_time(datetime!(2026-05-01 09:30:00 UTC)),
            "2026-05-01 09:30:00 UTC"
        );
        assert_eq!(
            format_time(datetime!(2026-05-01 11:30:00 +02:00)),
            "2026-05-01 11:30:00 +02:00"
        );
    }
}
