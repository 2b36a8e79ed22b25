//! `p2s-sim prefixes ...` as a whole process: inputs, errors, exit codes, output format.

use p2s_sim::prefix::{parse_prefix, summarize, PrefixSet};
use predicates::prelude::*;
use tempfile::TempDir;

use crate::helpers::*;

fn set_of(text: &str) -> PrefixSet {
    PrefixSet::from_prefixes(text.lines().map(|l| parse_prefix(l).unwrap()))
}

fn lines_of(set: &PrefixSet) -> String {
    set.to_prefixes().iter().map(|p| format!("{p}\n")).collect()
}

#[test]
fn aggregate_reads_stdin_comments_bare_addresses_and_prints_canonical() {
    p2s_sim()
        .args(["prefixes", "aggregate"])
        .write_stdin("# routes\n2001:db8::1/32\n\n10.0.0.128/25\n  10.0.0.0/25  # first half\r\n10.0.0.7\n192.168.1.1\n")
        .assert()
        .success()
        .stdout("10.0.0.0/24\n192.168.1.1/32\n2001:db8::/32\n")
        .stderr("");
}

#[test]
fn aggregate_of_several_files_and_dash() {
    let d = TempDir::new().unwrap();
    let a = write(d.path(), "a.txt", "10.0.0.0/24\n");
    p2s_sim()
        .args(["prefixes", "aggregate"])
        .arg(&a)
        .arg("-")
        .write_stdin("10.0.1.0/24\n")
        .assert()
        .success()
        .stdout("10.0.0.0/23\n");
}

#[test]
fn bad_line_names_file_line_and_text() {
    let d = TempDir::new().unwrap();
    let f = write(d.path(), "routes.txt", "10.0.0.0/8\n# ok\n10.0.0.0/33\n");
    p2s_sim()
        .args(["prefixes", "aggregate"])
        .arg(&f)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("routes.txt:3:").and(predicate::str::contains("10.0.0.0/33")),
        );
}

#[test]
fn skip_invalid_reports_count() {
    p2s_sim()
        .args(["prefixes", "aggregate", "--skip-invalid"])
        .write_stdin("10.0.0.0/8\nnot a prefix\n300.1.1.1\n::/0\n")
        .assert()
        .success()
        .stdout("10.0.0.0/8\n::/0\n")
        .stderr(
            predicate::str::contains("skipped 2 invalid lines")
                .and(predicate::str::contains("line 2")),
        );
}

#[test]
fn utf8_bom_is_accepted_and_utf16_is_explained() {
    p2s_sim()
        .args(["prefixes", "aggregate"])
        .write_stdin(&b"\xEF\xBB\xBF10.0.0.0/8\r\n10.1.0.0/16\r\n"[..])
        .assert()
        .success()
        .stdout("10.0.0.0/8\n");
    let utf16: Vec<u8> = "\u{feff}10.0.0.0/8\r\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    p2s_sim()
        .args(["prefixes", "aggregate", "--skip-invalid"])
        .write_stdin(utf16)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<stdin>:1:").and(predicate::str::contains("UTF-16")));
}

#[test]
fn missing_file_is_an_error() {
    p2s_sim()
        .args(["prefixes", "aggregate", "/nonexistent/x.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/x.txt: cannot read"));
}

#[test]
fn union_intersect_diff_match_the_library() {
    let d = TempDir::new().unwrap();
    let (ta, tb, tc) = (
        "10.0.0.0/8\n172.16.0.0/12\n2001:db8::/32\n",
        "10.1.0.0/16\n172.16.5.0/24\n2001:db8:1::/48\n192.168.0.0/16\n",
        "10.1.2.0/24\n2001:db8:1:2::/64\n",
    );
    let (a, b, c) = (
        write(d.path(), "a", ta),
        write(d.path(), "b", tb),
        write(d.path(), "c", tc),
    );
    let (sa, sb, sc) = (set_of(ta), set_of(tb), set_of(tc));
    let run = |op: &str| p2s(["prefixes", op]).args([&a, &b, &c]).stdout_ok();
    assert_eq!(run("union"), lines_of(&sa.union(&sb).union(&sc)));
    assert_eq!(
        run("intersect"),
        lines_of(&sa.intersection(&sb).intersection(&sc))
    );
    // diff = first minus all others
    assert_eq!(run("diff"), lines_of(&sa.difference(&sb).difference(&sc)));
    assert!(run("diff").starts_with("10.0.0.0/16\n10.2.0.0/15\n10.4.0.0/14\n"));
}

#[test]
fn diff_and_overlaps_need_two_inputs_and_stdin_once() {
    p2s_sim()
        .args(["prefixes", "diff"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least two"));
    p2s_sim()
        .args(["prefixes", "overlaps", "-"])
        .write_stdin("")
        .assert()
        .code(2);
    p2s_sim()
        .args(["prefixes", "union", "-", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only once"));
}

#[test]
fn overlaps_lists_pairs_and_common_prefixes() {
    let d = TempDir::new().unwrap();
    let a = write(d.path(), "a.txt", "10.0.0.0/16\n2001:db8::/32\n");
    let b = write(d.path(), "b.txt", "10.0.1.0/24\n10.0.3.0/24\n10.9.0.0/16\n");
    let c = write(d.path(), "c.txt", "2001:db8:5::/48\n10.9.9.0/24\n");
    let (na, nb, nc) = (
        a.display().to_string(),
        b.display().to_string(),
        c.display().to_string(),
    );
    p2s_sim()
        .args(["prefixes", "overlaps"])
        .args([&a, &b, &c])
        .assert()
        .success()
        .stdout(format!(
            "{na}\t{nb}\t10.0.1.0/24\n{na}\t{nb}\t10.0.3.0/24\n{na}\t{nc}\t2001:db8:5::/48\n{nb}\t{nc}\t10.9.9.0/24\n"
        ));
    p2s_sim()
        .args(["prefixes", "overlaps", "--pairs"])
        .args([&a, &b, &c])
        .assert()
        .success()
        .stdout(format!(
            "{na}\t{nb}\t2\t512\n{na}\t{nc}\t1\t1208925819614629174706176\n{nb}\t{nc}\t1\t256\n"
        ));
}

#[test]
fn summarize_fits_forbids_and_reports() {
    let text = "10.0.0.0/24\n10.0.2.0/24\n10.0.8.0/24\n";
    let d = TempDir::new().unwrap();
    let f = write(d.path(), "set.txt", text);
    let forbid = write(d.path(), "forbid.txt", "10.0.4.0/24\n");
    let want = summarize(&set_of(text), 2, &PrefixSet::new()).unwrap();
    p2s_sim()
        .args(["prefixes", "summarize", "--max", "2"])
        .arg(&f)
        .assert()
        .success()
        .stdout(lines_of(&PrefixSet::from_prefixes(want.prefixes.clone())))
        .stderr(predicate::str::contains(format!(
            "adding {} addresses",
            want.extra
        )));
    p2s_sim()
        .args(["prefixes", "summarize", "--max", "2", "--forbid"])
        .arg(&forbid)
        .arg(&f)
        .assert()
        .success()
        .stdout("10.0.0.0/22\n10.0.8.0/24\n");
    p2s_sim()
        .args(["prefixes", "summarize", "--max", "1", "--forbid"])
        .arg(&forbid)
        .arg(&f)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("smallest possible is 2"));
    p2s_sim()
        .args(["prefixes", "summarize", "--max", "5", "--forbid"])
        .arg(&f)
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("overlaps the forbidden set"));
}

#[test]
fn stats_go_to_stderr() {
    p2s_sim()
        .args(["prefixes", "aggregate", "--stats"])
        .write_stdin("10.0.0.0/25\n10.0.0.128/25\n::1\n")
        .assert()
        .success()
        .stdout("10.0.0.0/24\n::1/128\n")
        .stderr(
            predicate::str::contains("3 prefixes in (2 IPv4, 1 IPv6)")
                .and(predicate::str::contains("out: 2 prefixes"))
                .and(predicate::str::contains("time:")),
        );
}

#[test]
fn help_teaches_each_operation_with_an_example() {
    for op in [
        "aggregate",
        "union",
        "intersect",
        "diff",
        "overlaps",
        "summarize",
    ] {
        p2s_sim()
            .args(["prefixes", op, "--help"])
            .assert()
            .success()
            .stdout(
                predicate::str::contains("Example")
                    .and(predicate::str::contains(format!("p2s-sim prefixes {op}"))),
            );
    }
    p2s_sim()
        .args(["prefixes", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("IPv4 before IPv6")
                .and(predicate::str::contains("--skip-invalid")),
        );
}

#[test]
fn closed_pipe_ends_quietly() {
    // 200k non-adjacent /32s: ~3 MB of output, far more than a pipe holds.
    let mut input = String::new();
    for i in 0u32..200_000 {
        let a = 0x0a00_0000 + i * 2;
        input.push_str(&format!("{}\n", std::net::Ipv4Addr::from(a)));
    }
    let (first, out) = p2s(["prefixes", "aggregate"])
        .stdin(input)
        .close_after_first_line();
    assert_eq!(first, "10.0.0.0/32\n");
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    assert_eq!(out.stderr(), "");
}

#[test]
#[cfg_attr(not(shared_samples), ignore = "needs ../shared")]
fn real_lists_match_the_library() {
    let d = shared_data();
    for name in ["azure_v4.txt", "aws_v6.txt"] {
        let text = std::fs::read_to_string(d.join(name)).unwrap();
        p2s_sim()
            .args(["prefixes", "aggregate"])
            .arg(d.join(name))
            .assert()
            .success()
            .stdout(lines_of(&set_of(&text)));
    }
}
