//! Colours and styles. With `NO_COLOR` every style drops its colours; the text of each badge
//! (`PASS`, `FAIL`, `WARN`, `SKIP`, `n/a`) carries the meaning on its own.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::steps::Status;

/// How things are drawn. `Copy`, so views take it by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub no_color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Self {
        Self { no_color }
    }

    fn fg(self, color: Color) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(color)
        }
    }

    /// The badge of a control's status; `None` means the control does not apply here.
    pub fn badge(self, status: Option<Status>) -> Span<'static> {
        let (text, style) = match status {
            Some(Status::Pass) => ("PASS", self.fg(Color::Green).add_modifier(Modifier::BOLD)),
            Some(Status::Fail) => ("FAIL", self.fg(Color::Red).add_modifier(Modifier::BOLD)),
            Some(Status::Warn) => ("WARN", self.fg(Color::Yellow).add_modifier(Modifier::BOLD)),
            Some(Status::Skip) => ("SKIP", self.dim()),
            None => ("n/a", self.dim()),
        };
        Span::styled(text, style)
    }

    /// Secondary text (ids under names, "none", hints).
    pub fn dim(self) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().fg(Color::DarkGray)
        }
    }

    /// Section headings and the app name.
    pub fn heading(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Labels in front of values (`account`, `region`).
    pub fn label(self) -> Style {
        self.dim()
    }

    /// Values worth reading first (ids, names).
    pub fn value(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Errors and read gaps.
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Warnings (read gaps, progress gaps).
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// The selected row of a list. Reversed video works without colour too.
    pub fn selected(self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// The border of the focused pane.
    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan)
        } else {
            self.dim()
        }
    }

    /// A key in the footer or help (`j/k`, `Enter`).
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Lines a plan adds (the `+` marker carries it without colour).
    pub fn added(self) -> Style {
        self.fg(Color::Green)
    }

    /// Lines a plan removes (the `-` marker carries it without colour).
    pub fn removed(self) -> Style {
        self.fg(Color::Red)
    }

    /// Values a plan changes in place (`~`), and hunk headers.
    pub fn changed(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// A step that is ready.
    pub fn ready(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// The current view in the tab bar.
    pub fn tab(self, active: bool) -> Style {
        if active {
            self.fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            Style::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_are_coloured_unless_no_color() {
        let colour = Theme::new(false);
        assert_eq!(
            colour.badge(Some(Status::Pass)).style.fg,
            Some(Color::Green)
        );
        assert_eq!(colour.badge(Some(Status::Fail)).style.fg, Some(Color::Red));
        assert_eq!(
            colour.badge(Some(Status::Warn)).style.fg,
            Some(Color::Yellow)
        );
        assert_eq!(
            colour.badge(Some(Status::Skip)).style.fg,
            Some(Color::DarkGray)
        );
        let plain = Theme::new(true);
        for status in [
            Some(Status::Pass),
            Some(Status::Fail),
            Some(Status::Warn),
            Some(Status::Skip),
            None,
        ] {
            let badge = plain.badge(status);
            assert_eq!(badge.style.fg, None, "{status:?}");
            assert_eq!(badge.style.bg, None, "{status:?}");
        }
        let texts: Vec<_> = [
            Some(Status::Pass),
            Some(Status::Fail),
            Some(Status::Warn),
            Some(Status::Skip),
            None,
        ]
        .into_iter()
        .map(|s| plain.badge(s).content.to_string())
        .collect();
        assert_eq!(texts, ["PASS", "FAIL", "WARN", "SKIP", "n/a"]);
    }
}
