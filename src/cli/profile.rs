//! `p2s-sim profile check` and `p2s-sim profile routes`: VPN client profiles against the
//! network. The library (`p2s_sim::profile`) parses and compares; this file reads the package
//! (zip, folder or file), prints and sets exit codes.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use p2s_sim::engine::{analyze, Status};
use p2s_sim::facts::clients::{client_kind, CLIENT_KINDS};
use p2s_sim::model::TunnelType;
use p2s_sim::prefix::{IpNet, PrefixSet};
use p2s_sim::profile::package::{RawFile, MAX_ENTRIES, MAX_PROFILE_BYTES};
use p2s_sim::profile::routes::{self, GatewayPlan};
use p2s_sim::profile::{
    self, check, choose_gateway, classify, CheckReport, FileKind, Hints, Package, ProfileError,
};

use super::findings_args::parse_client_networks;
use super::input_args::{self, InputArgs};
use super::output::{format_subset, pretty_json, render, Rendered};
use super::page::Page;
use super::{stdout_writer, CmdResult, Exit, Failure};

/// Check a downloaded VPN client package against the network, or write the routes it lacks.
///
/// Examples:
///   p2s-sim profile check datasets/profiles/hub-spoke datasets/scenarios/hub-spoke.yaml
///   p2s-sim profile check --check vpnclientconfiguration.zip vnets.json gateways.json
///   p2s-sim profile routes topology.yaml --gateway hub-gw --client windows-ikev2
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub command: ProfileCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum ProfileCommand {
    Check(CheckArgs),
    Routes(RoutesArgs),
}

format_subset! {
    /// `profile check` output formats.
    #[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
    pub enum CheckFormat {
        /// Blocks for people.
        Table,
        /// `{"gateway", "files": [{"path", "kind", "verdict", "reasons", "missing_routes", "extra_routes"}]}`.
        Json,
        /// A Markdown table and lists, for a ticket or a wiki.
        Markdown,
    }
}

/// Is my users' VPN profile stale? Compare a VPN client package with the gateway as the
/// topology has it now.
///
/// PACKAGE is the zip the portal or `az network vnet-gateway vpn-client generate` produces, its
/// extracted folder, or one file of it: Generic/VpnSettings.xml (the route snapshot Windows
/// native clients install), AzureVPN/azurevpnconfig.xml (Azure VPN Client), OpenVPN/vpnconfig.ovpn.
/// The Windows installers (WindowsAmd64/, WindowsX86/) are binary: they are judged by the
/// VpnSettings.xml built with them.
///
/// Each file is `current`, `stale` (with reasons: routes missing or extra, tunnel type or
/// authentication changed, pool changed, VNet renamed; for the Azure VPN Client: include routes
/// to unreachable networks, exclude routes that cut reachable ones, a <route> with several
/// destinations, forced tunnel without <version>2) or `unreadable`.
///
/// The gateway is --gateway, else the VNet named in the package, else the one whose pool
/// matches, else the only gateway with P2S.
///
/// Examples:
///   p2s-sim profile check datasets/profiles/hub-spoke datasets/scenarios/hub-spoke.yaml
///   p2s-sim profile check --format json vpnclientconfiguration.zip topology.yaml
///   p2s-sim profile check --check --gateway hub-gw azurevpnconfig.xml topology.yaml
///
/// Exit codes: 0 checked, 1 some file is stale (with --check), 2 bad input.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// The VPN client package: a .zip, its extracted folder, or one profile file.
    #[arg(value_name = "PACKAGE")]
    pub package: PathBuf,
    /// Topology files (formats detected per file; several form one topology).
    #[arg(required = true, value_name = "TOPOLOGY")]
    pub files: Vec<PathBuf>,
    /// The gateway the package was downloaded from (default: chosen from the package).
    #[arg(long, value_name = "NAME")]
    pub gateway: Option<String>,
    /// Exit with code 1 when any file is stale.
    #[arg(long)]
    pub check: bool,
    #[arg(long, value_enum, ignore_case = true, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The form of `profile routes` output.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteForm {
    /// Azure VPN Client: a <clientconfig><includeroutes> fragment (or, with --merge, the whole
    /// profile with the routes added).
    AzureVpn,
    /// Windows native: Add-VpnConnectionRoute lines to run on each machine.
    Powershell,
    /// Gateway custom routes (az and Az PowerShell), pushed to every client, with their cost in
    /// traffic selectors and a summarised set that fits.
    Gateway,
}

/// Write the manual routes a client kind needs, in the form its client takes.
///
/// The routes are the analysis' manual routes for --client on --gateway: networks the client
/// can reach but does not install by itself (for Windows native clients: BGP-learned and
/// connected networks missing from the package snapshot). Three ways to fix that:
///
///   --form azure-vpn    <includeroutes> for azurevpnconfig.xml, one <route> per prefix;
///                       --merge FILE prints FILE with the routes added, every other byte kept
///   --form powershell   Add-VpnConnectionRoute per prefix (--all-users for all-user connections)
///   --form gateway      custom routes on the gateway: pushed to every client, but each new
///                       prefix is one more traffic selector; says which client kinds it would push over
///                       their limit and offers a summarised set that fits, never covering the
///                       pool or a --client-network
///
/// Default form: powershell for Windows native kinds, azure-vpn for openvpn (and with
/// --merge), gateway otherwise.
///
/// Examples:
///   p2s-sim profile routes datasets/scenarios/hub-spoke.yaml \
///       --gateway hub-weu-gw --client windows-ikev2
///   p2s-sim profile routes topology.yaml --gateway hub-gw --client windows-ikev2 \
///       --merge azurevpnconfig.xml > azurevpnconfig.new.xml
///   p2s-sim profile routes topology.yaml --gateway hub-gw --client windows-ikev2 \
///       --form gateway --client-network 192.168.1.0/24
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct RoutesArgs {
    /// Topology files (formats detected per file; several form one topology).
    #[arg(required = true, value_name = "TOPOLOGY")]
    pub files: Vec<PathBuf>,
    /// The gateway the clients connect to.
    #[arg(long, value_name = "NAME", required = true)]
    pub gateway: String,
    /// The client kind whose manual routes to write (windows-ikev2, windows-sstp, openvpn, ...).
    #[arg(long, value_name = "KIND", required = true)]
    pub client: String,
    /// The form to write (default from --client, see above).
    #[arg(long, value_enum, ignore_case = true)]
    pub form: Option<RouteForm>,
    /// An azurevpnconfig.xml to add the routes to (implies --form azure-vpn); printed on stdout.
    #[arg(long, value_name = "FILE")]
    pub merge: Option<PathBuf>,
    /// Windows connection name for Add-VpnConnectionRoute (default: the VNet's name, which the
    /// package gives the connection).
    #[arg(long, value_name = "NAME")]
    pub connection_name: Option<String>,
    /// Add -AllUserConnection (the connection was installed for all users).
    #[arg(long)]
    pub all_users: bool,
    /// Resource group for the gateway commands (default: $RG, set it first).
    #[arg(long, value_name = "RG")]
    pub resource_group: Option<String>,
    /// A network users connect from; a summarised route never covers it. Repeatable.
    #[arg(long = "client-network", value_name = "PREFIX")]
    pub client_networks: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: &ProfileArgs, out: &mut dyn Write) -> CmdResult {
    match &args.command {
        ProfileCommand::Check(a) => run_check(a, out),
        ProfileCommand::Routes(a) => run_routes(a),
    }
}

fn fail(e: ProfileError) -> Failure {
    Failure(e.to_string())
}

/// Largest zip read (real packages are a few MiB, mostly the installers).
const MAX_ZIP_BYTES: u64 = 512 << 20;
/// Deepest folder level searched inside an extracted package.
const MAX_DEPTH: usize = 6;

fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let name = path.display().to_string();
    let file =
        std::fs::File::open(path).map_err(|e| Failure(format!("{name}: cannot read: {e}")))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(Failure(format!(
            "{name}: larger than {} MiB; a VPN client package or profile is far smaller",
            limit >> 20
        )));
    }
    Ok(bytes)
}

/// Reads a package from a zip, a folder or one file.
pub(crate) fn read_package(path: &Path) -> Result<Package, Failure> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Failure(format!("{name}: cannot read: {e}")))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        walk(path, "", 0, &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        return Package::from_files(&name, files).map_err(fail);
    }
    let is_zip_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    // Read as much as a zip may be: a lone profile's own bound is checked once it is known
    // not to be a zip.
    let bytes = read_bounded(path, MAX_ZIP_BYTES)?;
    if bytes.starts_with(b"PK") || is_zip_name {
        return Package::from_zip(&name, &bytes).map_err(fail);
    }
    Package::from_single(&name, &bytes).map_err(fail)
}

fn walk(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<RawFile>) -> Result<(), Failure> {
    let shown = dir.display().to_string();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Failure(format!("{shown}: cannot list: {e}")))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            file_name
        } else {
            format!("{prefix}/{file_name}")
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        if meta.is_dir() {
            if depth < MAX_DEPTH {
                walk(&entry.path(), &rel, depth + 1, out)?;
            }
            continue;
        }
        if out.len() >= MAX_ENTRIES {
            return Err(Failure(format!(
                "{shown}: more than {MAX_ENTRIES} files; give the package folder itself, not a \
                 folder above it"
            )));
        }
        let bytes = match classify(&rel) {
            Some(FileKind::Installer) | None => None,
            Some(_) => Some(read_bounded(&entry.path(), MAX_PROFILE_BYTES)?),
        };
        out.push(RawFile {
            path: rel,
            size: meta.len(),
            bytes,
        });
    }
    Ok(())
}

fn run_check(args: &CheckArgs, out: &mut dyn Write) -> CmdResult {
    let package = read_package(&args.package)?;
    let topology = input_args::load(&args.input, &args.files, None)?;
    let analysis = analyze(&topology);
    let report = check(&topology, &analysis, &package, args.gateway.as_deref()).map_err(fail)?;
    if !package.skipped.is_empty() {
        eprintln!(
            "p2s-sim: {}: {} file(s) that are not profiles not checked: {}",
            package.name,
            package.skipped.len(),
            package.skipped.join(", ")
        );
    }
    let output = CheckOut {
        package: &package,
        report: &report,
    };
    render(&output, args.format, out)?;
    out.flush()?;
    if args.check && report.any_stale() {
        return Ok(Exit::Findings.into());
    }
    Ok(Exit::Fine.into())
}

/// What `profile check` prints: each file of the package against the gateway.
struct CheckOut<'a> {
    package: &'a Package,
    report: &'a CheckReport,
}

impl Rendered for CheckOut<'_> {
    /// The files at a glance (a table), then each file: who uses it, the routes it lacks or
    /// has too many of, and why; the same rows on a terminal and in Markdown.
    fn page(&self, page: &mut Page) -> std::io::Result<()> {
        let (package, report) = (self.package, self.report);
        page.title(&format!(
            "Package {}: gateway {} (VNet {}), chosen by {}",
            package.name, report.gateway, report.vnet, report.chosen_by
        ))?;
        let header = ["file", "kind", "verdict", "reasons"].map(String::from);
        let rows: Vec<Vec<String>> = report
            .files
            .iter()
            .map(|f| {
                let codes: Vec<&str> = f.reasons.iter().map(|r| r.code).collect();
                vec![
                    f.path.clone(),
                    f.kind.to_string(),
                    f.verdict.as_str().to_uppercase(),
                    codes.join(", "),
                ]
            })
            .collect();
        page.table(&header, &rows)?;
        for f in &report.files {
            page.gap()?;
            page.heading(&format!(
                "{}  [{}]  {}",
                f.path,
                f.kind,
                f.verdict.as_str().to_uppercase()
            ))?;
            page.item(&format!("used by: {}", f.clients.join(", ")))?;
            if !f.missing_routes.is_empty() {
                page.item(&format!("missing routes: {}", list(&f.missing_routes)))?;
            }
            if !f.extra_routes.is_empty() {
                page.item(&format!("extra routes: {}", list(&f.extra_routes)))?;
            }
            for r in &f.reasons {
                page.item(&format!("{}: {}", r.code, r.text))?;
            }
            page.end_list()?;
        }
        page.gap()?;
        page.line(&summary_line(report))
    }
    fn json(&self, out: &mut dyn Write) -> std::io::Result<()> {
        pretty_json(self.report, out)
    }
}

fn list(items: &[IpNet]) -> String {
    items
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary_line(report: &CheckReport) -> String {
    let stale = report
        .files
        .iter()
        .filter(|f| f.verdict == profile::Verdict::Stale)
        .count();
    format!(
        "{stale} of {} file(s) stale{}",
        report.files.len(),
        if stale > 0 {
            ": generate the VPN client package again and have users install it, or fix the files as the reasons say"
        } else {
            ""
        }
    )
}

fn run_routes(args: &RoutesArgs) -> CmdResult {
    let kind = client_kind(&args.client).ok_or_else(|| {
        let ids: Vec<&str> = CLIENT_KINDS.iter().map(|k| k.id).collect();
        Failure(format!(
            "--client '{}': unknown client kind; use one of {}",
            args.client,
            ids.join(", ")
        ))
    })?;
    let forbid = parse_client_networks(&args.client_networks)?;
    let merge_text = match &args.merge {
        None => None,
        Some(path) => {
            if args.form.is_some_and(|f| f != RouteForm::AzureVpn) {
                return Err(Failure(
                    "--merge adds routes to an azurevpnconfig.xml: use it with --form azure-vpn \
                     (or without --form)"
                        .into(),
                ));
            }
            let name = path.display().to_string();
            let bytes = read_bounded(path, MAX_PROFILE_BYTES)?;
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                return Err(Failure(format!(
                    "{name}: UTF-16 text; --merge keeps every byte, so save the profile as UTF-8 \
                     first"
                )));
            }
            Some((
                name.clone(),
                profile::decode_text(&name, &bytes).map_err(fail)?,
            ))
        }
    };
    let topology = input_args::load(&args.input, &args.files, None)?;
    let analysis = analyze(&topology);
    let (gw, _) =
        choose_gateway(&analysis, Some(&args.gateway), &Hints::default()).map_err(Failure)?;
    let client = gw
        .clients
        .iter()
        .find(|c| c.kind.id == kind.id)
        .ok_or_else(|| {
            let enabled: Vec<&str> = gw.clients.iter().map(|c| c.kind.id).collect();
            Failure(format!(
                "--client {}: gateway {} does not offer {} ({} is not in its tunnel_types); its \
             client kinds are {}",
                kind.id,
                gw.name,
                kind.tunnel,
                kind.tunnel,
                enabled.join(", ")
            ))
        })?;
    let manual = client.manual_routes.to_vec();
    let form = args.form.unwrap_or(if args.merge.is_some() {
        RouteForm::AzureVpn
    } else if kind.windows_native {
        RouteForm::Powershell
    } else if kind.tunnel == TunnelType::OpenVpn {
        RouteForm::AzureVpn
    } else {
        RouteForm::Gateway
    });
    let mut out = stdout_writer();
    if manual.is_empty() {
        eprintln!(
            "p2s-sim: {} on {} needs no manual routes: it installs every network it can reach",
            kind.id, gw.name
        );
        if let Some((name, text)) = &merge_text {
            // Still read it: --merge promises a valid profile on stdout.
            let same = routes::merge(name, text, &[]).map_err(fail)?;
            out.write_all(same.text.as_bytes())?;
        }
        out.flush()?;
        return Ok(Exit::Fine.into());
    }
    eprintln!(
        "p2s-sim: {} on {}: {} manual route(s) (reachable, not installed): {}",
        kind.id,
        gw.name,
        manual.len(),
        list(&manual)
    );
    match form {
        RouteForm::AzureVpn => match &merge_text {
            None => out.write_all(routes::include_fragment(&manual).as_bytes())?,
            Some((name, text)) => {
                let merged = routes::merge(name, text, &manual).map_err(fail)?;
                eprintln!(
                    "p2s-sim: {name}: added {} include route(s){}",
                    merged.added.len(),
                    if merged.present.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", {} already there: {}",
                            merged.present.len(),
                            list(&merged.present)
                        )
                    }
                );
                out.write_all(merged.text.as_bytes())?;
            }
        },
        RouteForm::Powershell => {
            let connection = args.connection_name.clone().unwrap_or(gw.vnet.clone());
            writeln!(
                out,
                "# {} on {}: routes to networks it can reach but does not install; run on each machine",
                kind.id, gw.name
            )?;
            out.write_all(routes::powershell(&manual, &connection, args.all_users).as_bytes())?;
        }
        RouteForm::Gateway => {
            let mut forbid_set = PrefixSet::from_prefixes(forbid.iter().copied());
            forbid_set =
                forbid_set.union(&PrefixSet::from_prefixes(gw.pool.prefixes.iter().copied()));
            let plan =
                routes::gateway_plan(&topology, &gw.name, &manual, &forbid_set).map_err(Failure)?;
            write_gateway_plan(&mut out, args, &plan)?;
        }
    }
    out.flush()?;
    Ok(Exit::Fine.into())
}

fn write_gateway_plan(
    out: &mut impl Write,
    args: &RoutesArgs,
    plan: &GatewayPlan,
) -> std::io::Result<()> {
    let (rg_az, rg_ps) = match &args.resource_group {
        Some(rg) => (rg.clone(), routes::ps_quote(rg)),
        None => ("\"$RG\"".to_string(), "$RG".to_string()),
    };
    writeln!(
        out,
        "# Custom routes on {}: pushed to every client; each new prefix is one more traffic selector.",
        plan.gateway
    )?;
    if plan.existing.is_empty() {
        writeln!(
            out,
            "# The commands set the whole list; the gateway has no custom routes yet."
        )?;
    } else {
        writeln!(
            out,
            "# The commands set the whole list: the {} existing custom route(s) ({}) are kept in it.",
            plan.existing.len(),
            list(&plan.existing)
        )?;
    }
    writeln!(
        out,
        "# Windows native clients get them only from a package downloaded after the change."
    )?;
    if args.resource_group.is_none() {
        writeln!(out, "# Set RG to the gateway's resource group first.")?;
    }
    let cost_lines = |out: &mut dyn Write, costs: &[routes::ClientCost]| -> std::io::Result<()> {
        for c in costs {
            writeln!(
                out,
                "#   {}: {} -> {} (at most {} if every custom route is one more selector) of {}{}",
                c.client,
                c.before,
                c.after,
                c.worst,
                c.limit,
                if c.over && !c.was_over {
                    format!("  {}", Status::OverLimit.as_str())
                } else if c.was_over {
                    format!("  (already {})", Status::OverLimit.as_str())
                } else {
                    String::new()
                }
            )?;
        }
        Ok(())
    };
    writeln!(
        out,
        "# Cost (selectors or routes per client kind, now -> after):"
    )?;
    cost_lines(out, &plan.costs)?;
    let over = plan.pushed_over();
    if over.is_empty() {
        writeln!(out, "# No client kind goes over its limit.")?;
    } else {
        writeln!(
            out,
            "# WARNING: these routes push {} over the limit: every such client would fail to connect.",
            over.join(", ")
        )?;
    }
    writeln!(out)?;
    out.write_all(routes::az_command(&rg_az, &plan.gateway, &plan.custom_routes).as_bytes())?;
    out.write_all(routes::set_az_command(&rg_ps, &plan.gateway, &plan.custom_routes).as_bytes())?;
    match &plan.summary {
        None => {}
        Some(Err(why)) => writeln!(out, "\n# Summarised instead: {why}")?,
        Some(Ok(s)) => {
            writeln!(
                out,
                "\n# Summarised instead (fits every limit; covers {} more address(es), never the pool{}): {}",
                s.extra,
                if args.client_networks.is_empty() {
                    String::new()
                } else {
                    format!(" or {}", args.client_networks.join(", "))
                },
                list(&s.prefixes)
            )?;
            cost_lines(out, &s.costs)?;
            writeln!(out)?;
            out.write_all(routes::az_command(&rg_az, &plan.gateway, &s.custom_routes).as_bytes())?;
            out.write_all(
                routes::set_az_command(&rg_ps, &plan.gateway, &s.custom_routes).as_bytes(),
            )?;
        }
    }
    Ok(())
}
