//! Small fluent helpers shared by the integration tests.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use p2s_sim::engine::{analyze, Analysis, GatewayAnalysis};
use p2s_sim::model::Topology;
use p2s_sim::read::{read_topology, ParameterValues, ReadOptions, Source};
use p2s_sim::report::{ListLimit, Report};
use serde_json::Value;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds a topology from native text, panicking with the error message on failure.
pub fn topology(text: &str) -> Topology {
    read_topology(&[text_source("test.yaml", text)]).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The error message for a topology that must be rejected.
pub fn rejection(text: &str) -> String {
    match read_topology(&[text_source("bad.yaml", text)]) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

pub fn analysis(text: &str) -> Analysis {
    analyze(&topology(text))
}

/// The codes of the findings on `t`, evaluated on the day `as_of`.
pub fn finding_codes(t: &Topology, as_of: &str) -> Vec<&'static str> {
    let options = p2s_sim::verdicts::findings::Options::at(
        p2s_sim::verdicts::findings::Date::parse(as_of).unwrap(),
    );
    p2s_sim::verdicts::findings::check(t, &analyze(t), &options)
        .iter()
        .map(|f| f.code)
        .collect()
}

pub fn report_json(topology: &Topology) -> serde_json::Value {
    let report = Report::new(&analyze(topology), Vec::new(), ListLimit::UNLIMITED);
    serde_json::to_value(report).expect("report serializes")
}

/// The report with verdicts for `as_of`, as the binary builds it (without capacity).
pub fn report_json_at(topology: &Topology, as_of: &str) -> serde_json::Value {
    let day = p2s_sim::verdicts::findings::Date::parse(as_of).expect("valid day");
    let analysis = analyze(topology);
    let verdicts = p2s_sim::verdicts::judge(topology, &analysis, day);
    let report = Report::new(&analysis, Vec::new(), ListLimit::UNLIMITED).with_verdicts(&verdicts);
    serde_json::to_value(report).expect("report serializes")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `p2s-sim` as a command ready for arguments, run in the repository with the caller's terminal
/// settings removed. For predicates on the output (`.assert()`); see [`p2s`] for the usual case.
pub fn p2s_sim() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("p2s-sim").expect("binary built");
    cmd.current_dir(repo());
    // The same bytes whatever the caller's terminal settings.
    for var in ["COLUMNS", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(var);
    }
    cmd
}

/// `p2s-sim ARGS...`, in the style of the `just` crate's tests:
/// `p2s(["analyze", FILE]).stdin(text).run()` gives an [`Outcome`] with `.stdout()`,
/// `.stderr()`, `.code()`; `.expect_code(2)` runs and checks the exit code; `.stdout_ok()` is the
/// standard output of a run that must exit 0.
pub fn p2s<I, S>(args: I) -> P2s
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    P2s::default().args(args)
}

/// A `p2s-sim` command being built; see [`p2s`].
#[derive(Default)]
pub struct P2s {
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(String, OsString)>,
}

impl P2s {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        args.into_iter().fold(self, |cmd, a| cmd.arg(a))
    }

    /// The bytes given on standard input (none otherwise).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.env.push((key.into(), value.as_ref().to_owned()));
        self
    }

    fn command(&self) -> String {
        let args: Vec<_> = self.args.iter().map(|a| a.to_string_lossy()).collect();
        format!("p2s-sim {}", args.join(" "))
    }

    /// Runs to the end; checks nothing.
    pub fn run(self) -> Outcome {
        let mut cmd = p2s_sim();
        cmd.args(&self.args);
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        if let Some(input) = &self.stdin {
            cmd.write_stdin(input.clone());
        }
        let out = cmd.output().expect("p2s-sim runs");
        Outcome::new(self.command(), out)
    }

    /// Runs and checks the exit code.
    pub fn expect_code(self, code: i32) -> Outcome {
        self.run().expect_code(code)
    }

    /// The standard output of a run that must exit 0.
    pub fn stdout_ok(self) -> String {
        self.expect_code(0).into_stdout()
    }

    /// The standard output, as JSON, of a run that must exit 0.
    pub fn json_ok(self) -> Value {
        self.expect_code(0).json()
    }

    /// Runs with standard output a pipe that is closed once its first line has been read, as
    /// `p2s-sim ... | head -1` does; returns that line and how the process ended (its stdout
    /// empty).
    pub fn close_after_first_line(self) -> (String, Outcome) {
        use std::io::{BufRead, BufReader, Write};
        use std::process::Stdio;
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("p2s-sim"));
        cmd.current_dir(repo()).args(&self.args);
        for var in ["COLUMNS", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
            cmd.env_remove(var);
        }
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        let stdin = if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        };
        let mut child = cmd
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("p2s-sim starts");
        let writer = self.stdin.clone().map(|input| {
            let mut pipe = child.stdin.take().unwrap();
            std::thread::spawn(move || pipe.write_all(&input))
        });
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .expect("stdout is readable");
        // The reader is dropped here: the rest of the output hits a closed pipe.
        let out = child.wait_with_output().expect("p2s-sim ends");
        if let Some(writer) = writer {
            writer.join().unwrap().expect("stdin is written");
        }
        (first, Outcome::new(self.command(), out))
    }
}

/// What one run of `p2s-sim` gave.
pub struct Outcome {
    command: String,
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Outcome {
    fn new(command: String, out: std::process::Output) -> Self {
        Outcome {
            command,
            code: out.status.code(),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The exit code; `None` when a signal ended the process.
    pub fn code(&self) -> Option<i32> {
        self.code
    }

    /// Standard output, which must be UTF-8.
    pub fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not UTF-8: {e}", self.command))
    }

    pub fn stdout_bytes(&self) -> &[u8] {
        &self.stdout
    }

    pub fn into_stdout(self) -> String {
        self.stdout().to_owned()
    }

    /// Standard error (lossy UTF-8).
    pub fn stderr(&self) -> &str {
        &self.stderr
    }

    /// Standard output parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout())
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON: {e}", self.command))
    }

    /// Panics, showing the command and its stderr, unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "{}: exit code {:?}, expected {code}; stderr:\n{}",
            self.command,
            self.code,
            self.stderr
        );
        self
    }
}

/// `../shared/samples`: the project's real Azure exports. Tests using it are marked
/// `#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]` (build.rs), so reaching here
/// without it (`--ignored` in a plain clone) is a failure, never a silent pass.
pub fn shared_samples() -> PathBuf {
    shared("samples")
}

/// `../shared/data`: the real prefix lists; see [`shared_samples`].
pub fn shared_data() -> PathBuf {
    shared("data")
}

fn shared(dir: &str) -> PathBuf {
    let path = repo().join("../shared").join(dir);
    assert!(
        path.is_dir(),
        "needs {}: this test is ignored without it (build.rs)",
        path.display()
    );
    path
}

/// A source named by its path, with the file's text.
pub fn file_source(path: &Path) -> Source {
    Source {
        name: path.display().to_string(),
        text: read(path),
    }
}

/// A source of the given name and text.
pub fn text_source(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        text: text.into(),
    }
}

/// The address space of `vnet`, as text.
pub fn space(t: &Topology, vnet: &str) -> Vec<String> {
    t.vnets
        .iter()
        .find(|v| v.name == vnet)
        .unwrap_or_else(|| panic!("no VNet {vnet} in {:?}", vnet_names(t)))
        .address_space
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// The display forms of `items`.
pub fn strings<T: ToString>(items: impl IntoIterator<Item = T>) -> Vec<String> {
    items.into_iter().map(|i| i.to_string()).collect()
}

/// The remote address space that peering `i` keeps, as text.
pub fn peered_space(t: &Topology, i: usize) -> Vec<String> {
    strings(
        t.peerings[i]
            .remote_address_space
            .as_ref()
            .expect("a remote address space"),
    )
}

/// The prefixes a gateway advertises, sorted as text.
pub fn sorted_advertised(g: &GatewayAnalysis) -> Vec<String> {
    let mut list = strings(g.advertised.to_vec());
    list.sort();
    list
}

/// [`sorted_advertised`] of the P2S gateway named `gateway`.
pub fn advertised(t: &Topology, gateway: &str) -> Vec<String> {
    let analysis = analyze(t);
    let g = analysis
        .gateways
        .iter()
        .find(|g| g.name == gateway)
        .unwrap_or_else(|| panic!("gateway {gateway} has no P2S analysis"));
    sorted_advertised(g)
}

/// The options of the command line's `--param NAME=VALUE`s, nothing else set.
pub fn read_options(params: &[(&str, &str)]) -> ReadOptions {
    ReadOptions {
        format: None,
        parameters: ParameterValues {
            files: Vec::new(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
        as_of: None,
    }
}

pub fn vnet_names(t: &Topology) -> Vec<&str> {
    t.vnets.iter().map(|v| v.name.as_str()).collect()
}

/// Writes `text` to `dir/name`; returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// A gateway with P2S and the given tunnel types, in a VNet with the given prefixes.
pub fn hub(prefixes: &[String], pool: &str, tunnels: &str) -> String {
    format!(
        "vnets:\n  - name: hub\n    address_space: [{}]\n    gateway:\n      name: hub-gw\n      sku: VpnGw2\n      p2s:\n        address_pool: [{pool}]\n        tunnel_types: [{tunnels}]\n        auth_types: [Certificate]\n",
        prefixes.join(", ")
    )
}

/// Every key of `expected` matches `actual`; `gateways` and `clients` are maps keyed by name.
pub fn check_subset(expected: &Value, actual: &Value, at: &str, failures: &mut Vec<String>) {
    check_against(expected, actual, at, false, failures)
}

/// Like [`check_subset`], and the `clients` maps must list exactly the client kinds present.
pub fn check_exact_clients(expected: &Value, actual: &Value, at: &str, failures: &mut Vec<String>) {
    check_against(expected, actual, at, true, failures)
}

fn check_against(
    expected: &Value,
    actual: &Value,
    at: &str,
    exact: bool,
    failures: &mut Vec<String>,
) {
    match expected {
        Value::Object(map) => {
            for (key, want) in map {
                let place = format!("{at}.{key}");
                match key.as_str() {
                    "gateways" | "clients" => {
                        let id_field = if key == "gateways" { "name" } else { "client" };
                        let items = actual[key.as_str()].as_array().cloned().unwrap_or_default();
                        let names: Vec<&str> =
                            items.iter().filter_map(|i| i[id_field].as_str()).collect();
                        let wanted: Vec<&str> = want
                            .as_object()
                            .unwrap()
                            .keys()
                            .map(|k| k.as_str())
                            .collect();
                        if exact && key == "clients" && names != wanted {
                            failures.push(format!("{place}: kinds {names:?}, expected {wanted:?}"));
                        }
                        for (name, sub) in want.as_object().unwrap() {
                            match items.iter().find(|i| i[id_field] == name.as_str()) {
                                Some(item) => check_against(
                                    sub,
                                    item,
                                    &format!("{place}[{name}]"),
                                    exact,
                                    failures,
                                ),
                                None => failures.push(format!("{place}: no {name}")),
                            }
                        }
                    }
                    // Reachability is the same for every client of a gateway.
                    "reachable" if actual.get("clients").is_some() => {
                        for c in actual["clients"].as_array().unwrap() {
                            check_against(want, &c["reachable"], &place, exact, failures);
                        }
                    }
                    _ => check_against(want, &actual[key.as_str()], &place, exact, failures),
                }
            }
        }
        _ if expected != actual => {
            failures.push(format!("{at}: got {actual}, expected {expected}"))
        }
        _ => {}
    }
}
