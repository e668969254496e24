//! Rendering: functions of `&State` that draw a frame. They never change state or fetch.

mod changes;
mod chrome;
pub mod confirm;
pub mod detail;
mod footer;
mod header;
mod help;
mod journal;
mod list;
pub mod run;
mod screens;
pub mod wizard;
mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

pub use header::format_time;

use super::state::{Focus, State};

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub list: Option<Rect>,
    pub detail: Option<Rect>,
    pub message: Rect,
    pub footer: Rect,
}

/// The layout for a state: the list above the detail of its selection, the detail alone
/// once drilled into, or in the body the wizard's panes, the journal, or an apply's progress.
pub fn areas(area: Rect, state: &State) -> Areas {
    let message_height = chrome::messages(state, area.width).len() as u16;
    let [header, tabs, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(message_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let takes_body = state.wizard.is_some() || state.run.is_some() || state.journal.is_some();
    let (list, detail) = match (&state.data, state.focus) {
        (None, _) => (None, None),
        (Some(_), _) if takes_body => (None, None),
        (Some(_), Focus::Detail) => (None, Some(body)),
        (Some(_), Focus::List) => {
            let height = list::height(state).min((body.height / 2).max(5));
            let [list, detail] =
                Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(body);
            (Some(list), Some(detail))
        }
    };
    Areas {
        header,
        tabs,
        body,
        list,
        detail,
        message,
        footer,
    }
}

/// The inside of the detail pane (width, height) at the state's terminal size.
/// ` lines 3-20 of 40 · hint ` for the bottom border of a pane scrolled to `scroll`;
/// empty when everything fits.
pub(crate) fn scroll_position(scroll: usize, height: usize, total: usize, hint: &str) -> String {
    if total > height {
        format!(
            " lines {}-{} of {total} · {hint} ",
            scroll + 1,
            (scroll + height).min(total)
        )
    } else {
        String::new()
    }
}

pub fn detail_viewport(state: &State) -> (u16, u16) {
    let (width, height) = state.size;
    let a = areas(Rect::new(0, 0, width, height), state);
    detail::viewport(a.detail.unwrap_or(a.body))
}

/// Draw the whole screen.
pub fn render(frame: &mut Frame, state: &State) {
    let a = areas(frame.area(), state);
    header::header(frame, a.header, state);
    chrome::tabs(frame, a.tabs, state);
    match (&state.data, &state.scanning, &state.error) {
        _ if state.run.is_some() => run::render(frame, a.body, state),
        _ if state.journal.is_some() => journal::render(frame, a.body, state),
        (Some(_), _, _) if state.wizard.is_some() => wizard::render(frame, a.body, state),
        (Some(_), _, _) => {
            if let Some(area) = a.list {
                list::render(frame, area, state);
            }
            if let Some(area) = a.detail {
                detail::render(frame, area, state);
            }
        }
        (None, Some(progress), _) => screens::progress(frame, a.body, state, progress),
        (None, None, Some(error)) => screens::error(frame, a.body, state, error),
        (None, None, None) => screens::idle(frame, a.body, state),
    }
    let message = chrome::messages(state, a.message.width);
    if !message.is_empty() {
        frame.render_widget(Paragraph::new(message), a.message);
    }
    footer::render(frame, a.footer, state);
    if state.confirm.is_some() {
        confirm::render(frame, state);
    }
    if state.help {
        help::render(frame, state);
    }
}
