//! `--fleet FILE` and `--fleet-app OS=APP` (analyze, whatif, batch): the device groups whose
//! verdicts are reported per gateway.

use std::path::PathBuf;

use p2s_sim::verdicts::fleet::{parse_fleet, AppDefaults};
use p2s_sim::verdicts::Fleet;

use super::{read_source, Failure};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct FleetArgs {
    /// Device groups that connect: a groups file (YAML/JSON), an Intune device export (CSV with
    /// `OS` and `OS version` columns) or a Microsoft Graph managedDevices JSON. Reports per
    /// gateway and group the client kind, verdict, tunnel type used and what is needed.
    #[arg(long, value_name = "FILE")]
    pub fleet: Option<PathBuf>,
    /// The VPN app per OS where the fleet file does not say, e.g. `windows=azure-vpn-client`
    /// (apps: native, azure-vpn-client, openvpn, strongswan; default native). Repeatable.
    #[arg(long = "fleet-app", value_name = "OS=APP,...", requires = "fleet")]
    pub fleet_app: Vec<String>,
}

impl FleetArgs {
    /// The fleet, if one was given; errors name the file, the place and what to write.
    pub fn load(&self) -> Result<Option<Fleet>, Failure> {
        let Some(path) = &self.fleet else {
            return Ok(None);
        };
        let mut defaults = AppDefaults::default();
        for text in &self.fleet_app {
            defaults
                .add(AppDefaults::parse(text).map_err(|e| Failure(format!("--fleet-app: {e}")))?);
        }
        let source = read_source(path)?;
        parse_fleet(&source.name, &source.text, &defaults)
            .map(Some)
            .map_err(Failure::from)
    }
}
