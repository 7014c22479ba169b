//! `cargo xtask fuzz [--seconds N] [--sanitizer S] [--no-cmin] [TARGET…]`: a fuzzing campaign.
//!
//! Installs `cargo-fuzz` when it is missing, builds the targets of `fuzz/` once, runs each
//! target (all of them by default, in the order of `fuzz/Cargo.toml`) for `N` seconds (default
//! 60) on its corpus `fuzz/corpus/<target>/`, then minimizes that corpus with
//! `cargo fuzz cmin` (by edge coverage). Hand-written seeds (any file whose name is not a
//! 40-hex-digit hash) are always kept, so the seeds the crates' tests name survive.
//!
//! A crash (a panic, a timeout, running out of memory) fails the command after every target
//! ran; the output names the reproducer in `fuzz/artifacts/<target>/` and the command that
//! replays it. The summary at the end (a Markdown table) is what `docs/fuzzing.md` records.
//!
//! The toolchain is `nightly` unless `HEYGEN_FUZZ_TOOLCHAIN` names another; the sanitizer is
//! `none` by default (every crate of the SDK forbids `unsafe`; `--sanitizer address` for
//! `AddressSanitizer`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

use crate::workspace_root;

/// Per-input time limit given to libFuzzer, in seconds: a slower input counts as a crash.
const INPUT_TIMEOUT_SECS: u32 = 10;

/// The options of one campaign.
#[derive(Debug)]
struct Options {
    seconds: u64,
    sanitizer: String,
    cmin: bool,
    targets: Vec<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        seconds: 60,
        sanitizer: "none".to_owned(),
        cmin: true,
        targets: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = args.next().ok_or("--seconds needs a number")?;
                options.seconds = value
                    .parse()
                    .map_err(|_| format!("--seconds: `{value}` is not a whole number"))?;
            }
            "--sanitizer" => {
                options
                    .sanitizer
                    .clone_from(args.next().ok_or("--sanitizer needs a name")?);
            }
            "--no-cmin" => options.cmin = false,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            target => options.targets.push(target.to_owned()),
        }
    }
    if options.seconds == 0 {
        return Err("--seconds must be at least 1".to_owned());
    }
    Ok(options)
}

/// The `[[bin]]` names of `fuzz/Cargo.toml`, in order.
fn manifest_targets(manifest: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin
            && let Some(name) = line
                .strip_prefix("name")
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('='))
                .map(|rest| rest.trim().trim_matches('"'))
        {
            targets.push(name.to_owned());
        }
    }
    targets
}

/// The toolchain argument for the rustup `cargo` proxy (`+nightly`).
fn toolchain() -> String {
    format!(
        "+{}",
        std::env::var("HEYGEN_FUZZ_TOOLCHAIN").unwrap_or_else(|_| "nightly".to_owned())
    )
}

/// `cargo +<toolchain> fuzz <args>`, run from the workspace root.
fn cargo_fuzz(args: &[&str]) -> Command {
    // The rustup proxy on PATH, not `$CARGO`: `+toolchain` only works through the proxy.
    let mut command = Command::new("cargo");
    command
        .arg(toolchain())
        .arg("fuzz")
        .args(args)
        .current_dir(workspace_root());
    command
}

/// Makes sure `cargo fuzz` runs, installing it when it does not.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let works = |quiet: bool| {
        let mut command = cargo_fuzz(&["--version"]);
        if quiet {
            command.stdout(Stdio::null()).stderr(Stdio::null());
        }
        command.status().is_ok_and(|s| s.success())
    };
    if works(true) {
        return Ok(());
    }
    eprintln!("$ cargo install cargo-fuzz --locked");
    let status = Command::new("cargo")
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .map_err(|error| format!("could not run cargo install: {error}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo install cargo-fuzz --locked` failed with {status}"
        ));
    }
    if works(false) {
        Ok(())
    } else {
        Err(format!(
            "`cargo {} fuzz` does not run; install that toolchain (rustup toolchain install nightly)",
            toolchain()
        ))
    }
}

/// Runs `command`, echoing its stdout and stderr to stderr line by line, and returns whether it
/// succeeded and every line it printed.
fn run_teed(mut command: Command) -> Result<(bool, Vec<String>), String> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|error| format!("could not run {command:?}: {error}"))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let echo = |stream: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                eprintln!("{line}");
                lines.push(line);
            }
            lines
        })
    };
    let out = stdout.map(|s| echo(Box::new(s)));
    let err = stderr.map(|s| echo(Box::new(s)));
    let status = child
        .wait()
        .map_err(|error| format!("could not wait for {command:?}: {error}"))?;
    let mut lines = Vec::new();
    for handle in [out, err].into_iter().flatten() {
        lines.extend(handle.join().unwrap_or_default());
    }
    Ok((status.success(), lines))
}

/// A libFuzzer `stat::<name>: <value>` line's value.
fn stat(lines: &[String], name: &str) -> Option<u64> {
    let prefix = format!("stat::{name}:");
    lines
        .iter()
        .rev()
        .find_map(|line| line.trim().strip_prefix(&prefix)?.trim().parse().ok())
}

/// Whether a corpus file name is libFuzzer's (the SHA-1 of its content) rather than a seed's.
fn is_generated(name: &str) -> bool {
    name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The files of a directory with their contents, by name.
fn read_dir_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_file()
            && let (Some(name), Ok(bytes)) = (
                path.file_name().and_then(|n| n.to_str()).map(str::to_owned),
                fs::read(&path),
            )
        {
            files.insert(name, bytes);
        }
    }
    files
}

/// Number of files and their total size, in bytes.
fn corpus_size(dir: &Path) -> (usize, u64) {
    let files = read_dir_files(dir);
    (files.len(), files.values().map(|f| f.len() as u64).sum())
}

/// Minimizes `corpus` with `cargo fuzz cmin`, keeping every hand-written seed.
fn minimize(target: &str, corpus: &Path, sanitizer: &str) -> Result<(), String> {
    let seeds: BTreeMap<String, Vec<u8>> = read_dir_files(corpus)
        .into_iter()
        .filter(|(name, _)| !is_generated(name))
        .collect();
    let corpus_arg = corpus.display().to_string();
    // Edges only (no hit counts): a corpus a few times smaller that still reaches every branch.
    let (ok, lines) = run_teed(cargo_fuzz(&[
        "cmin",
        "--sanitizer",
        sanitizer,
        target,
        &corpus_arg,
        "--",
        "-use_counters=0",
    ]))?;
    // `cargo fuzz cmin` reports a failed merge on stdout and still exits with success.
    if !ok
        || lines
            .iter()
            .any(|l| l.contains("Failed to minimize corpus"))
        || !corpus.is_dir()
    {
        return Err(format!("`cargo fuzz cmin {target}` failed"));
    }
    let kept = read_dir_files(corpus);
    for (name, bytes) in &seeds {
        if !kept.contains_key(name) {
            fs::write(corpus.join(name), bytes)
                .map_err(|error| format!("could not restore seed {name}: {error}"))?;
        }
    }
    // cmin names what it keeps by hash: drop the hashed copy of a restored seed.
    for (name, bytes) in &kept {
        if is_generated(name) && seeds.values().any(|seed| seed == bytes) {
            fs::remove_file(corpus.join(name))
                .map_err(|error| format!("could not remove {name}: {error}"))?;
        }
    }
    Ok(())
}

/// Files in `dir` modified at or after `since`.
fn new_files(dir: &Path, since: SystemTime) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| modified >= since)
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

/// What one target's run gave.
#[derive(Debug)]
struct Outcome {
    target: String,
    /// How long libFuzzer ran (shorter than asked when it stopped at a crash).
    seconds: u64,
    executions: Option<u64>,
    per_second: Option<u64>,
    new_units: Option<u64>,
    corpus_before: (usize, u64),
    corpus_after: (usize, u64),
    crashes: Vec<PathBuf>,
}

/// Runs one target for `options.seconds`, then minimizes its corpus unless it crashed.
fn fuzz_one(root: &Path, target: &str, options: &Options) -> Result<Outcome, String> {
    let corpus = root.join("fuzz/corpus").join(target);
    fs::create_dir_all(&corpus).map_err(|error| format!("{}: {error}", corpus.display()))?;
    let corpus_before = corpus_size(&corpus);
    let run_started = SystemTime::now();
    let corpus_arg = format!("fuzz/corpus/{target}");
    let max_time = format!("-max_total_time={}", options.seconds);
    let timeout = format!("-timeout={INPUT_TIMEOUT_SECS}");
    let mut args = vec![
        "run",
        "--sanitizer",
        &options.sanitizer,
        target,
        &corpus_arg,
        "--",
        &max_time,
        &timeout,
        "-print_final_stats=1",
    ];
    let dict_path = root.join("fuzz/dict").join(format!("{target}.dict"));
    let dict = format!("-dict=fuzz/dict/{target}.dict");
    if dict_path.is_file() {
        args.push(&dict);
    }
    eprintln!("\n== fuzz {target} for {} s", options.seconds);
    let fuzz_started = Instant::now();
    let (ok, lines) = run_teed(cargo_fuzz(&args))?;
    let fuzzed = fuzz_started.elapsed().as_secs();
    let crashes = if ok {
        Vec::new()
    } else {
        let found = new_files(&root.join("fuzz/artifacts").join(target), run_started);
        if found.is_empty() {
            return Err(format!(
                "`cargo fuzz run {target}` failed without a reproducer; see its output above"
            ));
        }
        found
    };
    if ok && options.cmin {
        eprintln!("\n== minimize fuzz/corpus/{target}");
        minimize(target, &corpus, &options.sanitizer)?;
    }
    Ok(Outcome {
        target: target.to_owned(),
        seconds: fuzzed,
        executions: stat(&lines, "number_of_executed_units"),
        per_second: stat(&lines, "average_exec_per_sec"),
        new_units: stat(&lines, "new_units_added"),
        corpus_before,
        corpus_after: corpus_size(&corpus),
        crashes,
    })
}

/// One line per reproducer: where it is and how to replay it.
fn crash_report(outcomes: &[Outcome], root: &Path, sanitizer: &str) -> Vec<String> {
    let mut crashed = Vec::new();
    for outcome in outcomes {
        for path in &outcome.crashes {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string();
            crashed.push(format!(
                "{}: reproducer {relative}; replay with `cargo {} fuzz run --sanitizer {} {} {relative}`",
                outcome.target,
                toolchain(),
                sanitizer,
                outcome.target
            ));
        }
    }
    crashed
}

/// `cargo xtask fuzz`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    let root = workspace_root();
    let manifest = fs::read_to_string(root.join("fuzz/Cargo.toml"))
        .map_err(|error| format!("fuzz/Cargo.toml: {error}"))?;
    let known = manifest_targets(&manifest);
    let targets = if options.targets.is_empty() {
        known.clone()
    } else {
        options.targets.clone()
    };
    if let Some(unknown) = targets.iter().find(|t| !known.contains(t)) {
        return Err(format!(
            "no fuzz target `{unknown}`; the targets are: {}",
            known.join(", ")
        ));
    }
    ensure_cargo_fuzz()?;
    let started = Instant::now();
    let (built, _) = run_teed(cargo_fuzz(&["build", "--sanitizer", &options.sanitizer]))?;
    if !built {
        return Err("`cargo fuzz build` failed".to_owned());
    }

    let mut outcomes = Vec::new();
    for target in &targets {
        outcomes.push(fuzz_one(&root, target, &options)?);
    }
    eprintln!("\n{}", summary(&outcomes));
    eprintln!("xtask fuzz: done in {:.0?}", started.elapsed());
    let crashed = crash_report(&outcomes, &root, &options.sanitizer);
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("crashes found:\n{}", crashed.join("\n")))
    }
}

fn or_dash(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The campaign as a Markdown table.
fn summary(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| target | seconds | executions | exec/s | new units | corpus before (files, bytes) | corpus after cmin (files, bytes) | crashes |\n|---|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for o in outcomes {
        let crashes = if o.crashes.is_empty() {
            "none".to_owned()
        } else {
            o.crashes
                .iter()
                .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {}, {} | {}, {} | {} |",
            o.target,
            o.seconds,
            or_dash(o.executions),
            or_dash(o.per_second),
            or_dash(o.new_units),
            o.corpus_before.0,
            o.corpus_before.1,
            o.corpus_after.0,
            o.corpus_after.1,
            crashes
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bin_names_in_order() {
        let manifest = "[package]\nname = \"heygen-fuzz\"\n\n[[bin]]\nname = \"b\"\npath = \"x\"\n\n[lib]\nname = \"l\"\n\n[[bin]]\nname = \"a\"\n";
        assert_eq!(manifest_targets(manifest), ["b", "a"]);
    }

    #[test]
    fn parses_options() {
        let args: Vec<String> = ["--seconds", "5", "redact", "--no-cmin"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let options = parse_options(&args).unwrap();
        assert_eq!(options.seconds, 5);
        assert_eq!(options.targets, ["redact"]);
        assert!(!options.cmin);
        assert!(parse_options(&["--seconds".to_owned()]).is_err());
        assert!(parse_options(&["--bogus".to_owned()]).is_err());
    }

    #[test]
    fn tells_generated_names_from_seeds() {
        assert!(is_generated("0123456789abcdef0123456789abcdef01234567"));
        assert!(!is_generated("ok_video.txt"));
    }

    #[test]
    fn reads_libfuzzer_stats() {
        let lines = vec![
            "stat::number_of_executed_units: 1234".to_owned(),
            "stat::average_exec_per_sec:     56".to_owned(),
        ];
        assert_eq!(stat(&lines, "number_of_executed_units"), Some(1234));
        assert_eq!(stat(&lines, "average_exec_per_sec"), Some(56));
        assert_eq!(stat(&lines, "new_units_added"), None);
    }
}
