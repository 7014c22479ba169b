#![no_main]
//! Feeds arbitrary (status, headers, body) to every `heygen-core` operation's `parse`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::parse_response(data);
});
