//! Project automation, run through the `cargo xtask` alias.
//!
//! - `cargo xtask ci`: everything CI checks (format, lints, tests, doctests, docs, fuzz build and
//!   fuzz corpus replay).
//! - `cargo xtask tidy`: the repository rules that the compiler cannot check (layering, module docs).
//! - `cargo xtask bench [--quick]`: the benchmarks, in release mode.
//! - `cargo xtask fuzz [--seconds N] [TARGET…]`: a fuzzing campaign (nightly, `cargo-fuzz`).
//!
//! Standard library only, so it builds in seconds on a fresh machine.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "xtask is a command-line tool"
)]

mod fuzz;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("tidy") => tidy::run(&workspace_root()).map_err(|problems| problems.join("\n")),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => Err(
            "usage: cargo xtask <ci | tidy | bench [--quick] [--no-footprint] [heygen-bench options] | fuzz [--seconds N] [--sanitizer S] [--no-cmin] [TARGET…]>"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs `cargo` with `args` in the workspace root, with extra environment variables.
fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    eprintln!("$ cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(workspace_root());
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command
        .status()
        .map_err(|error| format!("could not run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed with {status}", args.join(" ")))
    }
}

fn ci() -> Result<(), String> {
    let started = std::time::Instant::now();
    cargo(&["fmt", "--all", "--check"], &[])?;
    tidy::run(&workspace_root()).map_err(|problems| problems.join("\n"))?;
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    cargo(
        &["test", "--workspace", "--all-features", "--no-fail-fast"],
        &[],
    )?;
    cargo(
        &["doc", "--workspace", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    let fuzz_manifest = workspace_root().join("fuzz").join("Cargo.toml");
    if fuzz_manifest.exists() {
        cargo(
            &["check", "--manifest-path", "fuzz/Cargo.toml", "--bins"],
            &[("CARGO_TARGET_DIR", "target/fuzz-check")],
        )?;
        // Every fuzz target over its corpus, on stable and without libFuzzer.
        cargo(
            &[
                "test",
                "--manifest-path",
                "fuzz/Cargo.toml",
                "--no-default-features",
            ],
            &[("CARGO_TARGET_DIR", "target/fuzz-check")],
        )?;
    }
    if workspace_root().join("crates/heygen-bench").exists() {
        // CI compiles the benchmarks but does not run them; a dev build reuses the test build's
        // artifacts, where a release build would compile the whole tree a second time.
        cargo(&["build", "-p", "heygen-bench", "--bins"], &[])?;
    }
    eprintln!("xtask ci: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// The footprint probes, built with the `release-small` profile in two cargo invocations (the
/// SDK probes, then the bare references) so that the references do not get the SDK's features
/// through feature unification, while the LTO builds still share one cargo run each.
const FOOTPRINT_PROBES: [[&str; 2]; 2] = [
    ["heygen-footprint-blocking", "heygen-footprint-async"],
    ["heygen-footprint-ureq", "heygen-footprint-hyper"],
];

/// `cargo xtask bench [--quick] [--no-footprint] [other heygen-bench options]`.
///
/// Builds `heygen-bench` in release mode and the footprint probes with the `release-small`
/// profile, then runs the benchmarks from the workspace root. The report goes to stdout and
/// `bench/report.md` in the target directory (`$CARGO_TARGET_DIR`, or `target/`), unless
/// `--out` says otherwise; the upload test files go beside it.
fn bench(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    if !root.join("crates/heygen-bench").exists() {
        return Err("the benchmark crate `crates/heygen-bench` does not exist yet".to_owned());
    }
    let started = std::time::Instant::now();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let footprint = !args.iter().any(|a| a == "--no-footprint");
    let mut forwarded: Vec<String> = args
        .iter()
        .filter(|a| a.as_str() != "--no-footprint")
        .cloned()
        .collect();
    cargo(&["build", "--release", "-p", "heygen-bench", "--bins"], &[])?;
    if footprint {
        for [first, second] in FOOTPRINT_PROBES {
            cargo(
                &[
                    "build",
                    "--profile",
                    "release-small",
                    "-p",
                    first,
                    "-p",
                    second,
                ],
                &[],
            )?;
        }
        forwarded.push("--footprint-dir".to_owned());
        forwarded.push(target.join("release-small").display().to_string());
    }
    if !forwarded.iter().any(|a| a == "--out") {
        forwarded.push("--out".to_owned());
        forwarded.push(target.join("bench").join("report.md").display().to_string());
    }
    let built = started.elapsed();
    let binary = target.join("release").join("heygen-bench");
    let status = Command::new(&binary)
        .args(&forwarded)
        .current_dir(&root)
        .status()
        .map_err(|error| format!("could not run {}: {error}", binary.display()))?;
    eprintln!(
        "xtask bench: built in {:.0?}, ran in {:.0?}",
        built,
        started.elapsed().saturating_sub(built)
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!("benchmarks failed with {status}"))
    }
}
