//! A plan's changes as rows: a prefix (a number, a state), the AWS call in a column, and the
//! summary, whose continuation lines start under it.

use ratatui::text::{Line, Span};

use super::wrap::wrap;
use crate::plan::Change;
use crate::tui::theme::Theme;

/// The width of the widest AWS call of `changes`.
pub fn call_width(changes: &[Change]) -> usize {
    changes
        .iter()
        .map(|c| c.aws_call().len())
        .max()
        .unwrap_or(0)
}

/// One change, wrapped to `width`.
pub fn row(
    prefix: Vec<Span<'static>>,
    change: &Change,
    call_width: usize,
    width: u16,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut head = prefix;
    head.push(Span::styled(
        format!("{:<call_width$}  ", change.aws_call()),
        t.key(),
    ));
    let lead = Line::from(head.clone()).width();
    let room = usize::from(width).saturating_sub(lead);
    // Too narrow for a column: the whole row wraps as one line.
    if room < 24 {
        head.push(Span::raw(change.summary()));
        return wrap(vec![Line::from(head)], width);
    }
    let summary = wrap(vec![Line::raw(change.summary())], room as u16);
    summary
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let mut spans = if i == 0 {
                head.clone()
            } else {
                vec![Span::raw(" ".repeat(lead))]
            };
            spans.extend(line.spans);
            Line::from(spans)
        })
        .collect()
}
