//! Instructions per call, counted by callgrind: a figure that does not move with the machine's
//! load, for the SDK and its raw baseline on the same workload in the same run.
//!
//! Each variant runs alone in `heygen-bench profile VARIANT WORKLOAD CALLS` (the fixed-response
//! server in its own, untraced process) under `valgrind --tool=callgrind`, twice: with `low` and
//! with `high` calls. Start-up (runtime, client, first connection) is the same in both runs and
//! cancels: instructions per call = (I(high) − I(low)) / (high − low). Both runs of a variant go
//! in parallel (the count does not depend on scheduling).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::report::Report;

/// The targets: SDK instructions per call at most this many times the raw client's.
pub(crate) const AT_MOST: f64 = 1.05;

/// A workload measured, with the calls of its two runs.
struct Workload {
    /// The `profile` argument.
    arg: &'static str,
    /// The label in the report.
    label: &'static str,
    /// Whether the SDK / raw ratio is a target.
    target: bool,
    /// Calls in the short and the long run.
    calls: (u64, u64),
}

/// A variant: its `profile` argument and its label in the report.
struct Named {
    arg: &'static str,
    label: &'static str,
}

/// The transports: the SDK and its raw baseline.
const PAIRS: [(Named, Named); 2] = [
    (
        Named {
            arg: "heygen-blocking",
            label: "heygen-blocking",
        },
        Named {
            arg: "raw-ureq",
            label: "raw ureq",
        },
    ),
    (
        Named {
            arg: "heygen-async",
            label: "heygen-async",
        },
        Named {
            arg: "raw-hyper",
            label: "raw hyper-util",
        },
    ),
];

fn workloads(quick: bool) -> [Workload; 3] {
    // A page of looks costs about 15 times a create; fewer calls keep its runs as short.
    let (small, page) = if quick {
        ((50, 250), (20, 100))
    } else {
        ((200, 1200), (50, 300))
    };
    [
        Workload {
            arg: "create",
            label: "POST /v3/avatars",
            target: true,
            calls: small,
        },
        Workload {
            arg: "looks",
            label: "GET /v3/avatars/looks?limit=50",
            target: true,
            calls: page,
        },
        Workload {
            arg: "video",
            label: "GET /v3/videos/{id}",
            target: false,
            calls: small,
        },
    ]
}

/// The valgrind found on `PATH` (its version line), if any.
fn valgrind() -> Option<String> {
    let output = Command::new("valgrind").arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The total of a callgrind output file (`totals:` line; `summary:` in older versions).
pub(crate) fn total(text: &str) -> Option<u64> {
    let line = text
        .lines()
        .find(|l| l.starts_with("totals:"))
        .or_else(|| text.lines().find(|l| l.starts_with("summary:")))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Instructions per call from the totals of a short and a long run.
pub(crate) fn per_call(low: (u64, u64), high: (u64, u64)) -> Option<f64> {
    let (calls_low, total_low) = low;
    let (calls_high, total_high) = high;
    if calls_high <= calls_low || total_high < total_low {
        return None;
    }
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    Some((total_high - total_low) as f64 / (calls_high - calls_low) as f64)
}

/// Total instructions of `profile VARIANT WORKLOAD CALLS` under callgrind.
fn count(exe: &Path, dir: &Path, variant: &str, workload: &str, calls: u64) -> Result<u64, String> {
    let out = dir.join(format!("callgrind.{variant}.{workload}.{calls}"));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--trace-children=no")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args(["profile", variant, workload, &calls.to_string()])
        .output()
        .map_err(|e| format!("valgrind: {e}"))?;
    let text = std::fs::read_to_string(&out);
    let _ = std::fs::remove_file(&out);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(format!(
            "valgrind {variant} {workload} {calls}: {}",
            last.unwrap_or("failed")
        ));
    }
    let text = text.map_err(|e| format!("{}: {e}", out.display()))?;
    total(&text).ok_or_else(|| format!("no total in {}", out.display()))
}

/// One variant's two runs, in parallel.
fn measure(exe: &Path, dir: &Path, variant: &str, workload: &Workload) -> Result<Measured, String> {
    let (low, high) = workload.calls;
    let (a, b) = std::thread::scope(|scope| {
        let short = scope.spawn(|| count(exe, dir, variant, workload.arg, low));
        let long = count(exe, dir, variant, workload.arg, high);
        (
            short
                .join()
                .unwrap_or_else(|_| Err("the callgrind thread panicked".to_owned())),
            long,
        )
    });
    let (a, b) = (a?, b?);
    let per_call = per_call((low, a), (high, b))
        .ok_or_else(|| format!("{variant} {}: the long run counted less", workload.arg))?;
    Ok(Measured {
        low: a,
        high: b,
        per_call,
    })
}

struct Measured {
    low: u64,
    high: u64,
    per_call: f64,
}

/// valgrind's version, this binary and a fresh directory for callgrind's files; or why the
/// counts cannot be taken.
fn setup(dir: &Path) -> Result<(String, PathBuf, PathBuf), String> {
    let version = valgrind().ok_or("valgrind was not found on `PATH`")?;
    let exe = std::env::current_exe()
        .map_err(|e| format!("the benchmark's own path is unknown ({e})"))?;
    let dir = dir.join(format!("callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok((version, exe, dir))
}

/// Measures every pair on every workload and adds the section and the targets to `report`.
pub(crate) fn run(quick: bool, dir: &Path, report: &mut Report) {
    let mut out = String::from(
        "## Instructions per call (callgrind)\n\n\
         Each variant alone (`heygen-bench profile VARIANT WORKLOAD CALLS`, the fixed-response \
         server in its own untraced process) under `valgrind --tool=callgrind`, run with two \
         numbers of calls; start-up cancels: per call = (I(long) − I(short)) / (calls long − \
         calls short). Counts include the counting allocator of the benchmark binary (the same \
         for every variant). Ratio = SDK instructions / raw instructions: below 1 means the SDK \
         does less work.\n\n",
    );
    let (version, exe, dir) = match setup(dir) {
        Ok(found) => found,
        Err(why) => {
            let _ = writeln!(out, "{why}: instruction counts not measured.\n");
            for workload in workloads(quick).iter().filter(|w| w.target) {
                for (sdk, raw) in &PAIRS {
                    report.max_ratio_target(
                        target_name(workload.label, sdk.label, raw.label),
                        None,
                        AT_MOST,
                    );
                }
            }
            report.push(&out);
            return;
        }
    };
    let _ = writeln!(
        out,
        "{version}.\n\n| workload | variant | calls | instructions (short / long run) | instructions per call |\n|---|---|---:|---:|---:|"
    );
    let mut ratios = String::new();
    for workload in workloads(quick) {
        for (sdk, raw) in &PAIRS {
            eprintln!("callgrind {} {} / {}", workload.arg, sdk.label, raw.label);
            let per = [raw, sdk].map(|variant| row(&exe, &dir, variant, &workload, &mut out));
            let ratio = match per {
                [Some(raw), Some(sdk)] if raw > 0.0 => Some(sdk / raw),
                _ => None,
            };
            let _ = writeln!(
                ratios,
                "- {}: {} / {}: **{}** × instructions per call",
                workload.label,
                sdk.label,
                raw.label,
                ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.3}"))
            );
            if workload.target {
                report.max_ratio_target(
                    target_name(workload.label, sdk.label, raw.label),
                    ratio,
                    AT_MOST,
                );
            }
        }
    }
    let _ = std::fs::remove_dir(&dir);
    out.push('\n');
    out.push_str(&ratios);
    out.push('\n');
    report.push(&out);
}

/// Measures one variant, writes its row to `out`, and returns its instructions per call.
fn row(
    exe: &Path,
    dir: &Path,
    variant: &Named,
    workload: &Workload,
    out: &mut String,
) -> Option<f64> {
    match measure(exe, dir, variant.arg, workload) {
        Ok(m) => {
            let _ = writeln!(
                out,
                "| {} | {} | {} / {} | {} / {} | {:.0} |",
                workload.label,
                variant.label,
                workload.calls.0,
                workload.calls.1,
                m.low,
                m.high,
                m.per_call
            );
            Some(m.per_call)
        }
        Err(e) => {
            let _ = writeln!(
                out,
                "| {} | {} | | failed: {} | |",
                workload.label,
                variant.label,
                e.replace('|', "/")
            );
            None
        }
    }
}

fn target_name(workload: &str, sdk: &str, raw: &str) -> String {
    format!("instructions per call: {workload} {sdk} / {raw}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_per_call() {
        let file = "# callgrind format\nevents: Ir\nsummary: 120\nfn=x\n0 5\ntotals: 12984828\n";
        assert_eq!(total(file), Some(12_984_828));
        assert_eq!(total("events: Ir\nsummary: 42\n"), Some(42));
        assert_eq!(total("events: Ir\n"), None);
        let per = per_call((200, 12_984_828), (1200, 73_289_876)).unwrap();
        assert!((per - 60_305.048).abs() < 1e-6, "{per}");
        assert_eq!(per_call((200, 10), (200, 20)), None);
        assert_eq!(per_call((200, 30), (1200, 20)), None);
    }
}
