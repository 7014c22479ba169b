//! Replays the fuzz corpus of `parse_response` on stable Rust.

use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/parse_response")
}

#[test]
fn replay_parse_response_corpus() {
    let dir = corpus_dir();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        heygen_core::fuzzing::parse_response(&data);
        count += 1;
    }
    assert!(count >= 10, "only {count} seeds in {}", dir.display());
}

#[test]
fn seeds_parse_as_expected() {
    let input = heygen_core::fuzzing::split_input(b"404\ncontent-type: text/html\nx: y\n\n<html/>");
    assert_eq!(input.status, 404);
    assert_eq!(input.headers.len(), 2);
    assert_eq!(input.body, b"<html/>");
    let input = heygen_core::fuzzing::split_input(b"garbage");
    assert_eq!(input.status, 200);
}
