//! The options that steer configuration findings (flattened into `analyze`): the day dated rules
//! are evaluated for, the networks clients connect from and expected clients.

use std::time::{SystemTime, UNIX_EPOCH};

use p2s_sim::model::TunnelType;
use p2s_sim::prefix::{parse_prefix, IpNet};
use p2s_sim::verdicts::findings::{Date, Options};

use super::Failure;

/// Finding options.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FindingArgs {
    /// Evaluate dated product changes (SSTP retirement, Basic + IKEv2, legacy SKU migration) as
    /// of this day. Default: today (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// A network P2S users connect from (home, hotel, corporate LAN); routes that collide with
    /// it are errors (NET001). Repeatable.
    #[arg(long = "client-network", value_name = "PREFIX")]
    pub client_networks: Vec<String>,
    /// Also check the default LAN ranges of common home routers and phone hotspots (NET002;
    /// `p2s-sim explain NET002` lists them).
    #[arg(long)]
    pub home_networks: bool,
    /// Clients expected at once per tunnel type on each gateway, e.g.
    /// `ikev2=800,sstp=200,openvpn=300`; shortfalls are errors (CAP001).
    #[arg(long, value_name = "TUNNEL=N,...", value_delimiter = ',')]
    pub expected_clients: Vec<String>,
}

/// Today in UTC, from the system clock (the engine never reads it).
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Date::from_days_since_epoch(secs.div_euclid(86_400))
}

/// The `--client-network` values (`analyze` and the others, `profile routes`), with errors that
/// name the flag and say what to write.
pub fn parse_client_networks(texts: &[String]) -> Result<Vec<IpNet>, Failure> {
    texts
        .iter()
        .map(|text| {
            parse_prefix(text).map_err(|e| {
                Failure(format!(
                    "--client-network '{text}': {e}; write a prefix such as 192.168.1.0/24"
                ))
            })
        })
        .collect()
}

impl FindingArgs {
    /// The engine's options, with errors that name the flag and say what to write.
    pub fn options(&self) -> Result<Options, Failure> {
        let as_of = match &self.as_of {
            None => today(),
            Some(text) => Date::parse(text).map_err(|e| Failure(format!("--as-of: {e}")))?,
        };
        let client_networks = parse_client_networks(&self.client_networks)?;
        let mut expected_clients: Vec<(TunnelType, u32)> = Vec::new();
        for item in self.expected_clients.iter().map(|s| s.trim()) {
            if item.is_empty() {
                continue;
            }
            let Some((name, count)) = item.split_once('=') else {
                return Err(Failure(format!(
                    "--expected-clients '{item}': write TUNNEL=N, e.g. ikev2=800,sstp=100"
                )));
            };
            let Some(tunnel) = TunnelType::parse(name) else {
                return Err(Failure(format!(
                    "--expected-clients '{item}': unknown tunnel type '{}'; use ikev2, sstp or \
                     openvpn",
                    name.trim()
                )));
            };
            let count: u32 = count.trim().parse().map_err(|_| {
                Failure(format!(
                    "--expected-clients '{item}': '{}' is not a whole number of clients",
                    count.trim()
                ))
            })?;
            if expected_clients.iter().any(|(t, _)| *t == tunnel) {
                return Err(Failure(format!(
                    "--expected-clients: {tunnel} is given twice; give each tunnel type once"
                )));
            }
            expected_clients.push((tunnel, count));
        }
        Ok(Options {
            as_of,
            client_networks,
            home_networks: self.home_networks,
            expected_clients,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(f: impl FnOnce(&mut FindingArgs)) -> FindingArgs {
        let mut a = FindingArgs::default();
        f(&mut a);
        a
    }

    #[test]
    fn parses_every_flag() {
        let o = args(|a| {
            a.as_of = Some("2026-04-01".into());
            a.client_networks = vec!["192.168.1.7/24".into()];
            a.home_networks = true;
            a.expected_clients = vec!["ikev2=800".into(), " SSTP = 200 ".into()];
        })
        .options()
        .unwrap();
        assert_eq!(o.as_of.to_string(), "2026-04-01");
        assert_eq!(o.client_networks[0].to_string(), "192.168.1.0/24");
        assert!(o.home_networks);
        assert_eq!(
            o.expected_clients,
            vec![(TunnelType::IkeV2, 800), (TunnelType::Sstp, 200)]
        );
    }

    #[test]
    fn errors_name_the_flag() {
        let e = |f: fn(&mut FindingArgs)| args(f).options().unwrap_err().0;
        assert!(e(|a| a.as_of = Some("01/04/2026".into())).starts_with("--as-of"));
        assert!(e(|a| a.client_networks = vec!["home".into()]).starts_with("--client-network"));
        let msg = e(|a| a.expected_clients = vec!["l2tp=5".into()]);
        assert!(msg.contains("unknown tunnel type 'l2tp'"), "{msg}");
        let msg = e(|a| a.expected_clients = vec!["ikev2=many".into()]);
        assert!(msg.contains("not a whole number"), "{msg}");
        let msg = e(|a| a.expected_clients = vec!["ikev2=1".into(), "IKEv2=2".into()]);
        assert!(msg.contains("twice"), "{msg}");
        assert!(e(|a| a.expected_clients = vec!["ikev2".into()]).contains("TUNNEL=N"));
    }

    #[test]
    fn default_day_is_today() {
        let o = FindingArgs::default().options().unwrap();
        assert_eq!(o.as_of, today());
        assert!(o.as_of >= Date::parse("2026-01-01").unwrap());
    }
}
