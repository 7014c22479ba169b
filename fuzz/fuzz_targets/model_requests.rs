#![no_main]
//! Decodes arbitrary bytes into every `heygen-model` request type; decoded values must round-trip.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::model_requests(data);
});
