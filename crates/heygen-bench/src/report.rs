//! The Markdown report: tables of medians, ratios and targets, written to stdout and
//! `target/bench/report.md`.

use std::fmt::Write as _;

use crate::runner::Stats;

/// One target from the issue, checked against this run.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// What is measured.
    pub(crate) what: String,
    /// The measured value as text (a ratio, a size).
    pub(crate) value: String,
    /// The threshold as text.
    pub(crate) threshold: String,
    /// Met, missed, or not measured in this run.
    pub(crate) met: Option<bool>,
}

/// The report being assembled.
#[derive(Default)]
pub(crate) struct Report {
    /// Markdown sections, in order.
    pub(crate) body: String,
    /// Every target checked in this run.
    pub(crate) targets: Vec<Target>,
}

impl Report {
    /// Appends Markdown text.
    pub(crate) fn push(&mut self, text: &str) {
        self.body.push_str(text);
    }

    /// Records a "higher is better" ratio target.
    pub(crate) fn ratio_target(&mut self, what: String, ratio: Option<f64>, at_least: f64) {
        self.targets.push(Target {
            what,
            value: ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.3}")),
            threshold: format!("≥ {at_least:.2}"),
            met: ratio.map(|r| r >= at_least),
        });
    }

    /// Records a "lower is better" ratio target.
    pub(crate) fn max_ratio_target(&mut self, what: String, ratio: Option<f64>, at_most: f64) {
        self.targets.push(Target {
            what,
            value: ratio.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.3} ×")),
            threshold: format!("≤ {at_most:.2} ×"),
            met: ratio.map(|r| r <= at_most),
        });
    }

    /// Records an "at most" target.
    pub(crate) fn max_target(
        &mut self,
        what: String,
        value: Option<f64>,
        at_most: f64,
        unit: &str,
    ) {
        self.targets.push(Target {
            what,
            value: value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2} {unit}")),
            threshold: format!("≤ {at_most:.2} {unit}"),
            met: value.map(|v| v <= at_most),
        });
    }

    /// The whole document.
    pub(crate) fn render(&self, header: &str) -> String {
        let mut out = String::new();
        out.push_str(header);
        out.push_str(
            "\n## Targets\n\n| target | measured | threshold | result |\n|---|---:|---:|---|\n",
        );
        for t in &self.targets {
            let result = match t.met {
                Some(true) => "met",
                Some(false) => "**missed**",
                None => "not measured",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {result} |",
                t.what, t.value, t.threshold
            );
        }
        out.push('\n');
        out.push_str(&self.body);
        out
    }
}

/// The stats of the variant named `name`, when it produced numbers.
pub(crate) fn find<'a>(stats: &'a [Stats], name: &str) -> Option<&'a Stats> {
    stats.iter().find(|s| s.name == name && s.ok())
}

/// Throughput of `sdk` relative to `baseline` (ratio of median times, baseline / sdk).
pub(crate) fn throughput_ratio(stats: &[Stats], sdk: &str, baseline: &str) -> Option<f64> {
    let sdk = find(stats, sdk)?;
    let base = find(stats, baseline)?;
    Some(base.median() / sdk.median())
}

/// Formats nanoseconds as microseconds.
pub(crate) fn micros(ns: f64) -> String {
    if ns.is_nan() {
        "–".to_owned()
    } else if ns < 10_000.0 {
        format!("{:.2}", ns / 1000.0)
    } else {
        format!("{:.1}", ns / 1000.0)
    }
}

/// Formats a byte count with a binary unit.
#[allow(clippy::cast_precision_loss, reason = "display only")]
pub(crate) fn bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", n / (1024.0 * 1024.0))
    } else if n >= 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{n:.0} B")
    }
}

/// A table of one workload's variants: times, throughput, allocations, and the ratio of each
/// row to `reference` (usually the raw typed baseline of the same transport).
pub(crate) fn workload_table(title: &str, stats: &[Stats], unit_note: &str) -> String {
    let mut out = format!(
        "### {title}\n\n{unit_note}\n\n| variant | median µs | min µs | max µs | calls/s | allocs/call | bytes alloc/call |\n|---|---:|---:|---:|---:|---:|---:|\n"
    );
    for s in stats {
        if let Some(e) = &s.error {
            let _ = writeln!(
                out,
                "| {} | failed: {} | | | | | |",
                s.name,
                e.replace('|', "/")
            );
            continue;
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} | {:.1} | {:.0} |",
            s.name,
            micros(s.median()),
            micros(s.min()),
            micros(s.max()),
            1e9 / s.median(),
            s.allocs_per_call,
            s.bytes_per_call,
        );
    }
    if let Some(s) = stats.iter().find(|s| s.ok()) {
        let _ = writeln!(
            out,
            "\n{} blocks of {} calls per variant, interleaved.\n",
            s.ns_per_call.len(),
            s.calls_per_block
        );
    }
    out
}

/// A line per ratio, below a table.
pub(crate) fn ratio_lines(stats: &[Stats], pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (sdk, base) in pairs {
        match throughput_ratio(stats, sdk, base) {
            Some(r) => {
                let _ = writeln!(out, "- {sdk} / {base}: **{r:.3}** × throughput");
            }
            None => {
                let _ = writeln!(out, "- {sdk} / {base}: n/a");
            }
        }
    }
    out.push('\n');
    out
}

/// `N cores, CPU model, date` of this machine.
pub(crate) fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    format!("{cores} cores (nproc), {cpu}, {date}, load average {load} (1 min) at the end")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(name: &'static str, ns: &[f64]) -> Stats {
        Stats {
            name,
            ns_per_call: ns.to_vec(),
            allocs_per_call: 3.0,
            bytes_per_call: 100.0,
            calls_per_block: 10,
            error: None,
        }
    }

    #[test]
    fn ratios_are_throughput() {
        let s = [
            stats("sdk", &[100.0, 110.0, 120.0]),
            stats("raw", &[90.0, 99.0, 100.0]),
        ];
        let r = throughput_ratio(&s, "sdk", "raw").unwrap();
        assert!((r - 0.9).abs() < 1e-9, "{r}");
        assert!(throughput_ratio(&s, "sdk", "missing").is_none());
        let mut report = Report::default();
        report.ratio_target("x".to_owned(), Some(r), 0.95);
        report.max_target("size".to_owned(), Some(3.0), 3.5, "MiB");
        report.ratio_target("y".to_owned(), None, 1.0);
        report.max_ratio_target("z".to_owned(), Some(1.0456), 1.05);
        let text = report.render("# t\n");
        assert!(
            text.contains("| x | 0.900 | ≥ 0.95 | **missed** |"),
            "{text}"
        );
        assert!(
            text.contains("| size | 3.00 MiB | ≤ 3.50 MiB | met |"),
            "{text}"
        );
        assert!(
            text.contains("| y | n/a | ≥ 1.00 | not measured |"),
            "{text}"
        );
        assert!(text.contains("| z | 1.046 × | ≤ 1.05 × | met |"), "{text}");
    }

    #[test]
    fn tables_show_failures() {
        let mut failed = stats("broken", &[]);
        failed.error = Some("connection refused".to_owned());
        let table = workload_table("w", &[stats("ok", &[1000.0, 2000.0, 3000.0]), failed], "");
        assert!(
            table.contains("| ok | 2.00 | 1.00 | 3.00 | 500000 | 3.0 | 100 |"),
            "{table}"
        );
        assert!(
            table.contains("| broken | failed: connection refused |"),
            "{table}"
        );
    }

    #[test]
    fn units() {
        assert_eq!(bytes(3 * 1024 * 1024), "3.00 MiB");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(micros(12_345.0), "12.3");
        assert!(machine().contains("cores"));
    }
}
