//! Replays the fuzz corpus on the stable toolchain through the same functions the fuzz targets
//! call: nothing panics, and whatever decodes round-trips.

use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = corpus_dir().join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            run(&bytes);
            count += 1;
        }
    }
    count
}

#[test]
fn replay_model_responses_corpus() {
    assert!(replay("model_responses", heygen_model::fuzzing::decode_responses) > 0);
}

#[test]
fn replay_model_requests_corpus() {
    assert!(replay("model_requests", heygen_model::fuzzing::decode_requests) > 0);
}

#[test]
fn corpus_requests_that_should_be_valid_are() {
    for file in [
        "br04_digital_twin.json",
        "br04_legacy_video.json",
        "br05_photo_base64.json",
    ] {
        let bytes = std::fs::read(corpus_dir().join("model_requests").join(file)).unwrap();
        let request: heygen_model::CreateAvatarRequest = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(request.validate(), Ok(()), "{file}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
    #[test]
    fn fuzz_entry_points_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
        heygen_model::fuzzing::decode_responses(&bytes);
        heygen_model::fuzzing::decode_requests(&bytes);
    }
}
