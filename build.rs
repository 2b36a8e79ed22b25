//! Build facts for the binary and the test material it may use:
//!
//! - Marks the build when the project's shared test material (`../shared/samples` and
//!   `../shared/data`) is present, so the tests that need it run there and show as ignored
//!   ("needs ../shared") in a plain clone instead of passing silently.
//! - `cfg(chromium)` and `P2S_SIM_CHROMIUM` (its path) when a headless Chromium is installed.
//! - `P2S_SIM_COMMIT` (short commit hash, `+dirty`-free; "unknown" outside a git checkout) and
//!   `P2S_SIM_BUILD_DATE` (UTC day of the build, or of `SOURCE_DATE_EPOCH` for reproducible
//!   builds) for `p2s-sim --version`.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The civil date (UTC) of a Unix time, as YYYY-MM-DD (Howard Hinnant's days-to-civil).
fn civil_date(secs: u64) -> String {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `P2S_SIM_CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
fn chromium() -> Option<String> {
    if let Ok(p) = std::env::var("P2S_SIM_CHROMIUM") {
        return Path::new(&p).is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_samples)");
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../shared/samples");
    println!("cargo::rerun-if-changed=../shared/data");
    if Path::new("../shared/samples").is_dir() && Path::new("../shared/data").is_dir() {
        println!("cargo::rustc-cfg=shared_samples");
    }

    // A headless browser for the HTML report test (Debian's `chromium`); the test is ignored
    // ("needs chromium") without one. Installing it touches /usr/bin, which reruns this.
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=P2S_SIM_CHROMIUM");
    match chromium() {
        Some(path) => {
            println!("cargo::rerun-if-changed={path}");
            println!("cargo::rustc-cfg=chromium");
            println!("cargo::rustc-env=P2S_SIM_CHROMIUM={path}");
        }
        None => println!("cargo::rerun-if-changed=/usr/bin"),
    }

    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo::rustc-env=P2S_SIM_COMMIT={commit}");
    // A new commit or checkout changes HEAD or the branch it points to.
    for path in ["HEAD", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo::rerun-if-changed={p}");
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(p) = git(&["rev-parse", "--git-path", &branch]) {
            println!("cargo::rerun-if-changed={p}");
        }
    }
    println!("cargo::rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    println!("cargo::rustc-env=P2S_SIM_BUILD_DATE={}", civil_date(secs));
}
