//! Condition operators, with the AWS rules for missing keys (C3-C5), `...IfExists` (C4) and
//! multi-valued keys with `ForAnyValue:` / `ForAllValues:` (C6, C7).

use std::net::IpAddr;

use super::matching::{arn_like, glob};
use super::{KeyValue, RequestContext};
use crate::policy::document::Condition;

pub enum CondResult {
    /// The condition holds; `reason` says how, for explanations.
    True {
        reason: String,
        absent_principal_key: bool,
    },
    False,
    /// Not understood: the caller fails it closed.
    Unsupported(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Single,
    ForAnyValue,
    ForAllValues,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Arn,
    Bool,
    Ip,
    Numeric(NumCmp),
    Null,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NumCmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

struct Operator {
    set: SetOp,
    base: Base,
    negated: bool,
    if_exists: bool,
}

fn parse_operator(op: &str) -> Option<Operator> {
    let lower = op.to_ascii_lowercase();
    let (set, rest) = if let Some(r) = lower.strip_prefix("foranyvalue:") {
        (SetOp::ForAnyValue, r)
    } else if let Some(r) = lower.strip_prefix("forallvalues:") {
        (SetOp::ForAllValues, r)
    } else {
        (SetOp::Single, lower.as_str())
    };
    let (rest, if_exists) = match rest.strip_suffix("ifexists") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (base, negated) = match rest {
        "stringequals" => (Base::StringEquals, false),
        "stringnotequals" => (Base::StringEquals, true),
        "stringequalsignorecase" => (Base::StringEqualsIgnoreCase, false),
        "stringnotequalsignorecase" => (Base::StringEqualsIgnoreCase, true),
        "stringlike" => (Base::StringLike, false),
        "stringnotlike" => (Base::StringLike, true),
        "arnequals" | "arnlike" => (Base::Arn, false),
        "arnnotequals" | "arnnotlike" => (Base::Arn, true),
        "bool" => (Base::Bool, false),
        "ipaddress" => (Base::Ip, false),
        "notipaddress" => (Base::Ip, true),
        "numericequals" => (Base::Numeric(NumCmp::Eq), false),
        "numericnotequals" => (Base::Numeric(NumCmp::Eq), true),
        "numericlessthan" => (Base::Numeric(NumCmp::Lt), false),
        "numericlessthanequals" => (Base::Numeric(NumCmp::Le), false),
        "numericgreaterthan" => (Base::Numeric(NumCmp::Gt), false),
        "numericgreaterthanequals" => (Base::Numeric(NumCmp::Ge), false),
        "null" if set == SetOp::Single && !if_exists => (Base::Null, false),
        _ => return None,
    };
    Some(Operator {
        set,
        base,
        negated,
        if_exists,
    })
}

/// Keys that exist only for authenticated (signed) requests.
fn is_principal_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("aws:principal") || k == "aws:userid" || k == "aws:username"
}

/// Evaluate one condition (one operator on one key) against the request.
pub fn check(c: &Condition, req: &RequestContext) -> CondResult {
    let Some(op) = parse_operator(&c.operator) else {
        return CondResult::Unsupported(format!("condition operator {} on {}", c.operator, c.key));
    };
    if c.values.iter().any(|v| v.contains("${")) {
        return CondResult::Unsupported(format!("policy variable in {} on {}", c.operator, c.key));
    }
    let present = match req.lookup(&c.key) {
        KeyValue::Absent => None,
        KeyValue::Present(v) => Some(v),
        // Present, so a Null check can still be answered; any other operator cannot.
        KeyValue::Unknown if op.base == Base::Null => Some(Vec::new()),
        KeyValue::Unknown => {
            return CondResult::Unsupported(format!(
                "{} on {} (its value in the request is not known)",
                c.operator, c.key
            ));
        }
    };
    let absent_principal = present.is_none() && is_principal_key(&c.key);
    let holds = |reason: String| CondResult::True {
        reason,
        absent_principal_key: absent_principal,
    };
    if op.base == Base::Null {
        // C5: "true" means the key must be absent, "false" that it must be present.
        let wanted_absent = c.values.iter().map(|v| v.eq_ignore_ascii_case("true"));
        let ok = wanted_absent.clone().any(|a| a == present.is_none());
        if !ok {
            return CondResult::False;
        }
        let state = if present.is_some() {
            "present"
        } else {
            "absent"
        };
        return holds(format!("{} is {state}", c.key));
    }
    let Some(values) = present else {
        // C3, C4, C7: absent key.
        let ok = match op.set {
            SetOp::ForAllValues => true,
            SetOp::ForAnyValue => op.if_exists,
            SetOp::Single => op.if_exists || op.negated,
        };
        return if ok {
            holds(format!("{} is absent", c.key))
        } else {
            CondResult::False
        };
    };
    let value_ok = |v: &str| c.values.iter().any(|p| base_match(op.base, p, v)) != op.negated;
    let ok = match op.set {
        SetOp::ForAllValues => values.iter().all(|v| value_ok(v)),
        SetOp::ForAnyValue => values.iter().any(|v| value_ok(v)),
        // A negated operator must hold for every request value, a positive one for any.
        SetOp::Single if op.negated => values.iter().all(|v| value_ok(v)),
        SetOp::Single => values.iter().any(|v| value_ok(v)),
    };
    if !ok {
        return CondResult::False;
    }
    let shown = values.join(", ");
    if op.negated {
        holds(format!(
            "{} is {shown}, not {}",
            c.key,
            c.values.join(" or ")
        ))
    } else {
        holds(format!("{} is {shown}", c.key))
    }
}

/// Does the request value match one policy value under the (positive) base operator?
fn base_match(base: Base, policy: &str, value: &str) -> bool {
    match base {
        Base::StringEquals => policy == value,
        Base::StringEqualsIgnoreCase => policy.to_lowercase() == value.to_lowercase(),
        Base::StringLike => glob(policy, value, false),
        Base::Arn => arn_like(policy, value),
        Base::Bool => policy.eq_ignore_ascii_case(value),
        Base::Ip => ip_in(policy, value),
        Base::Numeric(cmp) => match (value.trim().parse::<f64>(), policy.trim().parse::<f64>()) {
            (Ok(v), Ok(p)) => match cmp {
                NumCmp::Eq => v == p,
                NumCmp::Lt => v < p,
                NumCmp::Le => v <= p,
                NumCmp::Gt => v > p,
                NumCmp::Ge => v >= p,
            },
            _ => false,
        },
        Base::Null => false,
    }
}

/// Is `value` (an address) inside `cidr` (an address or `address/bits`)?
fn ip_in(cidr: &str, value: &str) -> bool {
    let (net, bits) = match cidr.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let (Ok(net), Ok(ip)) = (net.trim().parse::<IpAddr>(), value.trim().parse::<IpAddr>()) else {
        return false;
    };
    let (net, ip, width) = match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u32::from(n) as u128, u32::from(i) as u128, 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    bits == 0 || (net >> shift) == (ip >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_ranges() {
        assert!(ip_in("10.0.0.0/8", "10.1.2.3"));
        assert!(!ip_in("10.0.0.0/8", "11.1.2.3"));
        assert!(ip_in("10.1.2.3", "10.1.2.3"));
        assert!(ip_in("0.0.0.0/0", "1.2.3.4"));
        assert!(ip_in("2001:db8::/32", "2001:db8::1"));
        assert!(!ip_in("10.0.0.0/8", "2001:db8::1"));
        assert!(!ip_in("10.0.0.0/40", "10.0.0.1"));
        assert!(!ip_in("garbage", "10.0.0.1"));
    }

    #[test]
    fn operators_parse_with_prefixes_and_suffixes() {
        let op = parse_operator("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert!(op.set == SetOp::ForAnyValue && op.negated && op.if_exists);
        assert!(op.base == Base::StringLike);
        assert!(parse_operator("NullIfExists").is_none());
        assert!(parse_operator("DateGreaterThan").is_none());
        assert!(parse_operator("ArnNotEquals").is_some_and(|o| o.negated && o.base == Base::Arn));
    }
}
