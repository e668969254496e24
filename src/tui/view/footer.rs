//! The footer: the keys that work now, or the field being typed in. Keys that do not fit the
//! width give way, least needed first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::confirm::Button;
use crate::tui::run::Action;
use crate::tui::state::{Focus, State};
use crate::tui::wizard::{Pane, Wizard};

/// A key, what it does, and how readily it gives way to a narrow terminal (0: never; the
/// highest goes first).
type Key = (&'static str, &'static str, u8);

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let typing = state.wizard.as_ref().and_then(|w| w.typing.as_ref());
    let line = if let Some(typing) = typing.filter(|_| state.run.is_none()) {
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
        let keys = fit(keys(state), usize::from(area.width));
        let mut spans = vec![Span::raw(" ")];
        for (key, action, _) in keys {
            spans.push(Span::styled(key, t.key()));
            spans.push(Span::raw(format!(" {action}  ")));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys that work in the state, most needed first.
fn keys(state: &State) -> Vec<Key> {
    let writes = !state.read_only;
    if state.help {
        return vec![("Esc", "close help", 0), ("q", "quit", 0)];
    }
    if let Some(c) = &state.confirm {
        let go = match (&c.action, c.focus) {
            (Action::Apply, _) => "apply",
            (Action::Rollback { .. }, _) => "roll back",
        };
        let enter = match c.focus {
            Button::Go => go,
            Button::Cancel => "cancel",
        };
        return vec![
            ("y", go, 0),
            ("n/Esc", "cancel", 0),
            ("←/→", "choose", 2),
            ("Enter", enter, 1),
            ("j/k", "scroll", 3),
        ];
    }
    if let Some(run) = &state.run {
        return if run.is_running() {
            vec![
                ("j/k", "scroll", 2),
                ("Ctrl-C twice", "stop and quit", 1),
                ("?", "help", 3),
            ]
        } else {
            vec![
                ("Esc/Enter", "back", 0),
                ("j/k", "scroll", 2),
                ("J", "journal", 1),
                ("r", "refresh", 3),
                ("?", "help", 4),
                ("q", "quit", 0),
            ]
        };
    }
    if state.journal.is_some() {
        let mut keys = vec![("j/k", "move", 2)];
        if writes {
            keys.push(("u", "undo", 0));
        }
        keys.extend([
            ("r", "reload", 3),
            ("Esc", "back", 0),
            ("?", "help", 4),
            ("q", "quit", 0),
        ]);
        return keys;
    }
    if let Some(wizard) = &state.wizard {
        return wizard_keys(wizard, writes);
    }
    if state.data.is_none() {
        return vec![
            ("r", "refresh", 0),
            ("J", "journal", 1),
            ("?", "help", 0),
            ("q", "quit", 0),
        ];
    }
    if state.focus == Focus::Detail {
        vec![
            ("j/k", "scroll", 3),
            ("PgDn/PgUp", "page", 5),
            ("Enter/w", "harden (wizard)", 0),
            ("Esc", "back", 0),
            ("Tab", "next view", 4),
            ("J", "journal", 2),
            ("r", "refresh", 1),
            ("?", "help", 0),
            ("q", "quit", 0),
        ]
    } else {
        vec![
            ("j/k", "move", 3),
            ("Enter", "details", 2),
            ("w", "harden (wizard)", 0),
            ("Tab", "next view", 4),
            ("/", "filter", 5),
            ("J", "journal", 2),
            ("r", "refresh", 1),
            ("?", "help", 0),
            ("q", "quit", 0),
        ]
    }
}

/// The wizard's keys for the focused pane; the apply keys only when writes are possible.
fn wizard_keys(wizard: &Wizard, writes: bool) -> Vec<Key> {
    let mut keys = match wizard.pane {
        Pane::Steps => vec![
            ("j/k", "step", 2),
            ("Tab/1-4", "step", 5),
            ("l/Enter", "inputs", 3),
            ("a", "add", 4),
            ("PgDn/PgUp", "review", 6),
        ],
        Pane::Inputs => vec![
            ("j/k", "move", 3),
            ("Space", "toggle", 1),
            ("a", "add", 4),
            ("h/l", "pane", 5),
            ("Tab/1-4", "step", 6),
            ("PgDn/PgUp", "review", 7),
        ],
        Pane::Review => vec![
            ("j/k", "scroll", 2),
            ("PgDn/PgUp", "page", 5),
            ("h", "inputs", 4),
            ("Tab/1-4", "step", 3),
        ],
    };
    if writes {
        keys.extend([("A", "apply step", 0), ("^A", "apply all", 0)]);
    }
    keys.extend([
        ("J", "journal", 2),
        ("Esc", "back", 0),
        ("?", "help", 0),
        ("q", "quit", 0),
    ]);
    keys
}

/// The keys that fit in `width` columns: the most readily dropped go first.
fn fit(mut keys: Vec<Key>, width: usize) -> Vec<Key> {
    // " key action  key action": the last one's two trailing spaces may be cut.
    let used = |keys: &[Key]| {
        keys.iter()
            .map(|(k, a, _)| k.chars().count() + a.chars().count() + 3)
            .sum::<usize>()
            .saturating_sub(1)
    };
    while used(&keys) > width {
        let Some(drop) = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.2 > 0)
            .max_by_key(|(i, k)| (k.2, *i))
            .map(|(i, _)| i)
        else {
            break;
        };
        keys.remove(drop);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_give_way_least_needed_first_and_never_the_essential_ones() {
        let keys = vec![
            ("a", "one", 0),
            ("b", "two", 2),
            ("c", "three", 1),
            ("q", "quit", 0),
        ];
        let names = |keys: &[Key]| keys.iter().map(|k| k.0).collect::<Vec<_>>();
        assert_eq!(names(&fit(keys.clone(), 80)), ["a", "b", "c", "q"]);
        // " a one  b two  c three  q quit" is 30 columns; "b two  " goes first.
        assert_eq!(names(&fit(keys.clone(), 30)), ["a", "b", "c", "q"]);
        assert_eq!(names(&fit(keys.clone(), 29)), ["a", "c", "q"]);
        assert_eq!(names(&fit(keys.clone(), 20)), ["a", "q"]);
        assert_eq!(names(&fit(keys, 5)), ["a", "q"], "essential keys stay");
    }
}
