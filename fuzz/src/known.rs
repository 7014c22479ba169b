//! Known findings: bugs the targets found in `crates/**` that are not fixed yet.
//!
//! While a finding is open, the targets skip the inputs that hit it (so a campaign keeps
//! looking for new bugs instead of stopping at the known one). Its reproducer stays in the
//! corpus as `corpus/<target>/known_<id>_*.txt`, so that once the fix lands and the gate below
//! is removed, the stable corpus replay guards it.
//!
//! With `HEYGEN_FUZZ_CHECK_KNOWN=1` in the environment (or [`CHECK_KNOWN`] set), nothing is
//! skipped and each reproducer panics again; `tests/known.rs` (ignored by default) checks that.
//! See `docs/fuzzing.md` for each finding.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set to check the known findings instead of skipping them.
pub static CHECK_KNOWN: AtomicBool = AtomicBool::new(false);

/// An open finding. None is open: K1–K7 of the first campaign (fixed in 75ea1f9) and K8 of the
/// second (a decode error's JSON path now goes through `redact_secrets`) are fixed in
/// `crates/**`, and their reproducers (`corpus/<target>/known_k*_*.txt`) stay in the corpus as regression
/// seeds, replayed on stable by CI (see `docs/fuzzing.md`). A new finding gets a variant here, a
/// gate in its target and an entry in [`Finding::ALL`] until it is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {}

impl Finding {
    /// Every open finding, with the reproducer kept in the corpus.
    pub const ALL: &[(Self, &'static str, &'static str)] = &[];
}

/// Whether inputs that hit `finding` are skipped: the finding is open and checking is off.
pub fn skip(finding: Finding) -> bool {
    static FROM_ENV: OnceLock<bool> = OnceLock::new();
    let _ = finding;
    let check = CHECK_KNOWN.load(Ordering::Relaxed)
        || *FROM_ENV
            .get_or_init(|| std::env::var_os("HEYGEN_FUZZ_CHECK_KNOWN").is_some_and(|v| v == "1"));
    !check
}
