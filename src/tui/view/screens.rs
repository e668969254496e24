//! What the body shows before there is anything to list: the progress of the first scan,
//! or why it failed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Wrap};

use crate::tui::state::{ProgressLine, ScanProgress, State};

pub fn progress(frame: &mut Frame, area: Rect, state: &State, progress: &ScanProgress) {
    let t = state.theme;
    let mut lines = vec![
        Line::raw(format!("Reading the posture from {}.", state.label)),
        Line::styled("The lists appear when the read is done. q quits.", t.dim()),
        Line::raw(""),
    ];
    let last_phase = progress
        .lines
        .iter()
        .rposition(|l| matches!(l, ProgressLine::Phase { .. }));
    for (i, line) in progress.lines.iter().enumerate() {
        match line {
            ProgressLine::Phase {
                name,
                done,
                total,
                last,
            } => {
                let running = Some(i) == last_phase;
                let mut spans = vec![
                    Span::styled(if running { "  … " } else { "  ✓ " }, t.heading()),
                    Span::styled(format!("{name:<20}"), t.value()),
                ];
                if *total > 0 {
                    spans.push(Span::raw(format!(" {done}/{total}")));
                }
                if let Some(last) = last {
                    spans.push(Span::styled(format!("  {last}"), t.dim()));
                }
                if running {
                    spans.push(Span::styled("  reading", t.dim()));
                }
                lines.push(Line::from(spans));
            }
            ProgressLine::Gap(message) => {
                lines.push(Line::styled(format!("  ! {message}"), t.warn()));
            }
        }
    }
    if progress.lines.is_empty() {
        lines.push(Line::styled("  … connecting", t.dim()));
    }
    let block = Block::bordered()
        .padding(Padding::new(2, 2, 1, 0))
        .border_style(t.border(true))
        .title(Line::styled(" Scanning ", t.value()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

pub fn error(frame: &mut Frame, area: Rect, state: &State, message: &str) {
    let t = state.theme;
    let lines = vec![
        Line::styled("The posture could not be read.", t.error()),
        Line::raw(""),
        Line::raw(message.to_string()),
        Line::raw(""),
        Line::from(vec![
            Span::raw("Press "),
            Span::styled("r", t.key()),
            Span::raw(" to retry, "),
            Span::styled("q", t.key()),
            Span::raw(" to quit."),
        ]),
    ];
    let block = Block::bordered()
        .padding(Padding::new(2, 2, 1, 0))
        .border_style(t.error())
        .title(Line::styled(" Scan failed ", t.error()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

pub fn idle(frame: &mut Frame, area: Rect, state: &State) {
    let line = Line::styled("Nothing read yet. Press r to scan.", state.theme.dim());
    frame.render_widget(Paragraph::new(line).block(Block::bordered()), area);
}
