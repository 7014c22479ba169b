//! The open findings of `heygen_fuzz::known` still reproduce: with checking on, each
//! reproducer kept in the corpus panics. Ignored by default (the bugs are in `crates/**`);
//! run with `cargo test --manifest-path fuzz/Cargo.toml --no-default-features -- --ignored`.
//! A finding that no longer reproduces is fixed: remove its gate in `fuzz/src` and its entry in
//! `Finding::ALL`, and keep the reproducer as a regression seed.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use heygen_fuzz::known::{CHECK_KNOWN, Finding};

#[test]
#[ignore = "reproduces open bugs in crates/**; see docs/fuzzing.md"]
fn known_findings_still_reproduce() {
    CHECK_KNOWN.store(true, Ordering::Relaxed);
    let mut fixed = Vec::new();
    for (finding, target, file) in Finding::ALL {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(target)
            .join(file);
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let run = heygen_fuzz::TARGETS
            .iter()
            .find(|(name, _)| name == target)
            .map(|(_, run)| *run)
            .unwrap();
        let panicked = std::panic::catch_unwind(|| run(&data)).is_err();
        eprintln!(
            "{finding:?} ({target}/{file}): {}",
            if panicked { "reproduces" } else { "fixed" }
        );
        if !panicked {
            fixed.push(format!("{finding:?}"));
        }
    }
    assert!(fixed.is_empty(), "fixed, remove their gates: {fixed:?}");
}
