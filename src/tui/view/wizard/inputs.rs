//! The inputs of the current step: checkboxes under headings, the cursor on one of them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::tui::theme::Theme;
use crate::tui::wizard::{Pane, Row, Wizard};

/// The widest label column; longer labels are cut (the review names everything in full).
const LABEL_MAX: usize = 22;

/// The picker's lines, and the line the cursor is on.
/// `room` is the width of the pane's text area.
pub fn lines(wizard: &Wizard, room: usize, t: Theme) -> (Vec<Line<'static>>, usize) {
    // The cursor mark, the checkbox and the spaces around the label.
    let room = room.saturating_sub(6);
    let focused = wizard.pane == Pane::Inputs;
    let rows = wizard.offers.rows(wizard.step, &wizard.inputs);
    let width = rows
        .iter()
        .filter_map(|r| match r {
            Row::Choice { offer, .. } => Some(offer.label.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(LABEL_MAX);
    let mut lines = Vec::new();
    let mut cursor_line = 0;
    for row in rows {
        match row {
            Row::Heading(section) => lines.push(Line::styled(section.title(), t.heading())),
            Row::Empty(why) => lines.push(Line::styled(format!("    {why}"), t.dim())),
            Row::Choice {
                offer,
                selected,
                index,
            } => {
                let here = index == wizard.cursor;
                if here {
                    cursor_line = lines.len();
                }
                let label: String = offer.label.chars().take(width).collect();
                let style = if here && focused {
                    t.selected(true)
                } else {
                    Style::new()
                };
                lines.push(Line::from(vec![
                    Span::styled(
                        if here { "▶" } else { " " },
                        if focused { t.key() } else { t.dim() },
                    ),
                    Span::styled(
                        format!("[{}] {label:<width$}", if selected { "x" } else { " " }),
                        style,
                    ),
                    Span::styled(fit(&offer.note, room.saturating_sub(width)), t.dim()),
                ]));
            }
        }
    }
    (lines, cursor_line)
}

pub fn render(frame: &mut Frame, area: Rect, wizard: &Wizard, t: Theme) {
    let focused = wizard.pane == Pane::Inputs;
    let block = Block::bordered()
        .border_style(t.border(focused))
        .title(Line::styled(" Inputs · Space toggle · a add ", t.value()));
    let inner = block.inner(area);
    let (lines, cursor_line) = lines(wizard, usize::from(inner.width), t);
    let height = usize::from(inner.height);
    // Keep the cursor in sight, with the line under it when there is one.
    let top = (cursor_line + 2).saturating_sub(height);
    let top = top.min(lines.len().saturating_sub(height));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((top.min(usize::from(u16::MAX)) as u16, 0)),
        area,
    );
}

/// A note (with its leading space) in `room + 1` columns, cut with `…` when it is longer (the review names it in full).
fn fit(note: &str, room: usize) -> String {
    if note.is_empty() || room < 2 {
        return String::new();
    }
    let count = note.chars().count();
    // A stub of a few letters says nothing: leave the note out.
    if count > room && room < 6 {
        return String::new();
    }
    if count <= room {
        format!(" {note}")
    } else {
        let cut: String = note.chars().take(room - 1).collect();
        format!(" {cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn notes_fit_their_room_or_are_left_out() {
        assert_eq!(fit("service-a", 9), " service-a");
        assert_eq!(fit("service-a", 7), " servic…");
        assert_eq!(fit("service-a", 5), "", "a stub says nothing");
        assert_eq!(fit("", 20), "");
    }
}
