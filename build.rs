//! Marks the build when the project's shared test material (`../shared/samples` and `../shared/data`) is present, so
//! the tests that need it run there and show as ignored ("needs ../shared") in a plain clone
//! instead of passing silently.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_samples)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../shared/samples");
    println!("cargo::rerun-if-changed=../shared/data");
    if Path::new("../shared/samples").is_dir() && Path::new("../shared/data").is_dir() {
        println!("cargo::rustc-cfg=shared_samples");
    }
}
