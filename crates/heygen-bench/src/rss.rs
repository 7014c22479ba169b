//! Resident memory of this process, read from `/proc/self/status` (Linux).

/// Resident set size now (`VmRSS`), in bytes; `None` where `/proc` is unavailable.
pub(crate) fn current_bytes() -> Option<u64> {
    field("VmRSS:")
}

/// Peak resident set size since start or the last [`reset_peak`] (`VmHWM`), in bytes.
pub(crate) fn peak_bytes() -> Option<u64> {
    field("VmHWM:")
}

/// Resets the peak (`VmHWM`) to the current RSS by writing `5` to `/proc/self/clear_refs`.
///
/// Returns whether the kernel accepted it.
pub(crate) fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn field(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_kib(&status, name)
}

/// Reads a `Name:   1234 kB` line and returns bytes.
pub(crate) fn parse_kib(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    let kib: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_lines() {
        let status = "Name:\tx\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\n";
        assert_eq!(parse_kib(status, "VmRSS:"), Some(1024 * 1024));
        assert_eq!(parse_kib(status, "VmHWM:"), Some(2048 * 1024));
        assert_eq!(parse_kib(status, "VmSwap:"), None);
        assert_eq!(parse_kib("VmRSS: lots kB", "VmRSS:"), None);
    }

    #[test]
    fn reads_this_process() {
        let rss = current_bytes().unwrap();
        assert!(rss > 100 * 1024, "{rss}");
        // No `peak >= rss` here: the kernel folds per-thread RSS counters into VmHWM lazily, so
        // with other test threads running the two lines can disagree for a moment.
        let peak = peak_bytes().unwrap();
        assert!(peak > 100 * 1024, "{peak}");
    }
}
