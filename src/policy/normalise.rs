//! Canonical form, so that what AWS returns compares equal to what was sent: key order,
//! one value vs a list, duplicate and reordered values, account ids vs root ARNs, and the
//! `execute-api:/...` shorthand vs the full ARN (A1).

use std::collections::BTreeMap;

use super::arn::{ApiContext, account_principal_arn};
use super::document::{ActionSpec, Condition, Policy, PrincipalSpec, ResourceSpec, Statement};

impl Policy {
    /// The canonical form: values sorted and deduplicated, conditions merged and sorted,
    /// account-id principals as root ARNs and (given the API) the shorthand expanded.
    /// Statement order and spelling (case) are kept.
    pub fn normalised(&self, api: Option<&ApiContext>) -> Policy {
        Policy {
            version: self.version.clone(),
            id: self.id.clone(),
            statements: self
                .statements
                .iter()
                .map(|s| normalise_statement(s, api))
                .collect(),
        }
    }
}

/// Do the two policies say the same thing? Beyond [`Policy::normalised`], statement order,
/// the case of action names and condition keys, and `"*"` vs `{"AWS": "*"}` are ignored.
pub fn equivalent(a: &Policy, b: &Policy, api: Option<&ApiContext>) -> bool {
    canonical(a, api) == canonical(b, api)
}

fn canonical(p: &Policy, api: Option<&ApiContext>) -> Policy {
    let mut p = p.normalised(api);
    for s in &mut p.statements {
        let actions = match &mut s.action {
            ActionSpec::Action(v) | ActionSpec::NotAction(v) => v,
        };
        for a in actions.iter_mut() {
            *a = a.to_ascii_lowercase();
        }
        sort_dedup(actions);
        for spec in [&mut s.principal, &mut s.not_principal]
            .into_iter()
            .flatten()
        {
            if *spec == PrincipalSpec::Any {
                *spec = PrincipalSpec::Map(BTreeMap::from([("AWS".into(), vec!["*".into()])]));
            }
        }
        for c in &mut s.conditions {
            c.key = c.key.to_ascii_lowercase();
        }
        s.conditions = merge_conditions(std::mem::take(&mut s.conditions));
    }
    p.statements.sort_by_cached_key(|s| {
        Policy {
            version: None,
            id: None,
            statements: vec![s.clone()],
        }
        .to_json_string()
    });
    p
}

fn normalise_statement(s: &Statement, api: Option<&ApiContext>) -> Statement {
    let partition = api.map_or("aws", |a| a.partition.as_str());
    let principal = |p: &PrincipalSpec| match p {
        PrincipalSpec::Any => PrincipalSpec::Any,
        PrincipalSpec::Map(m) => PrincipalSpec::Map(
            m.iter()
                .map(|(kind, values)| {
                    let mut v: Vec<String> = values
                        .iter()
                        .map(|v| {
                            if kind == "AWS" {
                                account_principal_arn(v, partition)
                            } else {
                                v.clone()
                            }
                        })
                        .collect();
                    sort_dedup(&mut v);
                    (kind.clone(), v)
                })
                .collect(),
        ),
    };
    let resources = |v: &[String]| {
        let mut v: Vec<String> = v
            .iter()
            .map(|r| api.map_or_else(|| r.clone(), |a| a.expand(r)))
            .collect();
        sort_dedup(&mut v);
        v
    };
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        sort_dedup(&mut v);
        v
    };
    Statement {
        sid: s.sid.clone(),
        effect: s.effect,
        principal: s.principal.as_ref().map(principal),
        not_principal: s.not_principal.as_ref().map(principal),
        action: match &s.action {
            ActionSpec::Action(v) => ActionSpec::Action(sorted(v)),
            ActionSpec::NotAction(v) => ActionSpec::NotAction(sorted(v)),
        },
        resource: s.resource.as_ref().map(|r| match r {
            ResourceSpec::Resource(v) => ResourceSpec::Resource(resources(v)),
            ResourceSpec::NotResource(v) => ResourceSpec::NotResource(resources(v)),
        }),
        conditions: merge_conditions(s.conditions.clone()),
    }
}

/// One entry per operator and key, values sorted and deduplicated, entries sorted.
fn merge_conditions(conditions: Vec<Condition>) -> Vec<Condition> {
    let mut merged: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for c in conditions {
        merged
            .entry((c.operator, c.key))
            .or_default()
            .extend(c.values);
    }
    merged
        .into_iter()
        .map(|((operator, key), mut values)| {
            sort_dedup(&mut values);
            Condition {
                operator,
                key,
                values,
            }
        })
        .collect()
}

fn sort_dedup(v: &mut Vec<String>) {
    v.sort();
    v.dedup();
}
