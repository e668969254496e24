//! The detail of an `execute-api` interface endpoint.

use ratatui::text::{Line, Span};

use super::blocks::{self, section};
use crate::model::VpcEndpoint;
use crate::tui::state::Scanned;
use crate::tui::theme::Theme;

pub fn lines(data: &Scanned, e: &VpcEndpoint, t: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(e.id.clone(), t.heading()),
        Span::raw("  interface endpoint for execute-api"),
    ])];
    blocks::endpoint_settings(&mut lines, data, e, t);

    let mut ids: Vec<&str> = vec![e.id.as_str()];
    ids.extend(e.security_group_ids.iter().map(String::as_str));
    let gaps = data
        .posture
        .gaps
        .iter()
        .filter(|g| ids.iter().any(|id| crate::tui::state::gap_concerns(g, id)));
    blocks::gaps(&mut lines, "COULD NOT BE READ", gaps, t);

    section(&mut lines, "FINDINGS", t);
    blocks::findings(&mut lines, data.endpoint_findings(e), t);

    section(&mut lines, "ENDPOINT POLICY", t);
    blocks::policy(
        &mut lines,
        e.policy.as_ref(),
        "no policy document returned",
        2,
        t,
    );

    blocks::endpoint_groups(&mut lines, data, e, t);
    blocks::callers(&mut lines, data, &[e.vpc_id.as_str()], t);
    blocks::gaps(
        &mut lines,
        "COULD NOT BE READ (account-wide)",
        data.unattributed_gaps(),
        t,
    );
    lines
}
