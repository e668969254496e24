//! The detail pane: the live settings and findings of the selection, scrollable.

pub(super) mod api;
pub(super) mod blocks;
mod endpoint;
mod group;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Padding, Paragraph};

use super::wrap::wrap;
use crate::tui::state::{Focus, Selected, State};

/// The content of the detail pane for the selection, wrapped to `width`.
pub fn lines(state: &State, width: u16) -> Vec<Line<'static>> {
    let t = state.theme;
    let Some(data) = &state.data else {
        return Vec::new();
    };
    let raw = match state.selection() {
        None => vec![Line::styled("Nothing selected.", t.dim())],
        Some(Selected::Api(path, api)) => api::lines(data, path, api, t),
        Some(Selected::Endpoint(e)) => endpoint::lines(data, e, t),
        Some(Selected::Group(g)) => group::lines(data, g, t),
    };
    wrap(raw, width)
}

/// The pane's frame: a border and one column of padding on each side.
fn frame_block<'a>() -> Block<'a> {
    Block::bordered().padding(Padding::horizontal(1))
}

/// The size of the text area of a detail pane drawn in `area`.
pub fn viewport(area: Rect) -> (u16, u16) {
    let inner = frame_block().inner(area);
    (inner.width, inner.height)
}

fn title(state: &State) -> String {
    match state.selection() {
        Some(Selected::Api(_, api)) => format!(" {} ", api.name),
        Some(Selected::Endpoint(e)) => format!(" {} ", e.id),
        Some(Selected::Group(g)) => format!(" {} ({}) ", g.id, g.name),
        None => " details ".to_string(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let focused = state.focus == Focus::Detail;
    let block = frame_block()
        .border_style(t.border(focused))
        .title(Line::styled(title(state), t.value()));
    let inner = block.inner(area);
    let lines = lines(state, inner.width);
    let total = lines.len();
    let height = usize::from(inner.height);
    let max = total.saturating_sub(height);
    let scroll = if focused {
        usize::from(state.detail_scroll).min(max)
    } else {
        0
    };
    let hint = if focused {
        "j/k scroll · Esc back"
    } else {
        "Enter to scroll"
    };
    let position = if total > height {
        super::scroll_position(scroll, height, total, hint)
    } else if focused {
        " Esc back ".to_string()
    } else {
        String::new()
    };
    let block = block.title_bottom(Line::styled(position, t.dim()).right_aligned());
    let paragraph = Paragraph::new(lines)
        .block(block)
        .scroll((scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(paragraph, area);
}
