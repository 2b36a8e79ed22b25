//! `p2s-sim profile`: the data-driven package cases (`tests/profile_cases/*.yaml`, each run as a
//! folder, as a zip built here, and as a lone file when it has one), zip errors, and the route
//! fixes (`--merge` round trip, PowerShell, gateway custom routes with their cost).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::*;

/// The files of a case: `files` (text), `copy` (bytes of a repository file), `binary` (bytes
/// with NULs, standing for installers).
fn case_files(case: &Value, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(files) = case["files"].as_object() {
        for (path, text) in files {
            out.push((path.clone(), text.as_str().unwrap().as_bytes().to_vec()));
        }
    }
    if let Some(copy) = case["copy"].as_object() {
        for (path, from) in copy {
            let from = dir.join(from.as_str().unwrap());
            out.push((
                path.clone(),
                std::fs::read(&from).unwrap_or_else(|e| panic!("{}: {e}", from.display())),
            ));
        }
    }
    if let Some(bins) = case["binary"].as_array() {
        for b in bins {
            out.push((
                b.as_str().unwrap().to_string(),
                b"MZ\x90\x00\x03\x00\x00\x00\xff\xfe<VpnProfile>".to_vec(),
            ));
        }
    }
    out
}

fn write_folder(root: &Path, files: &[(String, Vec<u8>)]) -> PathBuf {
    let pkg = root.join("pkg");
    for (path, bytes) in files {
        let p = pkg.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::create_dir_all(&pkg).unwrap();
    pkg
}

fn write_zip(path: &Path, files: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn profile_check(package: &Path, topology: &Path, extra: &[String]) -> Outcome {
    p2s(["profile", "check", "--format", "json", "--check"])
        .arg(package)
        .arg(topology)
        .args(extra)
        .run()
}

/// Compares one run with the case's expectations; `single` = the report of a lone file, whose
/// path is the file's own path.
fn check_run(name: &str, how: &str, case: &Value, run: &Outcome, single: bool) -> Vec<String> {
    let mut failures = Vec::new();
    let at = format!("{name} ({how})");
    if let Some(wanted) = case["error"].as_array() {
        if run.code() != Some(2) {
            failures.push(format!(
                "{at}: exit {:?}, expected 2; stdout {}",
                run.code(),
                run.stdout()
            ));
        }
        for w in wanted {
            if !run.stderr().contains(w.as_str().unwrap()) {
                failures.push(format!("{at}: stderr lacks {w}: {}", run.stderr()));
            }
        }
        return failures;
    }
    let report: Value = match serde_json::from_str(run.stdout()) {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "{at}: {e}: stdout {} stderr {}",
                run.stdout(),
                run.stderr()
            )]
        }
    };
    let expect = &case["expect"];
    if report["gateway"] != expect["gateway"] {
        failures.push(format!(
            "{at}: gateway {}, expected {}",
            report["gateway"], expect["gateway"]
        ));
    }
    let files = report["files"].as_array().unwrap();
    let wanted = expect["files"].as_object().unwrap();
    if !single {
        let got: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
        let mut want: Vec<&str> = wanted.keys().map(|k| k.as_str()).collect();
        want.sort();
        if got != want {
            failures.push(format!("{at}: files {got:?}, expected {want:?}"));
        }
    }
    let mut any_stale = false;
    for (path, w) in wanted {
        let Some(f) = files.iter().find(|f| single || f["path"] == path.as_str()) else {
            continue;
        };
        any_stale |= f["verdict"] == "stale";
        for key in ["kind", "verdict", "missing_routes", "extra_routes"] {
            if !w[key].is_null() && w[key] != f[key] {
                failures.push(format!(
                    "{at}: {path}.{key} = {}, expected {}",
                    f[key], w[key]
                ));
            }
        }
        if let Some(codes) = w["codes"].as_array() {
            let got: Vec<&Value> = f["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &r["code"])
                .collect();
            let want: Vec<&Value> = codes.iter().collect();
            if got != want {
                failures.push(format!("{at}: {path} codes {got:?}, expected {want:?}"));
            }
        }
        for t in w["texts"].as_array().into_iter().flatten() {
            let all: String = f["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["text"].as_str().unwrap())
                .collect::<Vec<_>>()
                .join("\n");
            if !all.contains(t.as_str().unwrap()) {
                failures.push(format!("{at}: {path} reasons lack {t}: {all}"));
            }
        }
    }
    if !single {
        let want_code = if any_stale { 1 } else { 0 };
        if run.code() != Some(want_code) {
            failures.push(format!(
                "{at}: exit {:?} with --check, expected {want_code}",
                run.code()
            ));
        }
    }
    failures
}

#[test]
fn every_profile_case_matches_its_hand_worked_results_as_folder_zip_and_file() {
    let dir = repo().join("tests/profile_cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "cases missing: {paths:?}");
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let case: Value =
            serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let topology = dir.join(case["topology"].as_str().unwrap());
        let extra: Vec<String> = case["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        let files = case_files(&case, &dir);
        let tmp = tempfile::tempdir().unwrap();
        let folder = write_folder(tmp.path(), &files);
        let run = profile_check(&folder, &topology, &extra);
        failures.extend(check_run(&name, "folder", &case, &run, false));
        // The table says which client kinds use each file (not part of the JSON shape).
        if let Some(wanted) = case["expect"]["files"].as_object() {
            let table = p2s(["profile", "check"])
                .arg(&folder)
                .arg(&topology)
                .args(&extra)
                .run()
                .into_stdout();
            for (path, w) in wanted {
                if let Some(clients) = w["clients"].as_array() {
                    let list: Vec<&str> = clients.iter().map(|c| c.as_str().unwrap()).collect();
                    let line = format!(
                        "{path}  [{}]  {}\n  used by: {}\n",
                        w["kind"].as_str().unwrap(),
                        w["verdict"].as_str().unwrap().to_uppercase(),
                        list.join(", ")
                    );
                    if !table.contains(&line) {
                        failures.push(format!("{name}: table lacks {line:?}:\n{table}"));
                    }
                }
            }
        }
        let zip = tmp.path().join("pkg.zip");
        write_zip(&zip, &files);
        let zrun = profile_check(&zip, &topology, &extra);
        failures.extend(check_run(&name, "zip", &case, &zrun, false));
        if case["error"].is_null() && run.stdout() != zrun.stdout() {
            failures.push(format!(
                "{name}: zip and folder reports differ:\n{}\n{}",
                run.stdout(),
                zrun.stdout()
            ));
        }
        // A lone profile file gives the same verdict (the path is then the file's own).
        let profiles: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|(p, _)| p.ends_with(".xml") || p.ends_with(".ovpn"))
            .collect();
        if files.len() == 1 && profiles.len() == 1 && case["error"].is_null() {
            let lone = folder.join(&profiles[0].0);
            let srun = profile_check(&lone, &topology, &extra);
            failures.extend(check_run(&name, "file", &case, &srun, true));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_bundled_example_package_is_stale_for_the_spoke_peered_after_download() {
    // datasets/profiles/hub-spoke: Routes lacks spoke-shared 10.4.0.0/20 (PROVENANCE there).
    let run = profile_check(
        &repo().join("datasets/profiles/hub-spoke"),
        &repo().join("datasets/scenarios/hub-spoke.yaml"),
        &[],
    );
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    let v: Value = serde_json::from_str(run.stdout()).unwrap();
    assert_eq!(v["gateway"], "hub-weu-gw");
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "Generic/VpnSettings.xml",
            "WindowsAmd64/VpnClientSetupAmd64.exe",
            "WindowsX86/VpnClientSetupX86.exe"
        ]
    );
    for f in v["files"].as_array().unwrap() {
        assert_eq!(f["verdict"], "stale");
        assert_eq!(f["missing_routes"], serde_json::json!(["10.4.0.0/20"]));
    }
    assert!(
        run.stderr().contains("Generic/VpnServerRoot.cer"),
        "{}",
        run.stderr()
    );
    // The table says the same for people, and without --check the exit code is 0.
    let hub_spoke = [
        "datasets/profiles/hub-spoke",
        "datasets/scenarios/hub-spoke.yaml",
    ];
    let table = p2s(["profile", "check"])
        .args(hub_spoke)
        .expect_code(0)
        .into_stdout();
    assert!(
        table.contains("chosen by the VNet name 'hub-weu' in the package"),
        "{table}"
    );
    assert!(table.contains("missing routes: 10.4.0.0/20"), "{table}");
    assert!(table.contains("3 of 3 file(s) stale"), "{table}");
    let md = p2s(["profile", "check", "--format", "markdown"])
        .args(hub_spoke)
        .run()
        .into_stdout();
    assert!(
        md.contains("| Generic/VpnSettings.xml | vpnsettings | STALE | routes-missing |"),
        "{md}"
    );
    assert!(
        md.contains(
            "### Generic/VpnSettings.xml  [vpnsettings]  STALE\n\n- used by: windows-ikev2, \
             windows-ikev2-legacy, windows-sstp, macos-ikev2, ios-ikev2, linux-ikev2\n\
             - missing routes: 10.4.0.0/20\n"
        ),
        "{md}"
    );
    assert!(
        !run.stdout().contains("\"clients\""),
        "the JSON shape is the issue's"
    );
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn the_real_ovpn_in_shared_is_the_bundled_copy_and_current_for_its_topology() {
    let shared = repo().join("../shared/samples/profiles/OpenVPN/cps-innovation_vpnconfig.ovpn");
    let bundled = repo().join("datasets/profiles/samples/cps-innovation_vpnconfig.ovpn");
    assert_eq!(
        std::fs::read(&shared).unwrap(),
        std::fs::read(bundled).unwrap()
    );
    let run = profile_check(
        &shared,
        &repo().join("datasets/profiles/samples/cps-innovation.yaml"),
        &[],
    );
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let v: Value = serde_json::from_str(run.stdout()).unwrap();
    assert_eq!(v["files"][0]["kind"], "openvpn");
    assert_eq!(v["files"][0]["verdict"], "current");
    // The page says the same: the topology's one P2S gateway, the profile used by the OpenVPN
    // client only, nothing stale.
    let topology = repo().join("datasets/profiles/samples/cps-innovation.yaml");
    let md = p2s(["profile", "check", "--format", "markdown"])
        .arg(&shared)
        .arg(&topology)
        .expect_code(0)
        .into_stdout();
    let path = shared.display().to_string();
    for wanted in [
        "gateway vnet-gw (VNet vnet), chosen by the only gateway with P2S".to_string(),
        format!("| {path} | openvpn | CURRENT |  |"),
        format!("### {path}  [openvpn]  CURRENT\n\n- used by: openvpn\n"),
        "0 of 1 file(s) stale".to_string(),
    ] {
        assert!(md.contains(&wanted), "lacks {wanted:?}:\n{md}");
    }
}

fn check_error(args: &[&str], wanted: &[&str]) {
    let out = p2s(args).expect_code(2);
    let err = out.stderr();
    for w in wanted {
        assert!(err.contains(w), "{args:?}: stderr lacks {w:?}: {err}");
    }
}

#[test]
fn bad_zips_and_files_of_another_kind_are_errors_that_say_what_to_give() {
    let tmp = tempfile::tempdir().unwrap();
    let topo = repo().join("datasets/scenarios/hub-spoke.yaml");
    let topo = topo.to_str().unwrap();
    // Not a zip at all, though named .zip.
    let garbage = tmp.path().join("vpnclient.zip");
    std::fs::write(&garbage, b"this is not a zip").unwrap();
    check_error(
        &["profile", "check", garbage.to_str().unwrap(), topo],
        &[
            "vpnclient.zip: not a readable zip archive",
            "download the VPN client package again",
        ],
    );
    // A real zip cut in half (a broken download).
    let good = tmp.path().join("good.zip");
    write_zip(
        &good,
        &[("Generic/VpnSettings.xml".into(), vec![b'x'; 4000])],
    );
    let bytes = std::fs::read(&good).unwrap();
    let cut = tmp.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    check_error(
        &["profile", "check", cut.to_str().unwrap(), topo],
        &["cut.zip: not a readable zip archive"],
    );
    // A zip of something else.
    let other = tmp.path().join("photos.zip");
    write_zip(
        &other,
        &[
            ("a.jpg".into(), vec![0xff, 0xd8]),
            ("b.txt".into(), b"x".to_vec()),
        ],
    );
    check_error(
        &["profile", "check", other.to_str().unwrap(), topo],
        &[
            "photos.zip: a zip but not a VPN client package",
            "it holds a.jpg, b.txt",
            "az network vnet-gateway vpn-client generate",
        ],
    );
    // A lone file of another kind.
    let text = tmp.path().join("notes.txt");
    std::fs::write(&text, "hello\n").unwrap();
    check_error(
        &["profile", "check", text.to_str().unwrap(), topo],
        &[
            "notes.txt: not a VPN client profile",
            "Generic/VpnSettings.xml",
        ],
    );
    let binary = tmp.path().join("VpnClientSetupAmd64.exe");
    std::fs::write(&binary, b"MZ\x90\x00\xff\xfe\xfd").unwrap();
    check_error(
        &["profile", "check", binary.to_str().unwrap(), topo],
        &["VpnClientSetupAmd64.exe: byte 2: not UTF-8 text"],
    );
    // Malformed XML in a zip: the entry and the line.
    let bad = tmp.path().join("bad.zip");
    write_zip(
        &bad,
        &[(
            "AzureVPN/azurevpnconfig.xml".into(),
            b"<AzVpnProfile>\n  <version>1</versio>\n</AzVpnProfile>\n".to_vec(),
        )],
    );
    check_error(
        &["profile", "check", bad.to_str().unwrap(), topo],
        &[
            "bad.zip (AzureVPN/azurevpnconfig.xml): line 2, column",
            "malformed XML",
        ],
    );
}

const NIL_PROFILE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<AzVpnProfile xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.datacontract.org/2004/07/\">\n  <clientauth>\n    <cert i:nil=\"true\" />\n  </clientauth>\n  <clientconfig i:nil=\"true\" />\n  <name>hub-weu</name>\n  <serverlist>\n    <ServerEntry>\n      <fqdn>azuregateway-x.vpn.azure.com</fqdn>\n    </ServerEntry>\n  </serverlist>\n  <version>1</version>\n</AzVpnProfile>\n";

/// hub-spoke.expected.yaml: windows-ikev2's manual routes on hub-weu-gw.
const MANUAL: [&str; 4] = [
    "10.50.0.0/22",
    "10.51.0.0/16",
    "192.168.10.0/24",
    "192.168.11.0/24",
];

fn routes_cmd(extra: &[&str]) -> (Option<i32>, String, String) {
    let out = p2s(["profile", "routes", "datasets/scenarios/hub-spoke.yaml"])
        .args(["--gateway", "hub-weu-gw"])
        .args(extra)
        .run();
    (out.code(), out.stdout().to_owned(), out.stderr().to_owned())
}

/// The original bytes are the merged text minus one inserted slice: returns that slice.
fn inserted(original: &str, merged: &str) -> String {
    let pre = original
        .bytes()
        .zip(merged.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let post = original
        .bytes()
        .rev()
        .zip(merged.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(original.len() - pre);
    merged[pre..merged.len() - post].to_string()
}

fn include_routes_of(text: &str) -> Vec<String> {
    let p = p2s_sim::profile::azurevpn::parse("merged", text).unwrap();
    p.include_prefixes().iter().map(|r| r.to_string()).collect()
}

#[test]
fn merge_adds_the_manual_routes_and_keeps_every_other_byte() {
    let tmp = tempfile::tempdir().unwrap();
    // 1. <clientconfig i:nil="true" /> becomes a clientconfig with includeroutes.
    let f = tmp.path().join("azurevpnconfig.xml");
    std::fs::write(&f, NIL_PROFILE).unwrap();
    let (code, merged, err) =
        routes_cmd(&["--client", "windows-ikev2", "--merge", f.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(include_routes_of(&merged), MANUAL);
    let (start, end) = (
        NIL_PROFILE.find("<clientconfig").unwrap(),
        NIL_PROFILE.find("<name>").unwrap() - 3,
    );
    assert_eq!(&merged[..start], &NIL_PROFILE[..start]);
    assert!(merged.ends_with(&NIL_PROFILE[end..]));
    assert_eq!(
        &merged[start..merged.len() - (NIL_PROFILE.len() - end)],
        "<clientconfig>\n    <includeroutes>\n      <route><destination>10.50.0.0</destination><mask>22</mask></route>\n      <route><destination>10.51.0.0</destination><mask>16</mask></route>\n      <route><destination>192.168.10.0</destination><mask>24</mask></route>\n      <route><destination>192.168.11.0</destination><mask>24</mask></route>\n    </includeroutes>\n  </clientconfig>"
    );
    // 2. Existing routes (one of them already a manual route), CRLF line ends: only the three
    //    missing routes are inserted, before </includeroutes>, with CRLF.
    let existing = NIL_PROFILE
        .replace(
            "<clientconfig i:nil=\"true\" />",
            "<clientconfig>\n    <dnsservers><dnsserver>10.0.0.4</dnsserver></dnsservers>\n    <includeroutes>\n      <route><destination>10.51.0.0</destination><mask>16</mask></route>\n    </includeroutes>\n  </clientconfig>",
        )
        .replace('\n', "\r\n");
    std::fs::write(&f, &existing).unwrap();
    let (code, merged, err) =
        routes_cmd(&["--client", "windows-ikev2", "--merge", f.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("added 3 include route(s), 1 already there: 10.51.0.0/16"),
        "{err}"
    );
    let mut got = include_routes_of(&merged);
    got.sort();
    let mut want = MANUAL.map(String::from).to_vec();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        inserted(&existing, &merged),
        "  <route><destination>10.50.0.0</destination><mask>22</mask></route>\r\n      <route><destination>192.168.10.0</destination><mask>24</mask></route>\r\n      <route><destination>192.168.11.0</destination><mask>24</mask></route>\r\n    "
    );
    // Merging again changes nothing: every route is there.
    std::fs::write(&f, &merged).unwrap();
    let (_, again, _) = routes_cmd(&["--client", "windows-ikev2", "--merge", f.to_str().unwrap()]);
    assert_eq!(again, merged);
    // 3. No clientconfig at all: inserted before <name> (alphabetical DataContract order).
    let without = NIL_PROFILE.replace("  <clientconfig i:nil=\"true\" />\n", "");
    std::fs::write(&f, &without).unwrap();
    let (_, merged, _) = routes_cmd(&["--client", "windows-ikev2", "--merge", f.to_str().unwrap()]);
    let pos = without.find("<name>").unwrap();
    assert!(merged.starts_with(&without[..pos]) && merged.ends_with(&without[pos..]));
    let ins = &merged[pos..merged.len() - (without.len() - pos)];
    assert!(
        ins.starts_with("<clientconfig>\n    <includeroutes>\n"),
        "{ins}"
    );
    assert!(ins.ends_with("</clientconfig>\n  "), "{ins:?}");
    assert!(merged.find("</clientconfig>").unwrap() < merged.find("<name>").unwrap());
    assert_eq!(include_routes_of(&merged), MANUAL);
    // A broken file is an error naming it and the line.
    std::fs::write(&f, "<AzVpnProfile>\n<clientconfig>\n</AzVpnProfile>\n").unwrap();
    let (code, _, err) = routes_cmd(&["--client", "windows-ikev2", "--merge", f.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("azurevpnconfig.xml: line 3"), "{err}");
}

#[test]
fn fragment_and_powershell_forms() {
    let (code, out, err) = routes_cmd(&["--client", "windows-ikev2", "--form", "azure-vpn"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "<clientconfig>\n  <includeroutes>\n    <route><destination>10.50.0.0</destination><mask>22</mask></route>\n    <route><destination>10.51.0.0</destination><mask>16</mask></route>\n    <route><destination>192.168.10.0</destination><mask>24</mask></route>\n    <route><destination>192.168.11.0</destination><mask>24</mask></route>\n  </includeroutes>\n</clientconfig>\n"
    );
    // Windows native kinds default to PowerShell; the connection is named after the VNet.
    let (_, out, _) = routes_cmd(&["--client", "windows-sstp", "--all-users"]);
    let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        MANUAL
            .map(|p| format!("Add-VpnConnectionRoute -ConnectionName 'hub-weu' -DestinationPrefix {p} -AllUserConnection"))
    );
    let (_, out, _) = routes_cmd(&[
        "--client",
        "windows-ikev2",
        "--connection-name",
        "Bob's VPN",
    ]);
    assert!(
        out.contains("-ConnectionName 'Bob''s VPN' -DestinationPrefix 10.50.0.0/22\n"),
        "{out}"
    );
    // macOS installs everything it reaches: nothing to add.
    let (code, out, err) = routes_cmd(&["--client", "macos-ikev2"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    assert!(err.contains("needs no manual routes"), "{err}");
    // Errors name the flag.
    let (code, _, err) = routes_cmd(&["--client", "android"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--client 'android': unknown client kind; use one of windows-ikev2"),
        "{err}"
    );
    let (code, _, err) = routes_cmd(&["--client", "openvpn"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("does not offer OpenVPN"), "{err}");
}

#[test]
fn gateway_form_keeps_existing_custom_routes_and_costs_nothing_when_already_offered() {
    // The four manual routes are already in advertised (hub-neu over Vnet2Vnet, its BGP spoke,
    // branch-paris), so the engine's count stays 12; at most 12 + 4 = 16 if each custom route
    // were one more selector: still under 25.
    let (code, out, err) = routes_cmd(&[
        "--client",
        "windows-ikev2",
        "--form",
        "gateway",
        "--resource-group",
        "rg-net",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("az network vnet-gateway update --resource-group rg-net --name hub-weu-gw --custom-routes 10.50.0.0/22 10.51.0.0/16 192.168.10.0/24 192.168.11.0/24\n"), "{out}");
    assert!(out.contains("Set-AzVirtualNetworkGateway -VirtualNetworkGateway $gw -CustomRoute 10.50.0.0/22,10.51.0.0/16,192.168.10.0/24,192.168.11.0/24\n"), "{out}");
    assert!(out.contains("#   windows-ikev2-legacy: 12 -> 12 (at most 16 if every custom route is one more selector) of 25\n"), "{out}");
    assert!(
        out.contains("# No client kind goes over its limit."),
        "{out}"
    );
    assert!(!out.contains("Summarised"), "{out}");
}

/// hub 10.0.0.0/16 (IKEv2 only, pool 172.16.0.0/24 unsplit) with a BGP branch of 22 /24s
/// 192.168.0.0 .. 192.168.21.0, and one existing custom route 203.0.113.0/24:
/// advertised = 1 + 1 + 22 + 1 = 25 = the legacy limit, so no room at all; with the custom route
/// gone there are 24 and room for exactly one more.
fn branch_topology(custom: bool) -> String {
    let prefixes: Vec<String> = (0..22).map(|i| format!("192.168.{i}.0/24")).collect();
    format!(
        "vnets:\n  - name: hub\n    address_space: [10.0.0.0/16]\n    gateway:\n      name: hub-gw\n      sku: VpnGw2\n      bgp: {{asn: 65515}}\n{}      p2s: {{address_pool: [172.16.0.0/24], tunnel_types: [IkeV2], auth_types: [Certificate]}}\nlocal_networks:\n  - {{name: branch, address_space: [{}], bgp: {{asn: 65050, peer_ip: 192.168.0.254}}}}\nconnections:\n  - {{name: c, type: IPsec, gateway: hub-gw, local_network: branch, bgp: true}}\n",
        if custom { "      custom_routes: [203.0.113.0/24]\n" } else { "" },
        prefixes.join(", ")
    )
}

#[test]
fn gateway_form_says_who_goes_over_and_offers_a_summary_that_fits() {
    let tmp = tempfile::tempdir().unwrap();
    let topo = tmp.path().join("branch.yaml");
    std::fs::write(&topo, branch_topology(false)).unwrap();
    let run = |extra: &[&str]| {
        p2s(["profile", "routes"])
            .arg(&topo)
            .args(["--gateway", "hub-gw", "--client", "windows-ikev2-legacy"])
            .args(["--form", "gateway"])
            .args(extra)
            .expect_code(0)
            .into_stdout()
    };
    // 22 custom routes: 24 -> 24 by the engine, at most 46 > 25: legacy Windows pushed over.
    // Room = 25 - 24 = 1: the one prefix covering 192.168.0.0-192.168.21.255 is 192.168.0.0/19,
    // 10 /24s (2560 addresses) more; then 25 of 25.
    let out = run(&[]);
    assert!(out.contains("#   windows-ikev2-legacy: 24 -> 24 (at most 46 if every custom route is one more selector) of 25  over-limit"), "{out}");
    // One spelling of the status across commands (issue 14).
    assert!(!out.contains("OVER LIMIT"), "{out}");
    assert!(
        out.contains("# WARNING: these routes push windows-ikev2-legacy over the limit"),
        "{out}"
    );
    assert!(
        out.contains("covers 2560 more address(es), never the pool): 192.168.0.0/19"),
        "{out}"
    );
    assert!(out.contains("#   windows-ikev2-legacy: 24 -> 25 (at most 25 if every custom route is one more selector) of 25\n"), "{out}");
    assert!(out.contains("--custom-routes 192.168.0.0/19\n"), "{out}");
    // A user network inside the /19 forbids it: the smallest cover avoiding 192.168.30.0/24 is
    // 192.168.0.0/20 (0-15) + 192.168.16.0/21 (16-23): 2 > 1.
    let out = run(&["--client-network", "192.168.30.0/24"]);
    assert!(
        out.contains(
            "# Summarised instead: the limit is too small: the smallest possible is 2 prefixes"
        ),
        "{out}"
    );
    // With the existing custom route kept, there is no room at all.
    std::fs::write(&topo, branch_topology(true)).unwrap();
    let out = run(&[]);
    assert!(out.contains("--custom-routes 192.168.0.0/24 "), "{out}");
    assert!(
        out.contains(" 203.0.113.0/24\n"),
        "existing custom route kept: {out}"
    );
    assert!(
        out.contains("no summary fits: a client kind is already at its limit"),
        "{out}"
    );
}

#[test]
fn profile_help_teaches() {
    for sub in ["check", "routes"] {
        let help = p2s(["profile", sub, "--help"]).run().into_stdout();
        assert!(help.contains("Examples:"), "{help}");
    }
}

/// The value, or `None` for an error that names `file` (or an entry of it) and says something.
fn located<T>(file: &str, result: Result<T, p2s_sim::profile::ProfileError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            assert!(
                e.file.starts_with(file) && !e.message.is_empty(),
                "{file}: not located: {e}"
            );
            None
        }
    }
}

/// Every prefix of a well-formed profile (a truncated download or a half-saved edit) and
/// arbitrary bytes: the parsers, the zip reader and `--merge` answer Ok or a located error, never
/// panic.
#[test]
fn no_input_makes_the_profile_readers_panic() {
    use p2s_sim::profile::{azurevpn, detect_kind, openvpn, routes, vpnsettings, Package};
    let route = p2s_sim::prefix::parse_prefix("10.50.0.0/22").unwrap();
    let dir = repo().join("tests/profile_cases");
    let case: Value = serde_saphyr::from_str(&read(&dir.join("azurevpn-route-tags.yaml"))).unwrap();
    let az = case["files"]["AzureVPN/azurevpnconfig.xml"]
        .as_str()
        .unwrap()
        .to_string();
    let vs = read(&repo().join("datasets/profiles/hub-spoke/Generic/VpnSettings.xml"));
    let ovpn = read(&repo().join("datasets/profiles/samples/cps-innovation_vpnconfig.ovpn"));
    let mut merged = 0;
    for text in [&az, &vs, &ovpn, &NIL_PROFILE.to_string()] {
        for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            let t = &text[..end];
            located("t", vpnsettings::parse("t", t));
            located("t", azurevpn::parse("t", t));
            located("t", openvpn::parse("t", t));
            located("t", detect_kind("t", t));
            if let Some(m) = located("t", routes::merge("t", t, &[route])) {
                assert!(azurevpn::parse("t", &m.text).is_ok());
                merged += 1;
            }
        }
    }
    // At least the whole Azure VPN Client profile takes the routes.
    assert!(merged > 0);
    let tmp = tempfile::tempdir().unwrap();
    let z = tmp.path().join("p.zip");
    write_zip(
        &z,
        &[
            ("AzureVPN/azurevpnconfig.xml".into(), az.into_bytes()),
            ("Generic/VpnSettings.xml".into(), vs.into_bytes()),
        ],
    );
    let zip = std::fs::read(&z).unwrap();
    for end in 0..zip.len() {
        located("p.zip", Package::from_zip("p.zip", &zip[..end]));
        let mut flipped = zip.clone();
        flipped[end] ^= 0x5a;
        located("p.zip", Package::from_zip("p.zip", &flipped));
    }
    let mut seed = 0x9e3779b97f4a7c15u64;
    for _ in 0..2000 {
        let len = (seed % 300) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                b"<>/=\"' \nVpnProfileAzVpnProfileclientconfigrouteincluderoutesdestinationmask10.0.1&;#x"[(seed % 85) as usize]
            })
            .collect();
        located("r", Package::from_single("r", &bytes));
        located("r", Package::from_zip("r", &bytes));
        if let Ok(t) = std::str::from_utf8(&bytes) {
            located("r", routes::merge("r", t, &[route]));
        }
    }
}
