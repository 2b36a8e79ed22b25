//! The selector (or route) limit: what the `status` column measures, turned into a verdict with
//! the behaviour above the limit taken from the client table ([`crate::facts::clients::BeyondLimit`]).

use super::{Reason, ReasonCode, Target, Verdict};
use crate::engine::{Assumption, Status};
use crate::facts::clients::{ClientKind, Counting};

/// Adds `selector-limit` when the kind, shown on this gateway, is over its limit.
pub fn check(
    target: &Target,
    kind: &ClientKind,
    reasons: &mut Vec<Reason>,
    assumptions: &mut Vec<Assumption>,
) {
    let Some(c) = target
        .analysis
        .clients
        .iter()
        .find(|c| c.kind.id == kind.id)
    else {
        return;
    };
    let (Status::OverLimit, Some(n), Some(max), Some(beyond)) = (
        c.check.status,
        c.check.selectors,
        c.check.limit,
        kind.beyond_limit.as_ref(),
    ) else {
        return;
    };
    let what = match kind.counting {
        Counting::Routes => "routes",
        _ => "traffic selectors",
    };
    reasons.push(Reason {
        code: ReasonCode::SelectorLimit,
        text: format!("{n} {what}, above the limit of {max}: {}", beyond.text),
        source: beyond.source,
        effect: if beyond.fails {
            Verdict::Fails
        } else {
            Verdict::Partial
        },
    });
    if let Some(code) = beyond.assumption {
        super::add_assumption(
            assumptions,
            Assumption {
                code,
                text: beyond.text.to_string(),
            },
        );
    }
}
