//! Matching of actions, resources, ARNs and principals against policy patterns.

use super::PrincipalContext;
use crate::policy::arn::{
    ApiContext, account_principal_arn, arn_parts, is_account_id, shorthand_rest,
};
use crate::policy::document::PrincipalSpec;

/// IAM glob: `*` matches any run of characters (including `/` and `:`), `?` one character.
pub fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, t) = (fold(pattern), fold(text));
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Action names are case-insensitive (C8).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob(pattern, action, true)
}

/// Resources are case-sensitive; `execute-api:/...` expands with this API only (A1).
/// Without an API context the shorthand matches nothing.
pub fn resource_matches(pattern: &str, resource: &str, api: Option<&ApiContext>) -> bool {
    if shorthand_rest(pattern).is_some() {
        return api.is_some_and(|api| glob(&api.expand(pattern), resource, false));
    }
    glob(pattern, resource, false)
}

/// `ArnLike` / `ArnEquals` (identical, C9): each of the six parts is matched on its own,
/// so a `*` does not cross a `:` between parts.
pub fn arn_like(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match (arn_parts(pattern), arn_parts(value)) {
        (Some(p), Some(v)) => p.iter().zip(v.iter()).all(|(p, v)| glob(p, v, false)),
        _ => false,
    }
}

/// Does a `Principal` element name this caller (D1-D4)? Anonymous callers match only `*`.
pub fn principal_matches(spec: &PrincipalSpec, who: Option<&PrincipalContext>) -> bool {
    let PrincipalSpec::Map(map) = spec else {
        return true;
    };
    map.iter().any(|(kind, values)| {
        values.iter().any(|v| {
            if kind == "AWS" && v == "*" {
                return true;
            }
            let Some(who) = who else { return false };
            if kind == "AWS" {
                aws_principal_matches(v, who)
            } else {
                *v == who.arn
            }
        })
    })
}

/// An `AWS` principal value against a signed caller.
fn aws_principal_matches(value: &str, who: &PrincipalContext) -> bool {
    if is_account_id(value) {
        return who.account == value;
    }
    let Some([_, _, service, _, account, resource]) = arn_parts(value) else {
        return false;
    };
    if service == "iam" && resource == "root" {
        // The whole account, not only its root user (D2).
        return who.account == account;
    }
    if service == "iam" && resource.starts_with("role/") {
        // A role principal covers that role's sessions (D3); role names are unique per account.
        let name = resource.rsplit('/').next().unwrap_or_default();
        return who.arn == value
            || who.role_arn.as_deref() == Some(value)
            || (who.account == account && who.role_name().as_deref() == Some(name));
    }
    // Users, one role session (D4), federated users: exactly that principal.
    who.arn == value
}

/// Does a `NotPrincipal` element list this caller, exempting it (D7)? Only the caller's own ARN
/// (or `*`) exempts it: the role ARN or the account do not exempt a role session.
pub fn not_principal_lists(spec: &PrincipalSpec, who: Option<&PrincipalContext>) -> bool {
    let PrincipalSpec::Map(map) = spec else {
        return true;
    };
    map.iter().any(|(kind, values)| {
        values.iter().any(|v| {
            if kind == "AWS" && v == "*" {
                return true;
            }
            let Some(who) = who else { return false };
            let partition = who.arn.split(':').nth(1).unwrap_or("aws");
            account_principal_arn(v, partition) == who.arn
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let cases = [
            ("*", "", true),
            ("*", "anything/at:all", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a*c", "abbbc", true),
            ("a*c", "abbbd", false),
            ("*/GET/*", "abc/prod/GET/pets/1", true),
            ("abc/", "abc/prod/GET/pets", false),
            ("pets", "Pets", false),
            ("a**b", "ab", true),
            ("*a", "bbba", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(glob(p, t, false), want, "{p} vs {t}");
        }
        assert!(glob("Pets", "pETS", true));
    }

    #[test]
    fn actions_ignore_case() {
        assert!(action_matches("execute-api:Invoke", "EXECUTE-API:invoke"));
        assert!(action_matches("execute-api:*", "execute-api:Invoke"));
        assert!(action_matches("*", "execute-api:Invoke"));
        assert!(action_matches("execute-api:Inv?ke", "execute-api:Invoke"));
        assert!(!action_matches(
            "execute-api:ManageConnections",
            "execute-api:Invoke"
        ));
        assert!(!action_matches("s3:*", "execute-api:Invoke"));
    }

    #[test]
    fn resources_are_case_sensitive_and_expand_only_for_this_api() {
        let api = ApiContext::new("us-east-1", "111122223333", "abc123");
        let arn = "arn:aws:execute-api:us-east-1:111122223333:abc123/prod/GET/pets";
        let other = "arn:aws:execute-api:us-east-1:111122223333:zzz999/prod/GET/pets";
        assert!(resource_matches("execute-api:/*", arn, Some(&api)));
        assert!(!resource_matches("execute-api:/*", other, Some(&api)));
        assert!(!resource_matches("execute-api:/*", arn, None));
        assert!(resource_matches(
            "execute-api:/prod/GET/pets",
            arn,
            Some(&api)
        ));
        assert!(!resource_matches(
            "execute-api:/prod/GET/Pets",
            arn,
            Some(&api)
        ));
        assert!(resource_matches("arn:aws:execute-api:*:*:*", arn, None));
        assert!(resource_matches(
            "arn:aws:execute-api:us-east-1:*:abc123/prod/*",
            arn,
            None
        ));
    }

    #[test]
    fn arn_like_matches_part_by_part() {
        let role = "arn:aws:iam::111122223333:role/app";
        assert!(arn_like("arn:aws:iam::111122223333:role/*", role));
        assert!(arn_like("arn:aws:iam::*:role/app", role));
        assert!(arn_like("*", role));
        assert!(!arn_like("arn:aws:iam::*:role/other", role));
        // A `*` does not cross the colon between parts in ArnLike...
        assert!(!arn_like("arn:aws:iam:*:role/app", role));
        // ...but does in StringLike.
        assert!(glob("arn:aws:iam:*:role/app", role, false));
        assert!(!arn_like("not-an-arn", role));
    }
}
