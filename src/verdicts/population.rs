//! Client populations: which share of users runs which kind of client, and so which share
//! cannot connect when a client kind is over its limit or its tunnel type is not offered.
//!
//! With verdicts ([`crate::verdicts`]) a kind counts as unable to connect when its verdict is
//! `fails` and it has no fallback (a Windows IKEv2 user whose IKEv2 fails but whose SSTP works
//! connects); without them, when it is over its limit. A kind whose tunnel type is not offered
//! never connects.
//!
//! Written as `windows-ikev2-legacy=15%,windows-ikev2=60%,macos-ikev2=10%,openvpn=15%`; the
//! shares must add up to 100 %.

use std::str::FromStr;

use serde::Serialize;

use crate::engine::GatewayAnalysis;
use crate::facts::clients::{client_kind, ClientKind, CLIENT_KINDS};
use crate::verdicts::{GatewayVerdicts, Verdict};

#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// Client kind and its share in percent, in client-table order.
    shares: Vec<(&'static ClientKind, f64)>,
}

/// What a population means for one gateway.
#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Impact {
    /// Share of users (percent) who cannot connect: kinds whose verdict is `fails` without a
    /// fallback (without verdicts: over their limit), plus kinds not offered.
    pub unable_to_connect: f64,
    /// Kinds over their selector/route limit (the `status` column), whatever their verdict.
    pub over_limit: Vec<Share>,
    /// Kinds whose tunnel type the gateway does not enable.
    pub not_offered: Vec<Share>,
    /// Offered kinds whose verdict is `fails` and that have no fallback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fails: Option<Vec<Share>>,
    /// Kinds whose own verdict is `fails` but that connect over their fallback (SSTP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub falls_back: Option<Vec<Share>>,
}

#[derive(Clone, Debug, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Share {
    pub client: String,
    pub percent: f64,
}

impl FromStr for Population {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut shares: Vec<(&'static ClientKind, f64)> = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (id, value) = part.split_once('=').ok_or_else(|| {
                format!("'{part}' is not KIND=SHARE; write e.g. windows-ikev2=60%")
            })?;
            let kind = client_kind(id).ok_or_else(|| {
                let ids: Vec<&str> = CLIENT_KINDS.iter().map(|k| k.id).collect();
                format!("unknown client kind '{id}'; use one of {}", ids.join(", "))
            })?;
            let percent: f64 = value
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .ok()
                .filter(|p: &f64| p.is_finite() && *p >= 0.0)
                .ok_or_else(|| format!("'{value}' is not a percentage; write e.g. 15%"))?;
            if shares.iter().any(|(k, _)| k.id == kind.id) {
                return Err(format!("client kind '{}' is given twice", kind.id));
            }
            shares.push((kind, percent));
        }
        let total: f64 = shares.iter().map(|(_, p)| p).sum();
        if (total - 100.0).abs() > 0.01 {
            return Err(format!("the shares add up to {total}%, not 100%"));
        }
        shares.sort_by_key(|(k, _)| CLIENT_KINDS.iter().position(|c| c.id == k.id));
        Ok(Population { shares })
    }
}

/// Rounds to 1/100 of a percent so that sums print cleanly and identically everywhere.
fn round(p: f64) -> f64 {
    // `+ 0.0` turns the -0.0 an empty float sum starts from into 0.0.
    (p * 100.0).round() / 100.0 + 0.0
}

impl Population {
    /// The share (percent) of users of one client kind, if it was given.
    pub fn share(&self, client: &str) -> Option<f64> {
        self.shares
            .iter()
            .find(|(k, _)| k.id == client)
            .map(|(_, p)| *p)
    }

    /// Share (percent) of users whose kind is not `offered` or is `over` its limit.
    pub fn unable_share(&self, offered: &[&str], over: &[&str]) -> f64 {
        round(
            self.shares
                .iter()
                .filter(|(k, _)| !offered.contains(&k.id) || over.contains(&k.id))
                .map(|(_, p)| p)
                .sum(),
        )
    }

    /// What the population means for one gateway; `verdicts` are that gateway's (when given,
    /// they decide who cannot connect).
    pub fn impact(&self, gateway: &GatewayAnalysis, verdicts: Option<&GatewayVerdicts>) -> Impact {
        let mut over_limit = Vec::new();
        let mut not_offered = Vec::new();
        let mut fails = Vec::new();
        let mut falls_back = Vec::new();
        for (kind, percent) in &self.shares {
            let share = || Share {
                client: kind.id.to_string(),
                percent: *percent,
            };
            let Some(c) = gateway.clients.iter().find(|c| c.kind.id == kind.id) else {
                not_offered.push(share());
                continue;
            };
            if c.check.is_over() {
                over_limit.push(share());
            }
            if let Some(v) = verdicts.and_then(|v| v.client(kind.id)) {
                if v.judgement.verdict == Verdict::Fails {
                    if v.fallback.is_some() {
                        falls_back.push(share());
                    } else {
                        fails.push(share());
                    }
                }
            }
        }
        let unable_list = if verdicts.is_some() {
            &fails
        } else {
            &over_limit
        };
        let unable = unable_list
            .iter()
            .chain(&not_offered)
            .map(|s| s.percent)
            .sum();
        Impact {
            unable_to_connect: round(unable),
            over_limit,
            not_offered,
            fails: verdicts.is_some().then_some(fails),
            falls_back: verdicts.is_some().then_some(falls_back),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks_the_total() {
        let p: Population =
            "openvpn=15%, windows-ikev2-legacy=15,windows-ikev2=60%,macos-ikev2=10%"
                .parse()
                .unwrap();
        assert_eq!(p.shares.len(), 4);
        assert_eq!(p.shares[0].0.id, "windows-ikev2");
        assert!("windows-ikev2=60%"
            .parse::<Population>()
            .unwrap_err()
            .contains("60%"));
        assert!("amiga=100%"
            .parse::<Population>()
            .unwrap_err()
            .contains("unknown client kind"));
        assert!("openvpn=x".parse::<Population>().is_err());
    }
}
