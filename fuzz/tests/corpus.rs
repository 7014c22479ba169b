//! Replays every fuzz target over its corpus on stable Rust, without libFuzzer: each file in
//! `corpus/<target>/` goes through the same function the fuzz binary calls, so a corpus entry
//! that panics (a regression) fails `cargo test`. `cargo xtask ci` runs this.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_replays_its_corpus() {
    let mut failures = Vec::new();
    for (name, run) in heygen_fuzz::TARGETS {
        let started = Instant::now();
        let inputs = files(&fuzz_dir().join("corpus").join(name));
        assert!(!inputs.is_empty(), "corpus/{name} has no seeds");
        for path in &inputs {
            let data = std::fs::read(path).unwrap();
            if std::panic::catch_unwind(|| run(&data)).is_err() {
                failures.push(path.display().to_string());
            }
        }
        eprintln!(
            "{name}: {} inputs in {:.0?}",
            inputs.len(),
            started.elapsed()
        );
    }
    assert!(failures.is_empty(), "inputs that fail: {failures:#?}");
}

/// Every binary in `fuzz_targets/` is a listed target with a corpus, and the other way round.
#[test]
fn targets_binaries_and_corpora_match() {
    let mut binaries: Vec<String> = files(&fuzz_dir().join("fuzz_targets"))
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_owned))
        .collect();
    binaries.sort();
    let mut listed: Vec<String> = heygen_fuzz::TARGETS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    listed.sort();
    assert_eq!(
        binaries, listed,
        "fuzz_targets/*.rs and heygen_fuzz::TARGETS"
    );
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for name in &listed {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "no [[bin]] for {name} in fuzz/Cargo.toml"
        );
        assert!(
            fuzz_dir().join("corpus").join(name).is_dir(),
            "no corpus/{name}"
        );
    }
}
