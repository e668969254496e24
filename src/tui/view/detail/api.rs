//! The detail of an API path: the API, its methods and policy, its endpoints with their
//! policies and groups, and the likely callers.

use ratatui::text::{Line, Span};

use super::blocks::{self, field, note, section};
use crate::model::{RestApi, VpcEndpoint};
use crate::steps::{ApiPath, Control};
use crate::tui::state::Scanned;
use crate::tui::theme::Theme;

pub fn lines(data: &Scanned, path: &ApiPath, api: &RestApi, t: Theme) -> Vec<Line<'static>> {
    let p = &data.posture;
    let mut lines = Vec::new();
    let types: Vec<&str> = api.endpoint_types.iter().map(|e| e.as_str()).collect();
    lines.push(Line::from(vec![
        Span::styled(api.name.clone(), t.heading()),
        Span::raw("  "),
        Span::styled(api.id.clone(), t.value()),
        Span::raw("  "),
        Span::raw(types.join(", ")),
    ]));
    lines.push(field("ARN", api.arn(&p.region), t));
    let stages = match &api.stages {
        None => "could not be read (see read gaps)".to_string(),
        Some(s) if s.is_empty() => "none (not deployed)".to_string(),
        Some(s) => s
            .iter()
            .map(|st| match &st.deployment_id {
                Some(d) => format!("{} (deployment {d})", st.name),
                None => st.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    lines.push(field("stages", stages, t));
    let endpoints: Vec<&VpcEndpoint> = p.endpoints_of(api).collect();
    let mut via: Vec<String> = path.endpoint_ids.clone();
    via.extend(
        api.vpc_endpoint_ids
            .iter()
            .filter(|id| p.endpoint(id).is_none())
            .map(|id| format!("{id} (not in this account; not followed)")),
    );
    lines.push(field("endpoints", blocks::list_or_none(&via), t));

    let mut ids: Vec<&str> = vec![api.id.as_str()];
    ids.extend(path.endpoint_ids.iter().map(String::as_str));
    ids.extend(path.security_group_ids.iter().map(String::as_str));
    let gaps = p
        .gaps
        .iter()
        .filter(|g| ids.iter().any(|id| crate::tui::state::gap_concerns(g, id)));
    blocks::gaps(&mut lines, "COULD NOT BE READ", gaps, t);

    section(&mut lines, "FINDINGS", t);
    blocks::findings(
        &mut lines,
        data.findings.iter().filter(|f| path.concerns(f)),
        t,
    );

    methods(&mut lines, data, api, t);

    section(&mut lines, "RESOURCE POLICY", t);
    blocks::policy(
        &mut lines,
        api.policy.as_ref(),
        "none: the API has no resource policy",
        2,
        t,
    );

    if endpoints.is_empty() {
        section(&mut lines, "ENDPOINTS", t);
        let why = if api.is_private() {
            "none attached: a private API needs an execute-api interface endpoint"
        } else {
            "none: not a private API, so it is not reached through an interface endpoint"
        };
        lines.push(note(why, 2, t));
    }
    for e in &endpoints {
        section(&mut lines, format!("ENDPOINT {}", e.id), t);
        blocks::endpoint_settings(&mut lines, data, e, t);
        section(&mut lines, format!("ENDPOINT POLICY of {}", e.id), t);
        blocks::policy(
            &mut lines,
            e.policy.as_ref(),
            "no policy document returned",
            2,
            t,
        );
        blocks::endpoint_groups(&mut lines, data, e, t);
    }
    if !endpoints.is_empty() {
        let vpcs: Vec<&str> = endpoints.iter().map(|e| e.vpc_id.as_str()).collect();
        blocks::callers(&mut lines, data, &vpcs, t);
    }
    blocks::gaps(
        &mut lines,
        "COULD NOT BE READ (account-wide)",
        data.unattributed_gaps(),
        t,
    );
    lines
}

/// The methods of an API with their authorization and the `iam-auth` badge.
pub fn methods(lines: &mut Vec<Line<'static>>, data: &Scanned, api: &RestApi, t: Theme) {
    section(lines, "METHODS", t);
    if api.resources.is_none() {
        lines.push(Line::styled(
            "  methods could not be read (see read gaps)",
            t.warn(),
        ));
        return;
    }
    if api.methods().next().is_none() {
        lines.push(note("no methods", 2, t));
        return;
    }
    // Columns as wide as their longest value, so that the table fits narrow panes.
    let width = |header: &str, values: &mut dyn Iterator<Item = usize>| {
        values.max().unwrap_or(0).max(header.len())
    };
    let path_w = width(
        "PATH",
        &mut api.methods().map(|(r, _)| r.path.chars().count()),
    );
    let auth_w = width(
        "AUTHORIZATION",
        &mut api
            .methods()
            .map(|(_, m)| m.authorization_type.as_str().len()),
    );
    let authorizer_w = width(
        "AUTHORIZER",
        &mut api
            .methods()
            .map(|(_, m)| m.authorizer_id.as_deref().map_or(1, str::len)),
    );
    lines.push(Line::styled(
        format!(
            "  {:<path_w$}  {:<7}  {:<auth_w$}  {:<authorizer_w$}  {:<8} {}",
            "PATH", "METHOD", "AUTHORIZATION", "AUTHORIZER", "API KEY", "iam-auth"
        ),
        t.label(),
    ));
    for (resource, method) in api.methods() {
        let status = data
            .findings
            .iter()
            .filter(|f| {
                f.control == Control::IamAuth
                    && f.api_id.as_deref() == Some(api.id.as_str())
                    && f.http_method.as_deref() == Some(method.http_method.as_str())
                    && f.path.as_deref() == Some(resource.path.as_str())
            })
            .map(|f| f.status)
            .max();
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {:<path_w$}  {:<7}  {:<auth_w$}  {:<authorizer_w$}  {:<8} ",
                resource.path,
                method.http_method,
                method.authorization_type.as_str(),
                method.authorizer_id.as_deref().unwrap_or("-"),
                if method.api_key_required {
                    "required"
                } else {
                    "no"
                },
            )),
            t.badge(status),
        ]));
    }
}
