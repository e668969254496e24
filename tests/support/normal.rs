//! Postures and findings in the form two reads of the same account compare in, whatever
//! AWS named anew in between.

use ztharden::model::{PolicyText, Posture};
use ztharden::policy::Policy;
use ztharden::steps::{self, Control, Status};

/// The posture with what AWS names anew on every write (rule and deployment ids) left out,
/// every list in one order, and policies in one spelling (API Gateway returns them escaped;
/// an endpoint without a policy has the full-access default, which is what AWS reports for
/// it).
pub fn comparable(p: Posture) -> Posture {
    let mut p = super::canonical(p.into_canonical());
    let canonical = |text: &PolicyText| {
        PolicyText::new(text.parsed().map_or_else(
            |_| text.raw().to_string(),
            |p| p.normalised(None).to_json_string(),
        ))
    };
    for a in &mut p.apis {
        a.policy = a.policy.as_ref().map(canonical);
        for s in a.stages.iter_mut().flatten() {
            s.deployment_id = None;
        }
    }
    for e in &mut p.endpoints {
        let policy = e
            .policy
            .clone()
            .unwrap_or_else(|| PolicyText::new(Policy::full_access().to_json_string()));
        e.policy = Some(canonical(&policy));
    }
    for g in &mut p.security_groups {
        if let Some(rules) = &mut g.ingress {
            for r in rules.iter_mut() {
                r.rule_id.clear();
            }
            rules.sort_by_key(|r| format!("{:?}", (&r.protocol, r.from_port, &r.source)));
        }
    }
    p
}

/// Every finding of the posture as (control, status, resource), in a stable order.
pub fn findings(p: &Posture) -> Vec<(Control, Status, String)> {
    let mut all: Vec<_> = steps::assess(p)
        .into_iter()
        .map(|f| (f.control, f.status, f.resource_arn))
        .collect();
    all.sort();
    all
}

/// The status of each control on the path of API `api_id`, in control order.
pub fn path_status(p: &Posture, api_id: &str) -> Vec<(Control, Option<Status>)> {
    let findings = steps::assess(p);
    let path = steps::api_paths(p)
        .into_iter()
        .find(|path| path.api_id == api_id)
        .unwrap_or_else(|| panic!("no path for API {api_id}"));
    Control::ALL
        .into_iter()
        .map(|c| (c, path.status(&findings, c)))
        .collect()
}
