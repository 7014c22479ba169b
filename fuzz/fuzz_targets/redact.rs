#![no_main]
//! Secret redaction, URL query redaction, error snippets and error envelopes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::redact::redact(data);
});
