//! Footprint for constrained services: the stripped size of a minimal program per transport
//! (built with the `release-small` profile by `cargo xtask bench`), the crates in its normal
//! dependency tree (`cargo tree -e normal`), and its resident memory after 1 000 calls against
//! the fixed-response server.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::fixtures::{API_KEY, GROUP_ID};
use crate::report::{Report, bytes};

/// One probe program.
struct Probe {
    /// Label in the report.
    label: &'static str,
    /// Package and binary name.
    package: &'static str,
    /// Stripped-size target in MiB, for the SDK probes.
    target_mib: Option<f64>,
}

const PROBES: [Probe; 4] = [
    Probe {
        label: "heygen-blocking",
        package: "heygen-footprint-blocking",
        target_mib: Some(3.5),
    },
    Probe {
        label: "heygen-async",
        package: "heygen-footprint-async",
        target_mib: Some(5.0),
    },
    Probe {
        label: "(reference) bare ureq + rustls + serde_json",
        package: "heygen-footprint-ureq",
        target_mib: None,
    },
    Probe {
        label: "(reference) bare hyper + hyper-rustls + tokio + serde_json",
        package: "heygen-footprint-hyper",
        target_mib: None,
    },
];

/// Calls each probe makes for the resident-memory column.
pub(crate) const CALLS: u32 = 1000;

/// Unique `name version` entries of `cargo tree --prefix none` output, root excluded.
pub(crate) fn count_crates(tree: &str) -> usize {
    let mut lines = tree.lines().map(|l| l.trim_end_matches(" (*)").trim());
    let root = lines.next().unwrap_or_default().to_owned();
    lines
        .filter(|l| !l.is_empty() && *l != root)
        .map(|l| l.split(" (").next().unwrap_or(l))
        .collect::<BTreeSet<_>>()
        .len()
}

fn crate_count(package: &str) -> Result<usize, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .output()
        .map_err(|e| format!("cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(count_crates(&String::from_utf8_lossy(&output.stdout)))
}

/// `rss_warm=BYTES rss_end=BYTES` from a probe's stderr.
pub(crate) fn parse_rss(text: &str) -> Option<(u64, u64)> {
    let mut warm = None;
    let mut end = None;
    for word in text.split_whitespace() {
        if let Some(v) = word.strip_prefix("rss_warm=") {
            warm = v.parse().ok();
        } else if let Some(v) = word.strip_prefix("rss_end=") {
            end = v.parse().ok();
        }
    }
    Some((warm?, end?))
}

fn run_probe(binary: &Path, base_url: &str) -> Result<(u64, u64), String> {
    let output = Command::new(binary)
        .env("HEYGEN_API_KEY", API_KEY)
        .env("HEYGEN_API_BASE", base_url)
        .env("HEYGEN_FOOTPRINT_GROUP", GROUP_ID)
        .env("HEYGEN_FOOTPRINT_CALLS", CALLS.to_string())
        .output()
        .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
    let text = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("exit {}: {}", output.status, text.trim()));
    }
    parse_rss(&text).ok_or_else(|| format!("no rss line in {text:?}"))
}

/// Measures every probe found in `dir` and adds the section and the size targets.
pub(crate) fn run(dir: &Path, base_url: &str, report: &mut Report) {
    let mut out = String::from(
        "## Footprint (minimal program per transport: client from the environment, one `GET /v3/avatars/{group_id}`, TLS compiled in)\n\n\
         Built with the `release-small` profile (opt-level `s`, LTO, one codegen unit, `panic = abort`, stripped). \
         Crates: unique packages in `cargo tree -e normal`, the program itself excluded. \
         RSS: after 100 calls (warm) and after 1 000 calls against the fixed-response server.\n\n\
         | program | stripped size | crates | RSS warm | RSS after 1 000 calls | growth |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for probe in &PROBES {
        let binary = dir.join(probe.package);
        let size = std::fs::metadata(&binary).map(|m| m.len()).ok();
        let crates = crate_count(probe.package);
        let rss = run_probe(&binary, base_url);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            probe.label,
            size.map_or_else(|| "not built".to_owned(), bytes),
            crates
                .as_ref()
                .map_or_else(|e| format!("error: {e}"), ToString::to_string),
            rss.as_ref()
                .map_or_else(|e| format!("error: {e}"), |(w, _)| bytes(*w)),
            rss.as_ref()
                .map_or_else(|_| "–".to_owned(), |(_, e)| bytes(*e)),
            rss.as_ref().map_or_else(
                |_| "–".to_owned(),
                |(w, e)| format!("{:+} KiB", (i128::from(*e) - i128::from(*w)) / 1024)
            ),
        );
        if let Some(target) = probe.target_mib {
            #[allow(clippy::cast_precision_loss, reason = "display only")]
            let mib = size.map(|s| s as f64 / (1024.0 * 1024.0));
            report.max_target(
                format!("footprint: {} stripped size", probe.label),
                mib,
                target,
                "MiB",
            );
            #[allow(clippy::cast_precision_loss, reason = "display only")]
            let growth = rss
                .as_ref()
                .ok()
                .map(|(w, e)| (e.saturating_sub(*w)) as f64 / 1024.0);
            report.max_target(
                format!(
                    "footprint: {} RSS growth from call 100 to call 1 000 (flat)",
                    probe.label
                ),
                growth,
                256.0,
                "KiB",
            );
        }
    }
    out.push('\n');
    report.push(&out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_unique_crates_without_the_root() {
        let tree = "probe v0.1.0 (/x)\nureq v3.5.2\nrustls v0.23.1\nring v0.17.0\nrustls v0.23.1 (*)\nserde v1.0.0\nserde_derive v1.0.0 (proc-macro)\n";
        assert_eq!(count_crates(tree), 5);
        assert_eq!(count_crates(""), 0);
    }

    #[test]
    fn reads_rss_lines() {
        assert_eq!(
            parse_rss("ok\nrss_warm=100 rss_end=120\n"),
            Some((100, 120))
        );
        assert_eq!(parse_rss("rss_warm=100"), None);
    }
}
