#![no_main]
//! Multipart framing of `POST /v3/assets`: lengths, header injection, an independent reader.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::upload::multipart(data);
});
