#![no_main]
//! Webhook verification over any headers and raw body: only the body's signature is accepted.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    heygen_fuzz::webhook::webhook(data);
});
