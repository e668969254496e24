//! Everything the TUI shows, as plain data. `update` changes it; views only read it.

use time::OffsetDateTime;

use super::theme::Theme;
use super::wizard::Wizard;
use crate::cloud::ReadEvent;
use crate::model::{Posture, ReadGap, RestApi, SecurityGroup, VpcEndpoint};
use crate::steps::{self, ApiPath, Control, Finding, Status};

/// One finished scan: the posture, its findings and its API paths, computed once.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub posture: Posture,
    pub findings: Vec<Finding>,
    pub paths: Vec<ApiPath>,
}

impl Scanned {
    /// Assess a posture (pure; the runtime calls it off the input loop).
    pub fn new(posture: Posture) -> Self {
        let findings = steps::assess(&posture);
        let paths = steps::api_paths(&posture);
        Self {
            posture,
            findings,
            paths,
        }
    }

    /// The worst status of one control over the findings about an endpoint.
    pub fn endpoint_status(&self, endpoint: &VpcEndpoint, control: Control) -> Option<Status> {
        self.endpoint_findings(endpoint)
            .filter(|f| f.control == control)
            .map(|f| f.status)
            .max()
    }

    /// Findings about an endpoint: its policy, and the groups it uses.
    pub fn endpoint_findings<'a>(
        &'a self,
        endpoint: &'a VpcEndpoint,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| match f.control {
            Control::EndpointPolicy => f.vpc_endpoint_id.as_deref() == Some(endpoint.id.as_str()),
            Control::EndpointSg => f
                .security_group_id
                .as_ref()
                .is_some_and(|g| endpoint.security_group_ids.contains(g)),
            _ => false,
        })
    }

    /// Findings about a security group.
    pub fn group_findings<'a>(
        &'a self,
        group_id: &'a str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.security_group_id.as_deref() == Some(group_id))
    }

    /// The worst status of the findings about a security group (`None`: no control applies).
    pub fn group_status(&self, group_id: &str) -> Option<Status> {
        self.group_findings(group_id).map(|f| f.status).max()
    }

    /// The read gaps that concern a resource, given by id (a gap may name it by id or ARN).
    pub fn gaps_for<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a ReadGap> + 'a {
        self.posture
            .gaps
            .iter()
            .filter(move |g| gap_concerns(g, id))
    }

    /// Gaps that concern no API, endpoint, group, VPC or instance of the posture
    /// (account-wide gaps, or resources that could not be read at all).
    pub fn unattributed_gaps(&self) -> impl Iterator<Item = &ReadGap> {
        let p = &self.posture;
        let ids: Vec<&str> = p
            .apis
            .iter()
            .map(|a| a.id.as_str())
            .chain(p.endpoints.iter().map(|e| e.id.as_str()))
            .chain(p.security_groups.iter().map(|g| g.id.as_str()))
            .chain(p.vpcs.iter().map(|v| v.id.as_str()))
            .chain(p.instances.iter().map(|i| i.id.as_str()))
            .collect();
        p.gaps
            .iter()
            .filter(move |g| !ids.iter().any(|id| gap_concerns(g, id)))
    }
}

/// Whether a gap names a resource: by id, or by an ARN or path ending in (or containing) `/id`.
pub fn gap_concerns(gap: &ReadGap, id: &str) -> bool {
    let r = gap.resource.as_str();
    r == id || r.ends_with(&format!("/{id}")) || r.contains(&format!("/{id}/"))
}

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
        }
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
