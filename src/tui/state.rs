//! Everything the TUI shows, as plain data. `update` changes it; views only read it.

use time::OffsetDateTime;

use super::confirm::Confirm;
use super::journal::JournalView;
pub use super::message::{Level, Message, READ_ONLY};
use super::run::Run;
pub use super::scanned::{Scanned, gap_concerns};
use super::theme::Theme;
use super::wizard::Wizard;
use crate::cloud::ReadEvent;
use crate::model::{RestApi, SecurityGroup, VpcEndpoint};
use crate::steps::ApiPath;

/// The three lists, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Apis,
    Endpoints,
    Groups,
}

impl View {
    pub const ALL: [View; 3] = [View::Apis, View::Endpoints, View::Groups];

    pub fn index(self) -> usize {
        match self {
            Self::Apis => 0,
            Self::Endpoints => 1,
            Self::Groups => 2,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Apis => "API paths",
            Self::Endpoints => "Endpoints",
            Self::Groups => "Security groups",
        }
    }

    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % 3]
    }

    pub fn prev(self) -> Self {
        Self::ALL[(self.index() + 2) % 3]
    }
}

/// Which pane the keys move: the list, or the detail of its selection (drilled into).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// One line of the progress of a running scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressLine {
    /// A phase; `last` is the last item read in it, with `done` of `total`.
    Phase {
        name: String,
        done: usize,
        total: usize,
        last: Option<String>,
    },
    /// Something that could not be read (the scan goes on).
    Gap(String),
}

/// A scan in flight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanProgress {
    pub lines: Vec<ProgressLine>,
}

impl ScanProgress {
    pub fn record(&mut self, event: ReadEvent) {
        match event {
            ReadEvent::Started(name) => self.lines.push(ProgressLine::Phase {
                name,
                done: 0,
                total: 0,
                last: None,
            }),
            ReadEvent::Read { what, done, total } => {
                let current = self
                    .lines
                    .iter_mut()
                    .rev()
                    .find(|l| matches!(l, ProgressLine::Phase { .. }));
                match current {
                    Some(ProgressLine::Phase {
                        done: d,
                        total: t,
                        last,
                        ..
                    }) => {
                        *d = done;
                        *t = total;
                        *last = Some(what);
                    }
                    _ => self.lines.push(ProgressLine::Phase {
                        name: what.clone(),
                        done,
                        total,
                        last: Some(what),
                    }),
                }
            }
            ReadEvent::Gap(message) => self.lines.push(ProgressLine::Gap(message)),
        }
    }

    /// The phase being read now, for the status line.
    pub fn current(&self) -> Option<&str> {
        self.lines.iter().rev().find_map(|l| match l {
            ProgressLine::Phase { name, .. } => Some(name.as_str()),
            ProgressLine::Gap(_) => None,
        })
    }
}

/// The selected item, resolved against the last scan.
#[derive(Debug, Clone, Copy)]
pub enum Selected<'a> {
    Api(&'a ApiPath, &'a RestApi),
    Endpoint(&'a VpcEndpoint),
    Group(&'a SecurityGroup),
}

/// The whole state of the posture browser.
#[derive(Debug, Clone)]
pub struct State {
    /// How the cloud names itself (`SANDBOX`, `profile prod`).
    pub label: String,
    pub theme: Theme,
    /// The terminal size, to size pages and clamp scrolling.
    pub size: (u16, u16),
    /// The generation of the latest scan asked for; results of older ones are dropped.
    pub generation: u64,
    /// The scan in flight, if any.
    pub scanning: Option<ScanProgress>,
    /// The last successful scan.
    pub data: Option<Scanned>,
    /// The last scan's failure (its message says what to do).
    pub error: Option<String>,
    /// When `data` was read.
    pub refreshed_at: Option<OffsetDateTime>,
    pub view: View,
    pub focus: Focus,
    /// Per view: the position of the selection in the filtered list.
    pub selected: [usize; 3],
    /// Per view: the filter text (case-insensitive, on names and ids).
    pub filters: [String; 3],
    /// The filter of the current view is being typed.
    pub editing_filter: bool,
    /// The first line of the detail pane shown.
    pub detail_scroll: u16,
    pub help: bool,
    /// The guided wizard, when open (it takes the body; `Esc` closes it).
    pub wizard: Option<Wizard>,
    /// The engine refuses every write: the apply and undo keys are not offered.
    pub read_only: bool,
    /// What the last key did, or why it did nothing (until the next key).
    pub message: Option<Message>,
    /// The dialog shown before anything is written, when open (over the body).
    pub confirm: Option<Confirm>,
    /// An apply or rollback running, or its result until it is closed (it takes the body).
    pub run: Option<Run>,
    /// The journal view, when open (it takes the body, over the wizard if that is open).
    pub journal: Option<JournalView>,
}

impl State {
    pub fn new(label: impl Into<String>, theme: Theme) -> Self {
        Self {
            label: label.into(),
            theme,
            size: (80, 24),
            generation: 0,
            scanning: None,
            data: None,
            error: None,
            refreshed_at: None,
            view: View::Apis,
            focus: Focus::List,
            selected: [0; 3],
            filters: Default::default(),
            editing_filter: false,
            detail_scroll: 0,
            help: false,
            wizard: None,
            read_only: false,
            message: None,
            confirm: None,
            run: None,
            journal: None,
        }
    }

    /// An apply or rollback is running (not yet reported back).
    pub fn applying(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.is_running())
    }

    pub fn filter(&self) -> &str {
        &self.filters[self.view.index()]
    }

    /// The items of a view that pass its filter, as indices into the scan's lists
    /// (`paths`, `posture.endpoints`, `posture.security_groups`).
    pub fn visible(&self, view: View) -> Vec<usize> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        let needle = self.filters[view.index()].to_lowercase();
        let keep = |fields: &[&str]| {
            needle.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(&needle))
        };
        let p = &data.posture;
        match view {
            View::Apis => indices(&data.paths, |a| keep(&[&a.api_name, &a.api_id])),
            View::Endpoints => indices(&p.endpoints, |e| keep(&[&e.id, &e.vpc_id])),
            View::Groups => indices(&p.security_groups, |g| keep(&[&g.id, &g.name])),
        }
    }

    /// The id of the item at a position of a view's list (to keep the selection over a refresh).
    pub fn id_at(&self, view: View, index: usize) -> Option<String> {
        let data = self.data.as_ref()?;
        match view {
            View::Apis => data.paths.get(index).map(|a| a.api_id.clone()),
            View::Endpoints => data.posture.endpoints.get(index).map(|e| e.id.clone()),
            View::Groups => data
                .posture
                .security_groups
                .get(index)
                .map(|g| g.id.clone()),
        }
    }

    /// The index (into the scan's list) of the selection of a view.
    pub fn selected_index(&self, view: View) -> Option<usize> {
        self.visible(view).get(self.selected[view.index()]).copied()
    }

    /// The API path selected in the API paths view, if that is the current view.
    pub fn selected_api_id(&self) -> Option<String> {
        match self.selection()? {
            Selected::Api(path, _) => Some(path.api_id.clone()),
            _ => None,
        }
    }

    /// The selection of the current view.
    pub fn selection(&self) -> Option<Selected<'_>> {
        let data = self.data.as_ref()?;
        let index = self.selected_index(self.view)?;
        match self.view {
            View::Apis => {
                let path = data.paths.get(index)?;
                let api = data.posture.api(&path.api_id)?;
                Some(Selected::Api(path, api))
            }
            View::Endpoints => data.posture.endpoints.get(index).map(Selected::Endpoint),
            View::Groups => data.posture.security_groups.get(index).map(Selected::Group),
        }
    }
}

fn indices<T>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| keep(item))
        .map(|(i, _)| i)
        .collect()
}
