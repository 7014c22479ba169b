//! Project automation, run through the `cargo xtask` alias.
//!
//! - `cargo xtask ci`: everything CI checks (format, lints, tests, doctests, docs, fuzz build).
//! - `cargo xtask tidy`: the repository rules that the compiler cannot check (layering, module docs).
//! - `cargo xtask bench [--quick]`: the benchmarks, in release mode.
//!
//! Standard library only, so it builds in seconds on a fresh machine.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "xtask is a command-line tool"
)]

mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("tidy") => tidy::run(&workspace_root()).map_err(|problems| problems.join("\n")),
        Some("bench") => bench(&args[1..]),
        _ => Err("usage: cargo xtask <ci | tidy | bench [--quick]>".to_owned()),
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
    }
    if workspace_root().join("crates/heygen-bench").exists() {
        cargo(&["build", "--release", "-p", "heygen-bench"], &[])?;
    }
    eprintln!("xtask ci: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

fn bench(args: &[String]) -> Result<(), String> {
    if !workspace_root().join("crates/heygen-bench").exists() {
        return Err("the benchmark crate `crates/heygen-bench` does not exist yet".to_owned());
    }
    cargo(&["build", "--release", "-p", "heygen-bench", "--bins"], &[])?;
    let binary = workspace_root().join("target/release/heygen-bench");
    let status = Command::new(&binary)
        .args(args)
        .current_dir(workspace_root())
        .status()
        .map_err(|error| format!("could not run {}: {error}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("benchmarks failed with {status}"))
    }
}
