#![no_main]
//! Inline base64 splicing, the direct-upload `PUT` and media type detection.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::upload::upload_plan(data);
});
