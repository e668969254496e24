//! The three lists: API paths, endpoints, security groups. Each row shows its controls as
//! badges.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};

use crate::steps::Control;
use crate::tui::state::{Focus, Scanned, State, View};
use crate::tui::theme::Theme;

/// Below this width the control columns use short headers, to leave room for the ids.
const COMPACT_BELOW: u16 = 110;

/// The short header of a control column (shown in the help too).
pub fn abbreviation(control_id: &str) -> Option<&'static str> {
    match control_id {
        "iam-auth" => Some("iam"),
        "resource-policy" => Some("res-pol"),
        "endpoint-policy" => Some("ep-pol"),
        "endpoint-sg" => Some("ep-sg"),
        _ => None,
    }
}

/// The rows of a view, with their column widths (without the highlight column).
struct Rows {
    header: Vec<&'static str>,
    widths: Vec<Constraint>,
    rows: Vec<Vec<Text<'static>>>,
}

fn lines(items: Vec<Line<'static>>) -> Text<'static> {
    Text::from(items)
}

fn badge(t: Theme, status: Option<crate::steps::Status>) -> Text<'static> {
    Text::from(Line::from(t.badge(status)))
}

fn api_rows(data: &Scanned, visible: &[usize], t: Theme) -> Rows {
    let p = &data.posture;
    let mut rows = Vec::new();
    for &i in visible {
        let path = &data.paths[i];
        let api = p.api(&path.api_id);
        let types = api
            .map(|a| {
                a.endpoint_types
                    .iter()
                    .map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let mut name = vec![
            Line::styled(path.api_name.clone(), t.value()),
            Line::styled(format!("{} · {types}", path.api_id), t.dim()),
        ];
        let mut ids: Vec<&str> = vec![path.api_id.as_str()];
        ids.extend(path.endpoint_ids.iter().map(String::as_str));
        ids.extend(path.security_group_ids.iter().map(String::as_str));
        if p.gaps
            .iter()
            .any(|g| ids.iter().any(|id| crate::tui::state::gap_concerns(g, id)))
        {
            name.push(Line::styled("! not all read", t.warn()));
        }
        let mut route = Vec::new();
        if let Some(api) = api {
            for e in p.endpoints_of(api) {
                route.push(Line::raw(e.id.clone()));
                for g in &e.security_group_ids {
                    route.push(Line::styled(format!("└ {g}"), t.dim()));
                }
            }
            for id in api
                .vpc_endpoint_ids
                .iter()
                .filter(|id| p.endpoint(id).is_none())
            {
                route.push(Line::styled(format!("{id} (other account)"), t.dim()));
            }
            if route.is_empty() {
                route.push(Line::styled(format!("none ({types})"), t.dim()));
            }
        }
        let mut row = vec![lines(name), lines(route)];
        row.extend(
            Control::ALL
                .iter()
                .map(|&c| badge(t, path.status(&data.findings, c))),
        );
        rows.push(row);
    }
    let name_width = visible
        .iter()
        .map(|&i| {
            data.paths[i]
                .api_name
                .len()
                .max(data.paths[i].api_id.len() + 12)
        })
        .max()
        .unwrap_or(0)
        .clamp(12, 32) as u16;
    Rows {
        header: vec![
            "API",
            "ENDPOINT └ SECURITY GROUP",
            "iam-auth",
            "resource-policy",
            "endpoint-policy",
            "endpoint-sg",
        ],
        widths: vec![
            Constraint::Length(name_width),
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(15),
            Constraint::Length(15),
            Constraint::Length(11),
        ],
        rows,
    }
}

fn endpoint_rows(data: &Scanned, visible: &[usize], t: Theme) -> Rows {
    let p = &data.posture;
    let mut rows = Vec::new();
    for &i in visible {
        let e = &p.endpoints[i];
        let mut id = vec![
            Line::styled(e.id.clone(), t.value()),
            Line::styled(e.vpc_id.clone(), t.dim()),
        ];
        let mut ids = vec![e.id.as_str()];
        ids.extend(e.security_group_ids.iter().map(String::as_str));
        if p.gaps
            .iter()
            .any(|g| ids.iter().any(|id| crate::tui::state::gap_concerns(g, id)))
        {
            id.push(Line::styled("! not all read", t.warn()));
        }
        let state = vec![
            Line::raw(e.state.clone().unwrap_or_else(|| "unknown".into())),
            Line::styled(
                if e.private_dns_enabled {
                    "private DNS"
                } else {
                    "no private DNS"
                },
                t.dim(),
            ),
        ];
        let mut apis: Vec<Line> = p
            .apis_behind(&e.id)
            .map(|a| Line::raw(a.name.clone()))
            .collect();
        if apis.is_empty() {
            apis.push(Line::styled("none", t.dim()));
        }
        let groups: Vec<Line> = e
            .security_group_ids
            .iter()
            .map(|g| Line::raw(g.clone()))
            .collect();
        rows.push(vec![
            lines(id),
            lines(state),
            lines(apis),
            lines(groups),
            badge(t, data.endpoint_status(e, Control::EndpointPolicy)),
            badge(t, data.endpoint_status(e, Control::EndpointSg)),
        ]);
    }
    Rows {
        header: vec![
            "ENDPOINT / VPC",
            "STATE",
            "APIS",
            "SECURITY GROUPS",
            "endpoint-policy",
            "endpoint-sg",
        ],
        widths: vec![
            Constraint::Length(22),
            Constraint::Length(14),
            Constraint::Fill(1),
            Constraint::Length(20),
            Constraint::Length(15),
            Constraint::Length(11),
        ],
        rows,
    }
}

fn group_rows(data: &Scanned, visible: &[usize], t: Theme) -> Rows {
    let p = &data.posture;
    let mut rows = Vec::new();
    for &i in visible {
        let g = &p.security_groups[i];
        let mut id = vec![
            Line::styled(g.id.clone(), t.value()),
            Line::styled(g.name.clone(), t.dim()),
        ];
        if data.gaps_for(&g.id).next().is_some() {
            id.push(Line::styled("! not all read", t.warn()));
        }
        let ingress = match &g.ingress {
            None => Line::styled("not read", t.warn()),
            Some(r) if r.len() == 1 => Line::raw("1 rule"),
            Some(r) => Line::raw(format!("{} rules", r.len())),
        };
        let mut used: Vec<Line> = p
            .endpoints
            .iter()
            .filter(|e| e.security_group_ids.contains(&g.id))
            .map(|e| Line::raw(format!("endpoint {}", e.id)))
            .collect();
        used.extend(
            p.instances
                .iter()
                .filter(|inst| inst.security_group_ids.contains(&g.id))
                .map(|inst| {
                    let name = inst
                        .name
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    Line::raw(format!("instance {}{name}", inst.id))
                }),
        );
        if used.is_empty() {
            used.push(Line::styled("nothing read uses it", t.dim()));
        }
        rows.push(vec![
            lines(id),
            Text::from(Line::raw(g.vpc_id.clone())),
            Text::from(ingress),
            lines(used),
            badge(t, data.group_status(&g.id)),
        ]);
    }
    Rows {
        header: vec!["GROUP / NAME", "VPC", "INGRESS", "USED BY", "endpoint-sg"],
        widths: vec![
            Constraint::Length(20),
            Constraint::Length(21),
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Length(11),
        ],
        rows,
    }
}

fn rows(state: &State) -> Option<Rows> {
    let data = state.data.as_ref()?;
    let visible = state.visible(state.view);
    let t = state.theme;
    Some(match state.view {
        View::Apis => api_rows(data, &visible, t),
        View::Endpoints => endpoint_rows(data, &visible, t),
        View::Groups => group_rows(data, &visible, t),
    })
}

/// The height the list wants: borders, header, and every row.
pub fn height(state: &State) -> u16 {
    let body = rows(state)
        .map(|r| r.rows.iter().map(|row| row_height(row)).sum::<u16>())
        .unwrap_or(0);
    body.max(1) + 3
}

fn row_height(row: &[Text<'_>]) -> u16 {
    row.iter()
        .map(|c| c.lines.len() as u16)
        .max()
        .unwrap_or(1)
        .max(1)
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let Some(mut built) = rows(state) else {
        return;
    };
    if area.width < COMPACT_BELOW {
        for (header, width) in built.header.iter_mut().zip(built.widths.iter_mut()) {
            if let Some(short) = abbreviation(header) {
                *header = short;
                *width = Constraint::Length(short.len().max(4) as u16);
            }
        }
    }
    let total = match (&state.data, state.view) {
        (Some(d), View::Apis) => d.paths.len(),
        (Some(d), View::Endpoints) => d.posture.endpoints.len(),
        (Some(d), View::Groups) => d.posture.security_groups.len(),
        (None, _) => 0,
    };
    let shown = built.rows.len();
    let mut title = if shown == total {
        format!(" {} ({total}) ", state.view.title())
    } else {
        format!(" {} ({shown} of {total}) ", state.view.title())
    };
    if !state.filter().is_empty() {
        title.push_str(&format!("· filter \"{}\" ", state.filter()));
    }
    let block = Block::bordered()
        .border_style(t.border(state.focus == Focus::List))
        .title(Line::styled(title, t.value()));
    if built.rows.is_empty() {
        let why = if state.filter().is_empty() {
            "Nothing of this kind was found in the account and region.".to_string()
        } else {
            format!(
                "Nothing matches \"{}\" (Esc clears the filter).",
                state.filter()
            )
        };
        frame.render_widget(
            Paragraph::new(Line::styled(why, t.dim())).block(block),
            area,
        );
        return;
    }
    let header = Row::new(built.header.iter().map(|h| Cell::from(*h))).style(t.label());
    let table_rows = built.rows.into_iter().map(|cells| {
        let h = row_height(&cells);
        Row::new(cells.into_iter().map(Cell::from)).height(h)
    });
    let table = Table::new(table_rows, built.widths)
        .header(header)
        .block(block)
        .column_spacing(2)
        .row_highlight_style(t.selected(state.focus == Focus::List))
        .highlight_symbol("▶ ");
    let mut table_state =
        TableState::default().with_selected(Some(state.selected[state.view.index()]));
    frame.render_stateful_widget(table, area, &mut table_state);
}
